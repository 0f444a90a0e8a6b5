import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { Testing } from 'cdktf';
import { Accelerator, Capacity, CostEstimate, Tags } from '../../lib/core';
import { BudgetAlarm, BudgetAlarmProps } from '../../lib/gcp/budget-alarm';
import { NotificationChannelReference } from '../../lib/gcp/notification-channel';
import { GkeCluster } from '../../lib/gcp/cluster';
import { GkeNetwork } from '../../lib/gcp/network';
import { onlyResource, resourcesOf, synthJson, testStack } from '../util';
import { gcpStack, warningIds } from './helpers';

const BASE: BudgetAlarmProps = {
  billingAccount: '012345-6789AB-CDEF01',
  project: 'my-proj',
  projectNumber: '123456789012',
  monthlyLimitUsd: 1000,
};

function budget(props: Partial<BudgetAlarmProps> = {}) {
  const { stack } = gcpStack();
  const b = new BudgetAlarm(stack, 'Budget', { ...BASE, ...props });
  const json = synthJson(stack);
  return { stack, b, json, res: onlyResource(json, 'google_billing_budget') };
}

describe('BudgetAlarm', () => {
  test('scopes the budget to the project number, monthly', () => {
    expect(budget().res.budget_filter).toMatchObject({
      projects: ['projects/123456789012'],
      calendar_period: 'MONTH',
    });
  });

  test('renders the amount in whole USD units without a currency code', () => {
    expect(budget({ monthlyLimitUsd: 1234.2 }).res.amount).toEqual({ specified_amount: { units: '1235' } });
  });

  test('defaults to 50/90/100% actual and 100% forecasted thresholds', () => {
    expect(budget().res.threshold_rules).toEqual([
      { threshold_percent: 0.5, spend_basis: 'CURRENT_SPEND' },
      { threshold_percent: 0.9, spend_basis: 'CURRENT_SPEND' },
      { threshold_percent: 1, spend_basis: 'CURRENT_SPEND' },
      { threshold_percent: 1, spend_basis: 'FORECASTED_SPEND' },
    ]);
  });

  test('publishes to a Pub/Sub topic with schema 1.0', () => {
    const { json, res } = budget();
    expect(onlyResource(json, 'google_pubsub_topic').name).toBe('budget-notifications');
    expect(res.all_updates_rule).toMatchObject({ schema_version: '1.0' });
    expect(res.all_updates_rule.pubsub_topic).toMatch(/google_pubsub_topic\.\w+\.id/);
  });

  test('notifies emails through monitoring channels', () => {
    const { json, res } = budget({ emails: ['a@example.com', 'b@example.com'] });
    expect(Object.keys(resourcesOf(json, 'google_monitoring_notification_channel'))).toHaveLength(2);
    expect(res.all_updates_rule.monitoring_notification_channels).toHaveLength(2);
  });

  test('throws for more than 5 emails', () => {
    expect(() => budget({ emails: ['1', '2', '3', '4', '5', '6'].map((n) => `u${n}@example.com`) })).toThrow(
      /at most 5 Cloud Monitoring channels/,
    );
  });

  test('filters on the stack cost-allocation tag by default', () => {
    const { stack } = gcpStack();
    Tags.of(stack).setCostAllocationTag('Cost-Center', 'LLM Serving');
    new BudgetAlarm(stack, 'Budget', BASE);
    expect(onlyResource(synthJson(stack), 'google_billing_budget').budget_filter.labels).toEqual({
      'cost-center': 'llm_serving',
    });
  });

  test('labelFilter overrides the cost tag', () => {
    expect(budget({ labelFilter: { key: 'team', value: 'ml' } }).res.budget_filter.labels).toEqual({
      team: 'ml',
    });
  });

  test('derives the amount from the cost estimate when not given', () => {
    const { stack } = gcpStack();
    const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
    const cluster = new GkeCluster(stack, 'Cluster', { network });
    const pool = cluster.addInferenceNodePool('L4', { accelerator: Accelerator.L4, maxNodes: 2 });
    new BudgetAlarm(stack, 'Budget', { ...BASE, monthlyLimitUsd: undefined });
    // The whole estimate: the pool at its maximum plus the network's and cluster's own lines
    // (Cloud NAT, cluster fee, system pool).
    const estimate = CostEstimate.of(stack);
    const gpu = estimate.lines.find((l) => l.item === pool.machineType.name)!;
    expect(estimate.lineMonthlyUsd(gpu, 'max')).toBeCloseTo(2 * pool.machineType.onDemandPrice!.usd * 730, 6);
    const expected = Math.ceil(estimate.monthlyUsd('max'));
    expect(expected).toBeGreaterThan(Math.ceil(2 * pool.machineType.onDemandPrice!.usd * 730));
    expect(onlyResource(synthJson(stack), 'google_billing_budget').amount.specified_amount.units).toBe(
      String(expected),
    );
  });

  test('counts pools added after the budget', () => {
    const { stack } = gcpStack();
    const network = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1' });
    const cluster = new GkeCluster(stack, 'Cluster', { network });
    new BudgetAlarm(stack, 'Budget', { ...BASE, monthlyLimitUsd: undefined });
    cluster.addInferenceNodePool('L4', {
      accelerator: Accelerator.L4,
      maxNodes: 1,
      capacity: Capacity.spot(),
    });
    const units = Number(
      onlyResource(synthJson(stack), 'google_billing_budget').amount.specified_amount.units,
    );
    expect(units).toBeGreaterThan(0);
  });

  test('throws at synth when no amount is given and the estimate is empty', () => {
    const { stack } = gcpStack();
    new BudgetAlarm(stack, 'Budget', { ...BASE, monthlyLimitUsd: undefined });
    expect(() => Testing.synth(stack)).toThrow(
      /'monthlyLimitUsd' is not set and the stack's cost estimate is empty/,
    );
  });

  test('throws for a project id in place of the number', () => {
    expect(() => budget({ projectNumber: 'my-project' })).toThrow(
      /'projectNumber' \('my-project'\) must be the project number/,
    );
  });

  test('throws for a malformed billing account', () => {
    expect(() => budget({ billingAccount: '0123456789' })).toThrow(
      /'billingAccount' \('0123456789'\) must look like/,
    );
  });

  test('throws for a non-positive amount', () => {
    expect(() => budget({ monthlyLimitUsd: 0 })).toThrow(
      /'monthlyLimitUsd' \(0\) must be a finite number > 0/,
    );
  });

  test('throws for an out-of-range threshold', () => {
    expect(() => budget({ thresholds: [{ fraction: 0 }] })).toThrow(
      /'thresholds\[0\].fraction' \(0\) must be a finite number > 0/,
    );
  });

  test('throws for an email entry that is not an address', () => {
    expect(() => budget({ emails: ['finance'] })).toThrow(
      /'emails\[0\]' \('finance'\) is not an e-mail address/,
    );
  });

  test('throws for a display name over 60 characters', () => {
    expect(() => budget({ displayName: 'x'.repeat(61) })).toThrow(
      /'displayName' \('x+'\) has 61 characters; the Budgets API takes 1 to 60/,
    );
  });

  test('throws for empty thresholds', () => {
    expect(() => budget({ thresholds: [] })).toThrow(/'thresholds' is empty/);
  });

  test('warns when the provider has no quota project', () => {
    expect(warningIds(budget().stack)).toContain('gcp-budget-quota-project');
  });

  test('providerSettings silence the quota-project warning', () => {
    const { stack } = testStack();
    new GoogleProvider(stack, 'google', { project: 'my-proj', ...BudgetAlarm.providerSettings('my-proj') });
    new BudgetAlarm(stack, 'Budget', BASE);
    const json = synthJson(stack);
    expect(json.provider!.google[0]).toMatchObject({
      user_project_override: true,
      billing_project: 'my-proj',
    });
    expect(warningIds(stack)).not.toContain('gcp-budget-quota-project');
  });

  test('defaults the display name to the construct path', () => {
    expect(budget().res.display_name).toBe('test/Budget monthly budget');
  });

  test('includes all credits', () => {
    expect(budget().res.budget_filter.credit_types_treatment).toBe('INCLUDE_ALL_CREDITS');
  });
});

