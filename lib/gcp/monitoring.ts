import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  AlertRuleSet,
  AlertRuleSetOptions,
  ResolvedAlertRule,
  ServiceLevelObjective,
  Validate,
  ValidationError,
  Warnings,
  checkSloSet,
  quoteColonMetricNames,
  renamedProp,
} from '../core';
import { validateEmailList } from '../core/private/subscribers';
import { INotificationChannel } from './interfaces';
import { notificationChannel, validateNotificationChannels } from './private/channels';
import { grantId, unresolved } from './private/names';
import { alertPolicySeverity } from './private/alert-policy';
import { escapeTerraformTemplate } from './private/template';
import { addManagedPrometheusAssumption } from './private/service-prices';

/** Slack notification channel settings. */
export interface SlackChannelOptions {
  /** Channel name, for example `#ml-alerts`. */
  readonly channelName: string;
  /** Slack OAuth token: pass a sensitive `TerraformVariable`'s value, never a literal. */
  readonly authToken: string;
}

/** Properties of {@link Monitoring}. */
export interface MonitoringProps {
  /**
   * Project id of the Cloud Monitoring workspace (the cluster's project).
   * @default - the provider's project
   */
  readonly project?: string;
  /**
   * Email addresses notified by every policy.
   * @default - none
   */
  readonly emails?: string[];
  /**
   * PagerDuty integration (service) key: pass a sensitive `TerraformVariable`'s value.
   * @default - no PagerDuty channel
   */
  readonly pagerDutyServiceKey?: string;
  /**
   * Slack channel.
   * @default - no Slack channel
   */
  readonly slack?: SlackChannelOptions;
  /**
   * Webhook URL (token auth in the URL): pass a sensitive `TerraformVariable`'s value.
   * @default - no webhook channel
   */
  readonly webhookUrl?: string;
  /**
   * Notification channels the app does not own, notified by every policy besides the ones
   * created here.
   * @default - none
   */
  readonly notificationChannels?: INotificationChannel[];
  /**
   * Which core alert rules, thresholds and matchers (`AlertRuleSet.defaults(...)`), the same
   * option as the AWS `Monitoring`'s.
   * @default - every rule with its default threshold
   */
  readonly alertRules?: AlertRuleSetOptions;
  /**
   * Which core alert rules, thresholds and matchers.
   * @deprecated renamed `alertRules` (its name in every module); warns `deprecated-api`, removed in the next minor release
   * @default - every rule with its default threshold
   */
  readonly rules?: AlertRuleSetOptions;
  /**
   * Service-level objectives per model, rendered as two alert policies each
   * (`SLOErrorBudgetBurnFast_<slo>`, `SLOErrorBudgetBurnSlow_<slo>`) whose PromQL conditions
   * compute the multiwindow burn rates inline (Cloud Monitoring has no recording rules).
   * @default - none
   */
  readonly slos?: ServiceLevelObjective[];
  /**
   * Prefix of the policies' display names.
   * @default 'cdktf-ai-infra'
   */
  readonly displayNamePrefix?: string;
  /**
   * Close an incident this many seconds after the condition stops firing: a whole number from
   * 1800 (30 minutes) to 604800 (7 days). A Terraform token (a variable's value) is not checked
   * at synth; it is rendered as `<token>s`.
   * @default 1800
   */
  readonly autoCloseSeconds?: number;
}

/**
 * Rewrites Prometheus metric names that contain a colon (vLLM's `vllm:num_requests_waiting`)
 * into the `{__name__="..."}` selector form Cloud Monitoring's PromQL reads literally (see core
 * `quoteColonMetricNames` for why; VERIFY against a live workspace).
 */
export function toCloudMonitoringPromQL(expr: string, metrics: readonly string[] = []): string {
  return quoteColonMetricNames(expr, metrics);
}

/**
 * Turns Prometheus alert templates into Cloud Monitoring documentation variables
 * (`${metric.label.gpu}`), unescaped: {@link escapeTerraformTemplate} makes them literal for
 * Terraform.
 */
