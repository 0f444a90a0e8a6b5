import { TerraformVariable } from 'cdktf';
import { AlertGroup, AlertRuleSet, Tags } from '../../lib/core';
import { Monitoring, MonitoringProps, toCloudMonitoringPromQL } from '../../lib/gcp/monitoring';
import { NotificationChannelReference } from '../../lib/gcp/notification-channel';
import { resourcesOf, synthJson } from '../util';
import { gcpStack, warningIds } from './helpers';

function alerting(props: MonitoringProps = { emails: ['oncall@example.com'] }) {
  const { stack } = gcpStack();
  const a = new Monitoring(stack, 'Alerts', props);
  const json = synthJson(stack);
  return {
    stack,
    a,
    policies: resourcesOf(json, 'google_monitoring_alert_policy'),
    channels: Object.values(resourcesOf(json, 'google_monitoring_notification_channel')) as any[],
  };
}
const policy = (p: Record<string, any>, name: string) =>
  Object.entries(p).find(([k]) => k.includes(name))![1];

describe('toCloudMonitoringPromQL', () => {
  test('rewrites a colon metric with matchers into the __name__ form', () => {
    expect(toCloudMonitoringPromQL('avg(vllm:num_requests_waiting{namespace="llm"}) > 5')).toBe(
      'avg({__name__="vllm:num_requests_waiting", namespace="llm"}) > 5',
    );
  });

  test('rewrites a bare colon metric', () => {
    expect(toCloudMonitoringPromQL('rate(vllm:num_preemptions_total[5m]) > 0')).toBe(
      'rate({__name__="vllm:num_preemptions_total"}[5m]) > 0',
    );
  });

  test('leaves metrics without colons and quoted strings alone', () => {
    const e = 'avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod=~"a:b"}[30m]) < 5';
    expect(toCloudMonitoringPromQL(e)).toBe(e);
  });

  test('handles a name that prefixes another', () => {
    expect(toCloudMonitoringPromQL('vllm:a_bucket + vllm:a', ['vllm:a'])).toBe(
      '{__name__="vllm:a_bucket"} + {__name__="vllm:a"}',
    );
  });
});

