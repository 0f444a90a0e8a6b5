import { BillingBudget } from '@cdktf/provider-google/lib/billing-budget';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { PubsubTopic } from '@cdktf/provider-google/lib/pubsub-topic';
import { Lazy, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  BudgetThreshold as CoreBudgetThreshold,
  CostAllocationTag,
  CostEstimate,
  renamedProp,
  resolveBudgetThresholds,
  Tags,
  Validate,
  ValidationError,
  Warnings,
  normalizeGcpLabelKey,
  normalizeGcpLabelValue,
} from '../core';
import { budgetAmount } from '../core/private/budget-amount';
import { validateCostAllocationTagShape, validateEmailList } from '../core/private/subscribers';
import { INotificationChannel } from './interfaces';
import { notificationChannel, validateNotificationChannels } from './private/channels';
import { defaultName, grantId, unresolved } from './private/names';

/**
 * A budget threshold.
 * @deprecated the same type as the core `BudgetThreshold` (one type for every cloud); import it from the core module. Removed in the next minor release.
 */
export type BudgetThreshold = CoreBudgetThreshold;

/** Google provider settings that bill API quota to a project (the Budgets API needs them with user credentials). */
export interface QuotaProjectProviderSettings {
  /** `user_project_override`: send the quota project with each request. */
  readonly userProjectOverride: boolean;
  /** `billing_project`: the project charged for API quota. */
  readonly billingProject: string;
}

/** Properties of {@link BudgetAlarm}. */
export interface BudgetAlarmProps {
  /** Billing account id: three groups of six hex digits, for example `012345-6789AB-CDEF01`. */
  readonly billingAccount: string;
  /** Project id (for the Pub/Sub topic and the email channels). */
  readonly project: string;
  /** Project **number** the budget is scoped to (the Budgets API filters on the number, not the id). */
  readonly projectNumber: string;
  /**
   * Monthly budget, USD (the billing account's currency must be USD).
   * @default - the stack's cost estimate with every pool at its maximum (`CostEstimate.of(stack).monthlyUsd('max')`), rounded up
   */
  readonly monthlyLimitUsd?: number;
  /**
   * Thresholds (the same type and default in every module).
   * @default DEFAULT_BUDGET_THRESHOLDS - 50%, 90% and 100% of actual spend, 100% of forecasted spend
   */
  readonly thresholds?: CoreBudgetThreshold[];
  /**
   * Email addresses notified through Cloud Monitoring email channels (at most 5).
   * @default - none: only the billing account's default recipients
   */
  readonly emails?: string[];
  /**
   * Notification channels the app does not own, notified besides the `emails` channels (at most 5
   * channels in all).
   * @default - none
   */
  readonly notificationChannels?: INotificationChannel[];
  /**
   * The cost-allocation label the budget filters on (the Budgets API allows one key with one value).
   * @default - the stack's cost-allocation tag (`Tags.of(stack).setCostAllocationTag`), if any
   */
  readonly costAllocationTag?: CostAllocationTag;
  /**
   * Filter on one label.
   * @deprecated renamed `costAllocationTag` (its name in every module); warns `deprecated-api`, removed in the next minor release
   * @default - the stack's cost-allocation tag, if any
   */
  readonly labelFilter?: CostAllocationTag;
  /**
   * Display name, at most 60 characters.
   * @default - `<construct path> monthly budget`, cut to 60 characters
   */
  readonly displayName?: string;
}

/**
 * A Cloud Billing budget for the project, filtered on the stack's cost label, with CURRENT and
 * FORECASTED thresholds, a Pub/Sub topic for programmatic reactions (scale GPU pools to zero)
 * and email notifications through Cloud Monitoring channels. Without `monthlyLimitUsd` the
 * amount is the stack's cost estimate at maximum scale, computed at synth time.
 *
 * The Budgets API needs a quota project when Terraform runs with user credentials: configure
 * the provider with {@link BudgetAlarm.providerSettings} (`user_project_override = true`,
 * `billing_project`), or run as a service account. A warning says when the stack's provider
 * lacks it.
 *
 * @see https://registry.terraform.io/providers/hashicorp/google/6.50.0/docs/resources/billing_budget
 * @example
 * new GoogleProvider(stack, 'google', { project: 'acme-ml', region: 'us-central1',
 *   ...BudgetAlarm.providerSettings('acme-ml') });
 * new BudgetAlarm(stack, 'Budget', {
 *   billingAccount: '012345-6789AB-CDEF01', project: 'acme-ml', projectNumber: '123456789012',
 *   emails: ['ml-oncall@example.com'],
 * });
 */
export class BudgetAlarm extends Construct {
  /**
   * Provider settings the Budgets API needs with user credentials: spread them into the
   * `GoogleProvider` config.
   */
  public static providerSettings(quotaProject: string): QuotaProjectProviderSettings {
    return { userProjectOverride: true, billingProject: quotaProject };
  }

  /** The budget. */
  public readonly resource: BillingBudget;
  /** The Pub/Sub topic budget notifications are published to. */
  public readonly topic: PubsubTopic;
  /** The email channels. */
  public readonly channels: MonitoringNotificationChannel[] = [];