function asDocumentationVariables(text: string): string {
  return text
    .replace(
      /\{\{\s*\$labels\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g,
      (_m, label: string) => `\${metric.label.${label}}`,
    )
    .replace(/\{\{\s*\$value[^}]*\}\}/g, 'the observed value');
}

/**
 * Cloud Monitoring alert policies for GPU training and LLM serving, rendered from the core
 * alert rules as PromQL conditions over Managed Prometheus metrics (GKE's DCGM package and the
 * vLLM metrics your PodMonitorings collect), with email, PagerDuty, Slack and webhook
 * notification channels.
 *
 * Metric names with a colon are queried as `{__name__="vllm:..."}` (see
 * {@link toCloudMonitoringPromQL}).
 *
 * @see https://cloud.google.com/monitoring/promql/create-promql-alerts-console
 * @example
 * new Monitoring(stack, 'Alerts', {
 *   emails: ['ml-oncall@example.com'],
 *   alertRules: { servingMatchers: ['namespace="llm"'] },
 * });
 */
export class Monitoring extends Construct {
  /** The notification channels. */
  public readonly channels: MonitoringNotificationChannel[] = [];
  /** The alert policies by rule name. */
  public readonly policies: Record<string, MonitoringAlertPolicy> = {};
  /** The resolved rules. */
  public readonly rules: ResolvedAlertRule[];

  constructor(scope: Construct, id: string, props: MonitoringProps = {}) {
    super(scope, id);
    Validate.object(this, 'props', props);
    if (props.project !== undefined) Validate.gcpProjectId(this, 'project', props.project);
    if (props.displayNamePrefix !== undefined)
      Validate.string(this, 'displayNamePrefix', props.displayNamePrefix, { maxLength: 200 });
    const emails = validateEmailList(this, 'emails', props.emails);
    if (props.pagerDutyServiceKey !== undefined)
      Validate.string(this, 'pagerDutyServiceKey', props.pagerDutyServiceKey);
    if (props.slack !== undefined) {
      Validate.object(this, 'slack', props.slack);
      Validate.string(this, 'slack.channelName', props.slack.channelName);
      Validate.string(this, 'slack.authToken', props.slack.authToken);
    }
    if (props.webhookUrl !== undefined) Validate.url(this, 'webhookUrl', props.webhookUrl);
    // A token passes unchecked (resolved at apply); a literal is checked here once.
    const autoClose = Validate.integer(this, 'autoCloseSeconds', props.autoCloseSeconds ?? 1800, {
      min: 1800,
      max: 604800,
      reason: '30 minutes to 7 days',
    });
    const prefix = props.displayNamePrefix ?? 'cdktf-ai-infra';

    for (const email of emails) {
      this.channels.push(
        notificationChannel(this, grantId(this, 'email', email), {
          project: props.project,
          displayName: `${prefix} ${email}`,
          type: 'email',
          config: { email_address: email },
        }),
      );
    }
    if (props.pagerDutyServiceKey !== undefined) {
      this.checkSecret('pagerDutyServiceKey', props.pagerDutyServiceKey);
      this.channels.push(
        notificationChannel(this, 'PagerDuty', {
          project: props.project,
          displayName: `${prefix} PagerDuty`,
          type: 'pagerduty',
          sensitiveLabels: { serviceKey: props.pagerDutyServiceKey },
        }),
      );
    }
    if (props.slack) {
      this.checkSecret('slack.authToken', props.slack.authToken);
      this.channels.push(
        notificationChannel(this, 'Slack', {
          project: props.project,
          displayName: `${prefix} Slack ${props.slack.channelName}`,
          type: 'slack',
          config: { channel_name: props.slack.channelName },
          sensitiveLabels: { authToken: props.slack.authToken },
        }),
      );
    }
    if (props.webhookUrl !== undefined) {
      this.checkSecret('webhookUrl', props.webhookUrl);
      this.channels.push(
        notificationChannel(this, 'Webhook', {
          project: props.project,
          displayName: `${prefix} webhook`,
          type: 'webhook_tokenauth',
          config: { url: props.webhookUrl },
        }),
      );
    }
    const external = validateNotificationChannels(this, props.notificationChannels);
    if (this.channels.length === 0 && external.length === 0) {
      Warnings.add(
        this,
        'gcp-alerts-without-channels',
        `No notification channel ('emails', 'pagerDutyServiceKey', 'slack', 'webhookUrl', 'notificationChannels'): alert policies open incidents in Cloud Monitoring but notify no one.`,
      );
    }

    const set = AlertRuleSet.defaults(
      renamedProp(this, 'rules', props.rules, 'alertRules', props.alertRules) ?? {},
    );
    const slos = ValidationError.withScope(this, () => checkSloSet(props.slos, 'slos'));
    this.rules = [...set.rules(), ...slos.flatMap((slo) => slo.toAlertRules())];
    addManagedPrometheusAssumption(this);
    const channelIds = [...this.channels.map((c) => c.id), ...external.map((c) => c.channelId)];
    for (const rule of this.rules) {
      this.policies[rule.name] = new MonitoringAlertPolicy(this, rule.name, {
        project: props.project,
        displayName: `${prefix} ${rule.name}`,
        combiner: 'OR',
        ...alertPolicySeverity(rule.severity),
        notificationChannels: channelIds,
        userLabels: { severity: rule.severity, group: rule.group.replace(/[^a-z0-9_-]/g, '_') },
        conditions: [
          {
            displayName: rule.name,
            conditionPrometheusQueryLanguage: {
              query: escapeTerraformTemplate(toCloudMonitoringPromQL(rule.expr, rule.metrics)),
              duration: `${rule.forSeconds}s`,
              evaluationInterval: '60s',
              ruleGroup: rule.group,
              alertRule: rule.name,
              labels: { severity: rule.severity },
            },
          },
        ],
        alertStrategy: { autoClose: `${Token.asString(autoClose)}s` },
        documentation: {
          subject: escapeTerraformTemplate(`[${rule.severity}] ${rule.name}`),
          content: escapeTerraformTemplate(
            `${asDocumentationVariables(rule.summary)}\n\n${rule.runbook}\n\nMetrics: ${rule.metrics.join(', ')}. Threshold ${rule.threshold} ${rule.unit}.`,
          ),
          mimeType: 'text/markdown',
        },
      });
    }
  }

  private checkSecret(prop: string, value: string): void {
    if (!unresolved(value)) {
      Warnings.add(
        this,
        'gcp-secret-in-source',
        `'${prop}' is a literal string: it will be stored in the synthesized JSON and in version control. Pass a sensitive TerraformVariable's value instead.`,
      );
    }
  }
}