describe('Monitoring', () => {
  test('creates one PromQL alert policy per core alert rule', () => {
    const { policies } = alerting();
    expect(Object.keys(policies)).toHaveLength(AlertRuleSet.defaults().rules().length);
  });

  test('renders the vLLM queue rule with the __name__ selector', () => {
    const { a, policies } = alerting();
    const rule = a.rules.find((r) => r.metrics.some((m) => m === 'vllm:num_requests_waiting'))!;
    const cond = policy(policies, rule.name).conditions[0].condition_prometheus_query_language;
    expect(cond.query).toContain('{__name__="vllm:num_requests_waiting"}');
    expect(cond.query).not.toMatch(/[^"]vllm:num_requests_waiting\{/);
    expect(cond).toMatchObject({
      duration: `${rule.forSeconds}s`,
      evaluation_interval: '60s',
      rule_group: rule.group,
      alert_rule: rule.name,
    });
  });

  test('renders DCGM rules unchanged', () => {
    const { a, policies } = alerting();
    const rule = a.rules.find((r) => r.metrics.includes('DCGM_FI_DEV_GPU_TEMP'))!;
    expect(policy(policies, rule.name).conditions[0].condition_prometheus_query_language.query).toBe(
      rule.expr,
    );
  });

  test('maps severities and notifies every channel', () => {
    const { a, policies } = alerting();
    const crit = a.rules.find((r) => r.severity === 'critical')!;
    const info = a.rules.find((r) => r.severity === 'info')!;
    expect(policy(policies, crit.name).severity).toBe('CRITICAL');
    expect(policy(policies, info.name).severity).toBeUndefined();
    expect(policy(policies, crit.name).notification_channels).toHaveLength(1);
  });

  test('applies rule options from the core rule set', () => {
    const { policies } = alerting({ emails: ['a@example.com'], alertRules: { groups: [AlertGroup.GPU] } });
    expect(Object.keys(policies).length).toBe(
      AlertRuleSet.defaults({ groups: [AlertGroup.GPU] }).rules().length,
    );
  });

  test('turns label templates into documentation variables escaped for Terraform', () => {
    const { policies } = alerting();
    const contents = Object.values(policies).map((p: any) => p.documentation.content as string);
    // Terraform reads `${...}` in a JSON string as an interpolation ("undeclared resource
    // metric.label"); Cloud Monitoring needs the literal text, written `$${...}`.
    expect(contents.some((c) => c.includes('$${metric.label.'))).toBe(true);
    expect(contents.every((c) => !/(^|[^$])\$\{/.test(c))).toBe(true);
    expect(contents.every((c) => !c.includes('{{'))).toBe(true);
  });

  test('leaves no Terraform template sequence unescaped in queries or subjects', () => {
    const { policies } = alerting();
    for (const p of Object.values(policies) as any[]) {
      const texts = [p.documentation.subject, p.conditions[0].condition_prometheus_query_language.query];
      expect(texts.filter((t: string) => /(^|[^$%])[$%]\{/.test(t))).toEqual([]);
    }
  });

  test('creates email, PagerDuty, Slack and webhook channels with secrets as sensitive labels', () => {
    const { stack } = gcpStack();
    const key = new TerraformVariable(stack, 'pd', { sensitive: true, type: 'string' });
    const tok = new TerraformVariable(stack, 'slack', { sensitive: true, type: 'string' });
    const hook = new TerraformVariable(stack, 'hook', { sensitive: true, type: 'string' });
    new Monitoring(stack, 'Alerts', {
      emails: ['oncall@example.com'],
      pagerDutyServiceKey: key.stringValue,
      slack: { channelName: '#ml', authToken: tok.stringValue },
      webhookUrl: hook.stringValue,
    });
    const chans = Object.values(
      resourcesOf(synthJson(stack), 'google_monitoring_notification_channel'),
    ) as any[];
    expect(chans.map((c) => c.type).sort()).toEqual(['email', 'pagerduty', 'slack', 'webhook_tokenauth']);
    expect(chans.find((c) => c.type === 'pagerduty').sensitive_labels).toEqual({ service_key: '${var.pd}' });
    expect(chans.find((c) => c.type === 'slack').sensitive_labels).toEqual({ auth_token: '${var.slack}' });
    expect(warningIds(stack)).not.toContain('gcp-secret-in-source');
  });

  test('warns for a literal secret', () => {
    expect(warningIds(alerting({ pagerDutyServiceKey: 'abc123' }).stack)).toContain('gcp-secret-in-source');
  });

  test('warns without notification channels', () => {
    expect(warningIds(alerting({}).stack)).toContain('gcp-alerts-without-channels');
  });

  test('defaults to auto-close after 30 minutes', () => {
    const { policies } = alerting();
    expect((Object.values(policies)[0] as any).alert_strategy).toEqual({ auto_close: '1800s' });
  });

  test('throws for an autoCloseSeconds below 30 minutes', () => {
    expect(() => alerting({ autoCloseSeconds: 60 })).toThrow(
      /'autoCloseSeconds' \(60\) must be a whole number from 1800/,
    );
  });

  test('throws for an autoCloseSeconds above 7 days, naming the range', () => {
    expect(() => alerting({ autoCloseSeconds: 604801 })).toThrow(
      /'autoCloseSeconds' \(604801\) must be a whole number from 1800 to 604800 \(30 minutes to 7 days\)/,
    );
  });

  test('throws for a fractional autoCloseSeconds', () => {
    expect(() => alerting({ autoCloseSeconds: 1800.5 })).toThrow(
      /'autoCloseSeconds' \(1800\.5\) must be a whole number/,
    );
  });

  test('accepts autoCloseSeconds at both ends of its range', () => {
    for (const s of [1800, 604800]) {
      const { policies } = alerting({ autoCloseSeconds: s });
      expect((Object.values(policies)[0] as any).alert_strategy).toEqual({ auto_close: `${s}s` });
    }
  });

  test('passes a token autoCloseSeconds through to every policy, resolved at apply', () => {
    const { stack } = gcpStack();
    const v = new TerraformVariable(stack, 'auto_close', { type: 'number' });
    new Monitoring(stack, 'Alerts', { emails: ['oncall@example.com'], autoCloseSeconds: v.numberValue });
    const policies = Object.values(resourcesOf(synthJson(stack), 'google_monitoring_alert_policy')) as any[];
    expect(policies.length).toBeGreaterThan(0);
    for (const p of policies) expect(p.alert_strategy).toEqual({ auto_close: '${var.auto_close}s' });
  });

  test('throws for a malformed email', () => {
    expect(() => alerting({ emails: ['oncall'] })).toThrow(
      /'emails\[0\]' \('oncall'\) is not an e-mail address/,
    );
  });

  test('defaults display names to the cdktf-ai-infra prefix', () => {
    const { policies } = alerting();
    expect(
      (Object.values(policies) as any[]).every((p) => p.display_name.startsWith('cdktf-ai-infra ')),
    ).toBe(true);
  });

  test('keeps stack cost labels out of channel configuration labels and puts them in user_labels', () => {
    const { stack } = gcpStack();
    Tags.of(stack).setCostAllocationTag('cost-center', 'llm');
    new Monitoring(stack, 'Alerts', { emails: ['oncall@example.com'] });
    const ch = Object.values(
      resourcesOf(synthJson(stack), 'google_monitoring_notification_channel'),
    )[0] as any;
    expect(ch.labels).toEqual({ email_address: 'oncall@example.com' });
    expect(ch.user_labels).toEqual({ 'cost-center': 'llm' });
  });
});

describe('Monitoring alertRules and notificationChannels', () => {
  const gpuOnly = { groups: [AlertGroup.GPU] };

  test("'alertRules' selects the rules (the AWS Monitoring's option name) without a warning", () => {
    const a = alerting({ emails: ['a@example.com'], alertRules: gpuOnly });
    const b = alerting({ emails: ['a@example.com'], rules: gpuOnly });
    expect(Object.keys(a.policies)).toEqual(Object.keys(b.policies));
    expect(a.a.rules.every((r) => r.group === b.a.rules[0].group)).toBe(true);
    expect(warningIds(a.stack)).not.toContain('deprecated-api');
    expect(warningIds(b.stack)).toContain('deprecated-api');
  });

  test("throws when 'rules' and 'alertRules' are both set", () => {
    expect(() => alerting({ rules: gpuOnly, alertRules: gpuOnly })).toThrow(
      /'rules' and 'alertRules' are both set/,
    );
  });

  test('existing channels are notified by every policy, and count as channels', () => {
    const id = 'projects/acme-ops/notificationChannels/1234567890';
    const { stack, policies, channels } = alerting({
      notificationChannels: [NotificationChannelReference.fromChannelId(id)],
    });
    expect(channels).toEqual([]);
    for (const p of Object.values(policies)) {
      expect(p.notification_channels).toEqual([id]);
    }
    expect(warningIds(stack)).not.toContain('gcp-alerts-without-channels');
  });

  test('throws for a repeated channel', () => {
    const c = NotificationChannelReference.fromChannelId('projects/acme-ops/notificationChannels/1');
    expect(() => alerting({ notificationChannels: [c, c] })).toThrow(/'notificationChannels'/);
  });

  test.each([
    'projects/acme-ops/notificationChannels/abc',
    '1234567890',
    'projects/Bad_Project/notificationChannels/1',
  ])('NotificationChannelReference.fromChannelId throws a ValidationError for %s', (id) => {
    expect(() => NotificationChannelReference.fromChannelId(id)).toThrow(/channel/);
  });

  test('NotificationChannelReference.fromChannelId accepts a project number', () => {
    expect(
      NotificationChannelReference.fromChannelId('projects/123456789012/notificationChannels/42'),
    ).toEqual({
      channelId: 'projects/123456789012/notificationChannels/42',
    });
  });
});