  constructor(scope: Construct, id: string, props: BudgetAlarmProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.string(this, 'billingAccount', props.billingAccount);
    Validate.gcpProjectId(this, 'project', props.project);
    Validate.string(this, 'projectNumber', props.projectNumber);
    if (props.monthlyLimitUsd !== undefined) {
      // Written as whole units of USD: past 1e12 is a typo and past 1e21 an exponent form.
      Validate.number(this, 'monthlyLimitUsd', props.monthlyLimitUsd, {
        min: 0,
        exclusiveMin: true,
        max: 1e12,
      });
    }
    if (props.displayName !== undefined) Validate.string(this, 'displayName', props.displayName);
    const labelFilter = renamedProp(
      this,
      'labelFilter',
      props.labelFilter,
      'costAllocationTag',
      props.costAllocationTag,
    );
    const labelProp = props.labelFilter !== undefined ? 'labelFilter' : 'costAllocationTag';
    if (labelFilter !== undefined) validateCostAllocationTagShape(this, labelProp, labelFilter);
    const thresholds = resolveBudgetThresholds(this, 'thresholds', props.thresholds);
    validateEmailList(this, 'emails', props.emails);
    if (
      !unresolved(props.billingAccount) &&
      !/^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/.test(props.billingAccount)
    ) {
      throw new ValidationError(
        `'billingAccount' ('${props.billingAccount}') must look like '012345-6789AB-CDEF01'.`,
        this,
      );
    }
    if (!unresolved(props.projectNumber) && !/^\d{6,20}$/.test(props.projectNumber)) {
      throw new ValidationError(
        `'projectNumber' ('${props.projectNumber}') must be the project number (digits, for example '123456789012'): budget filters take the number, not the project id.`,
        this,
      );
    }
    const limit = props.monthlyLimitUsd;
    if (
      props.displayName !== undefined &&
      !unresolved(props.displayName) &&
      (props.displayName.length === 0 || props.displayName.length > 60)
    ) {
      throw new ValidationError(
        `'displayName' ('${props.displayName}') has ${props.displayName.length} characters; the Budgets API takes 1 to 60. Shorten it.`,
        this,
      );
    }
    const emails = props.emails ?? [];
    const external = validateNotificationChannels(this, props.notificationChannels);
    if (emails.length + external.length > 5) {
      throw new ValidationError(
        `'emails' (${emails.length}) and 'notificationChannels' (${external.length}) make ${emails.length + external.length} channels; a budget notifies at most 5 Cloud Monitoring channels. Use a group address or the Pub/Sub topic.`,
        this,
      );
    }

    this.topic = new PubsubTopic(this, 'Topic', {
      project: props.project,
      name: `${defaultName(id)}-notifications`,
    });
    for (const email of emails) {
      this.channels.push(
        notificationChannel(this, grantId(this, 'email', email), {
          project: props.project,
          displayName: `budget ${email}`,
          type: 'email',
          config: { email_address: email },
        }),
      );
    }

    const tags = Tags.of(this);
    const estimate = CostEstimate.of(this);
    const path = this.node.path;
    const units = budgetAmount(this, limit, {
      format: (usd) => String(Math.ceil(usd)),
      maxMonthlyUsd: () => estimate.monthlyUsd('max'),
      whenEmpty: ' (no priced node pools): set monthlyLimitUsd.',
    });

    this.resource = new BillingBudget(this, 'Resource', {
      billingAccount: props.billingAccount,
      displayName: props.displayName ?? `${path} monthly budget`.slice(0, 60),
      amount: { specifiedAmount: { units } },
      budgetFilter: {
        projects: [`projects/${props.projectNumber}`],
        calendarPeriod: 'MONTH',
        creditTypesTreatment: 'INCLUDE_ALL_CREDITS',
        // Resolved at synth so a cost tag set after the budget still applies.
        labels: Token.asStringMap(
          Lazy.anyValue({
            produce: () => {
              const label = labelFilter ?? tags.costAllocationTag;
              return label ? { [normalizeGcpLabelKey(label.key)]: normalizeGcpLabelValue(label.value) } : {};
            },
          }),
        ),
      },
      thresholdRules: thresholds.map((t) => ({
        thresholdPercent: t.fraction,
        spendBasis: t.forecasted ? 'FORECASTED_SPEND' : 'CURRENT_SPEND',
      })),
      allUpdatesRule: {
        pubsubTopic: this.topic.id,
        schemaVersion: '1.0',
        monitoringNotificationChannels: [
          ...this.channels.map((c) => c.id),
          ...external.map((c) => c.channelId),
        ],
        disableDefaultIamRecipients: false,
      },
    });
    this.node.defaultChild = this.resource;

    this.node.addValidation({
      validate: () => {
        const stack = TerraformStack.of(this);
        const providers = stack.node
          .findAll()
          .filter((c): c is GoogleProvider => c instanceof GoogleProvider);
        const ok = providers.some(
          (p) => p.userProjectOverride !== undefined && p.billingProject !== undefined,
        );
        if (!ok && !Token.isUnresolved(props.billingAccount)) {
          Warnings.add(
            this,
            'gcp-budget-quota-project',
            `No GoogleProvider in this stack sets user_project_override and billing_project: with user credentials the Budgets API fails with "requires a quota project". Spread BudgetAlarm.providerSettings('<project>') into the provider, or run as a service account.`,
          );
        }
        return [];
      },
    });
  }
}