describe('BudgetAlarm label filter timing', () => {
  test('uses a cost tag set after the budget was created', () => {
    const { stack } = gcpStack();
    new BudgetAlarm(stack, 'Budget', BASE);
    Tags.of(stack).setCostAllocationTag('team', 'ml');
    expect(onlyResource(synthJson(stack), 'google_billing_budget').budget_filter.labels).toEqual({
      team: 'ml',
    });
  });

  test('renders no label filter without a cost tag', () => {
    expect(budget().res.budget_filter.labels).toEqual({});
  });

  describe('costAllocationTag (one name with the AWS BudgetAlarm)', () => {
    test('filters on the given tag without a warning', () => {
      const b = budget({ costAllocationTag: { key: 'team', value: 'ml' } });
      expect(b.res.budget_filter.labels).toEqual({ team: 'ml' });
      expect(warningIds(b.stack)).not.toContain('deprecated-api');
    });

    test("the deprecated 'labelFilter' still filters, with a deprecated-api warning", () => {
      const b = budget({ labelFilter: { key: 'team', value: 'ml' } });
      expect(b.res.budget_filter.labels).toEqual({ team: 'ml' });
      expect(warningIds(b.stack)).toContain('deprecated-api');
    });

    test("throws when 'labelFilter' and 'costAllocationTag' are both set", () => {
      expect(() =>
        budget({ labelFilter: { key: 'a', value: 'b' }, costAllocationTag: { key: 'a', value: 'b' } }),
      ).toThrow(/'labelFilter' and 'costAllocationTag' are both set/);
    });
  });

  describe('notificationChannels', () => {
    const ref = (n: number) =>
      NotificationChannelReference.fromChannelId(`projects/acme-ops/notificationChannels/${n}`);

    test('notifies existing channels after the email channels', () => {
      const b = budget({ emails: ['a@example.com'], notificationChannels: [ref(1)] });
      const ids = b.res.all_updates_rule.monitoring_notification_channels;
      expect(ids).toHaveLength(2);
      expect(ids[1]).toBe('projects/acme-ops/notificationChannels/1');
    });

    test('throws for more than 5 channels in all', () => {
      expect(() =>
        budget({ emails: ['a@example.com', 'b@example.com'], notificationChannels: [1, 2, 3, 4].map(ref) }),
      ).toThrow(/make 6 channels; a budget notifies at most 5/);
    });
  });
});
