import { BudgetsBudget, BudgetsBudgetNotification } from '@cdktf/provider-aws/lib/budgets-budget';
import { CeAnomalyMonitor } from '@cdktf/provider-aws/lib/ce-anomaly-monitor';
import { CeAnomalySubscription } from '@cdktf/provider-aws/lib/ce-anomaly-subscription';
import { CeCostAllocationTag } from '@cdktf/provider-aws/lib/ce-cost-allocation-tag';
import { Construct } from 'constructs';
import {
  BudgetThreshold,
  CostAllocationTag,
  CostEstimate,
  DEPRECATED_WARNING_ID,
  resolveBudgetThresholds,
  Tags,
  Validate,
  ValidationError,
  Warnings,
} from '../core';
import { budgetAmount } from '../core/private/budget-amount';
import { validateCostAllocationTagShape, validateEmailList } from '../core/private/subscribers';
import { IAlertTopic } from './interfaces';

/** Most notifications AWS Budgets allows per budget. */
export const MAX_BUDGET_NOTIFICATIONS = 10;
/** Most e-mail subscribers per budget notification. */
export const MAX_BUDGET_EMAILS = 10;

// AWS tag rules (Tagging AWS resources): letters, digits, spaces and _ . : / = + - @; keys 1-128
// characters, values at most 256. Each rule has an ASCII form, tested first: it decides the usual
// ASCII tag without compiling the Unicode property classes (a few tenths of a millisecond per
// pattern and process).
const AWS_TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const AWS_TAG_KEY_ASCII = /^[A-Za-z0-9 _.:/=+\-@]{1,128}$/;
const AWS_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;
const AWS_TAG_VALUE_ASCII = /^[A-Za-z0-9 _.:/=+\-@]{0,256}$/;

/** Options of the cost anomaly monitor of a {@link BudgetAlarm}. */
export interface AnomalyDetectionOptions {
  /**
   * Alert on anomalies whose total impact is at least this many USD.
   * @default 100
   */
  readonly minImpactUsd?: number;
  /**
   * Subscribe to an existing anomaly monitor instead of creating one.
   * @default - a CUSTOM monitor on the cost-allocation tag, or, without a tag, a DIMENSIONAL
   *   SERVICE monitor (an account holds one per dimension, and AWS may already have created one)
   */
  readonly existingMonitorArn?: string;
}

/** Properties of a {@link BudgetAlarm}. */
export interface BudgetAlarmProps {
  /**
   * Monthly budget, USD.
   * @default - the stack's cost estimate with every pool at its maximum (`CostEstimate.of(stack).monthlyUsd('max')`), resolved at synth; an error if the stack defines nothing priced
   */
  readonly monthlyLimitUsd?: number;
  /**
   * E-mail addresses notified (at most 10).
   * @default - none (then `topic` is required)
   */
  readonly emails?: string[];
  /**
   * SNS topic notified as well; AWS Budgets is admitted on the topic policy and on the topic's
   * KMS key policy (`aws:SourceAccount` / `aws:SourceArn` of the account's budgets).
   * @default - none
   */
  readonly topic?: IAlertTopic;
  /**
   * Notification thresholds (the same type and default in every module): each is one ACTUAL or
   * FORECASTED notification at a percentage of the limit.
   * @default DEFAULT_BUDGET_THRESHOLDS - 50%, 90% and 100% of actual spend, 100% of forecasted spend
   */
  readonly thresholds?: BudgetThreshold[];
  /**
   * ACTUAL-spend notification thresholds, percent of the limit.
   * @deprecated use `thresholds` (`{ fraction: 0.8 }`); warns `deprecated-api`, removed in the next minor release
   * @default [80, 100] when `forecastedThresholdsPercent` is set, else unused
   */
  readonly actualThresholdsPercent?: number[];
  /**
   * FORECASTED-spend notification thresholds, percent of the limit.
   * @deprecated use `thresholds` (`{ fraction: 1, forecasted: true }`); warns `deprecated-api`, removed in the next minor release
   * @default [100] when `actualThresholdsPercent` is set, else unused
   */
  readonly forecastedThresholdsPercent?: number[];
  /**
   * The cost-allocation tag the budget filters on.
   * @default - the stack's `Tags.of(stack).costAllocationTag`; without one the budget covers the whole account (with a warning)
   */
  readonly costAllocationTag?: CostAllocationTag;
  /**
   * Activate the cost-allocation tag in Cost Explorer (`aws_ce_cost_allocation_tag`).
   *
   * Off by default because activation fails until AWS has seen the tag on a resource (up to 24
   * hours after the first apply: hashicorp/terraform-provider-aws#29068, #31442) and works only
   * in the management (payer) account. Turn it on in a later apply, in one stack per account;
   * until the tag is active the budget's tag filter matches nothing.
   * @default false (with warning `aws-cost-tag-not-activated`)
   * @see https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/activating-tags.html
   */
  readonly activateCostAllocationTag?: boolean;
  /**
   * A Cost Explorer anomaly monitor (per AWS service) with a daily e-mail subscription.
   * @default - none
   */
  readonly anomalyDetection?: AnomalyDetectionOptions;
  /**
   * Budget name.
   * @default - the construct path
   */
  readonly budgetName?: string;
}

/**
 * A monthly AWS Budgets cost budget filtered on the project's cost-allocation tag, the
 * activation of that tag (opt-in, see `activateCostAllocationTag`), ACTUAL and FORECASTED
 * notifications to e-mail and SNS, and an
 * optional Cost Explorer anomaly monitor. Without a limit, the limit is the stack's cost
 * estimate at maximum scale.
 *
 * The tag filter value is `user:<key>$<value>` (VERIFY: community code also uses `<key>$<value>`).
 * Tags reach Budgets only after activation, which can take up to 24 hours.
 *
 * @see https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-managing-costs.html
 * @example
 * Tags.of(stack).setCostAllocationTag('project', 'llm-serving');
 * new BudgetAlarm(stack, 'Budget', { monthlyLimitUsd: 40_000, emails: ['ml-oncall@example.com'] });
 */
export class BudgetAlarm extends Construct {
  /** The budget. */
  public readonly resource: BudgetsBudget;

  constructor(scope: Construct, id: string, props: BudgetAlarmProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const emails = validateEmailList(this, 'emails', props.emails);
    if (emails.length > MAX_BUDGET_EMAILS) {
      throw new ValidationError(
        `'emails' has ${emails.length} addresses; AWS Budgets allows ${MAX_BUDGET_EMAILS} per notification: use an AlertTopic for more.`,
        this,
      );
    }
    if (emails.length === 0 && !props.topic) {
      throw new ValidationError(
        `give 'emails' or 'topic': a budget without subscribers notifies nobody.`,
        this,
      );
    }
    const { actual, forecast } = this.thresholds(props);
    if (props.monthlyLimitUsd !== undefined) {
      // The Budgets API takes the amount as a decimal string; a value past 1e12 is a typo and
      // past 1e21 would be written in exponent form, which the API rejects.
      Validate.number(this, 'monthlyLimitUsd', props.monthlyLimitUsd, {
        min: 0,
        exclusiveMin: true,
        max: 1e12,
        reason: 'USD per month',
      });
    }
    if (props.budgetName !== undefined)
      Validate.string(this, 'budgetName', props.budgetName, { maxLength: 100 });
    const name = props.budgetName ?? this.node.path.replace(/\//g, '-').slice(-100);
    if (!/^[^:\\]{1,100}$/.test(name)) {
      throw new ValidationError(
        `'budgetName' ('${name}') must be 1-100 characters without ':' or '\\'.`,
        this,
      );
    }
    if (props.topic) {
      props.topic.allowPublishFrom('budgets.amazonaws.com');
    }

    if (props.costAllocationTag !== undefined) {
      validateCostAllocationTagShape(this, 'costAllocationTag', props.costAllocationTag);
    }
    if (props.activateCostAllocationTag !== undefined) {
      Validate.boolean(this, 'activateCostAllocationTag', props.activateCostAllocationTag);
    }
    const tag = props.costAllocationTag ?? Tags.of(this).costAllocationTag;
    if (tag) {
      // Not aws: either (AWS-generated tags are not user-defined cost tags).
      if (!(AWS_TAG_KEY_ASCII.test(tag.key) || AWS_TAG_KEY.test(tag.key)) || /^aws:/i.test(tag.key)) {
        throw new ValidationError(
          `'costAllocationTag' key '${tag.key}' is not a user-defined AWS tag key (1-128 letters, digits, spaces and _ . : / = + - @, not starting with 'aws:'): the budget's tag filter would match nothing.`,
          this,
        );
      }
      if (!(AWS_TAG_VALUE_ASCII.test(tag.value) || AWS_TAG_VALUE.test(tag.value))) {
        throw new ValidationError(
          `'costAllocationTag' value '${tag.value}' of '${tag.key}' is not a valid AWS tag value (at most 256 letters, digits, spaces and _ . : / = + - @).`,
          this,
        );
      }
    }
    if (!tag) {
      Warnings.add(
        this,
        'aws-budget-unfiltered',
        `No cost-allocation tag: the budget covers the whole account. Call Tags.of(stack).setCostAllocationTag(key, value) or pass 'costAllocationTag'.`,
      );
    } else if (props.activateCostAllocationTag ?? false) {
      new CeCostAllocationTag(this, 'CostAllocationTag', { tagKey: tag.key, status: 'Active' });
    } else {
      Warnings.add(
        this,
        'aws-cost-tag-not-activated',
        `The budget filters on cost-allocation tag '${tag.key}', which must be activated before the budget sees any cost. ` +
          `Once AWS has seen the tag (up to 24 h after the first apply), set 'activateCostAllocationTag: true' in one stack of the management account, or activate it in the Billing console.`,
      );
    }

    const limit = budgetAmount(this, props.monthlyLimitUsd, {
      format: (usd) => usd.toFixed(2),
      maxMonthlyUsd: () => CostEstimate.of(this).monthlyUsd('max'),
      whenEmpty: ': set monthlyLimitUsd, or define priced node groups in the same stack as the budget.',
    });

    const subscribers = {
      ...(emails.length ? { subscriberEmailAddresses: emails } : {}),
      ...(props.topic ? { subscriberSnsTopicArns: [props.topic.topicArn] } : {}),
    };
    const notification: BudgetsBudgetNotification[] = [
      ...actual.map((threshold) => ({
        comparisonOperator: 'GREATER_THAN',
        threshold,
        thresholdType: 'PERCENTAGE',
        notificationType: 'ACTUAL',
        ...subscribers,
      })),
      ...forecast.map((threshold) => ({
        comparisonOperator: 'GREATER_THAN',
        threshold,
        thresholdType: 'PERCENTAGE',
        notificationType: 'FORECASTED',
        ...subscribers,
      })),
    ];

    this.resource = new BudgetsBudget(this, 'Resource', {
      name,
      budgetType: 'COST',
      limitAmount: limit,
      limitUnit: 'USD',
      timeUnit: 'MONTHLY',
      ...(tag ? { costFilter: [{ name: 'TagKeyValue', values: [tagKeyValue(tag.key, tag.value)] }] } : {}),
      notification,
    });
    this.node.defaultChild = this.resource;

    if (props.anomalyDetection !== undefined) {
      Validate.object(this, 'anomalyDetection', props.anomalyDetection);
      const min = Validate.number(
        this,
        'anomalyDetection.minImpactUsd',
        props.anomalyDetection.minImpactUsd ?? 100,
        {
          min: 0,
          exclusiveMin: true,
          max: 1e12,
        },
      );
      if (!(min > 0)) {
        throw new ValidationError(
          `'anomalyDetection.minImpactUsd' (${min}) must be a positive number of USD.`,
          this,
        );
      }
      if (emails.length === 0) {
        throw new ValidationError(
          `'anomalyDetection' needs 'emails': the daily anomaly summary is sent by e-mail.`,
          this,
        );
      }
      let monitorArn = props.anomalyDetection.existingMonitorArn;
      if (monitorArn !== undefined) {
        Validate.arn(this, 'anomalyDetection.existingMonitorArn', monitorArn, {
          service: 'ce',
          resourcePrefix: 'anomalymonitor/',
        });
      }
      if (monitorArn !== undefined && !/^arn:aws[a-z-]*:ce::\d{12}:anomalymonitor\/.+/.test(monitorArn)) {
        throw new ValidationError(
          `'anomalyDetection.existingMonitorArn' ('${monitorArn}') must be a Cost Explorer anomaly monitor ARN (arn:aws:ce::<account>:anomalymonitor/<id>).`,
          this,
        );
      }
      if (monitorArn === undefined && tag) {
        // Custom monitors (up to 500 per account) scoped to the project's tag.
        monitorArn = new CeAnomalyMonitor(this, 'AnomalyMonitor', {
          name: `${this.node.path.replace(/\//g, '-')}-${tag.key}`.slice(-1024),
          monitorType: 'CUSTOM',
          monitorSpecification: JSON.stringify({
            Tags: { Key: tag.key, Values: [tag.value], MatchOptions: ['EQUALS'] },
          }),
        }).arn;
      } else if (monitorArn === undefined) {
        Warnings.add(
          this,
          'aws-anomaly-service-monitor-quota',
          `Without a cost-allocation tag the anomaly monitor is a DIMENSIONAL SERVICE monitor; an account may hold only one per dimension and AWS may already have created a default one, which makes the apply fail. Pass 'anomalyDetection.existingMonitorArn' to reuse it.`,
        );
        monitorArn = new CeAnomalyMonitor(this, 'AnomalyMonitor', {
          name: `${this.node.path.replace(/\//g, '-')}-services`.slice(-1024),
          monitorType: 'DIMENSIONAL',
          monitorDimension: 'SERVICE',
        }).arn;
      }
      new CeAnomalySubscription(this, 'AnomalySubscription', {
        name: `${this.node.path.replace(/\//g, '-')}-anomalies`,
        frequency: 'DAILY',
        monitorArnList: [monitorArn],
        subscriber: emails.map((address) => ({ type: 'EMAIL', address })),
        thresholdExpression: {
          dimension: {
            key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
            matchOptions: ['GREATER_THAN_OR_EQUAL'],
            values: [`${min}`],
          },
        },
      });
    }
  }

  /** ACTUAL and FORECASTED percentages from `thresholds`, or from the deprecated percent arrays. */
  private thresholds(props: BudgetAlarmProps): { actual: number[]; forecast: number[] } {
    const legacy =
      props.actualThresholdsPercent !== undefined || props.forecastedThresholdsPercent !== undefined;
    if (!legacy) {
      const list = resolveBudgetThresholds(this, 'thresholds', props.thresholds, MAX_BUDGET_NOTIFICATIONS);
      return {
        actual: list.filter((t) => !t.forecasted).map((t) => percentOf(t.fraction)),
        forecast: list.filter((t) => t.forecasted).map((t) => percentOf(t.fraction)),
      };
    }
    if (props.thresholds !== undefined) {
      throw new ValidationError(
        `'thresholds' and the deprecated 'actualThresholdsPercent' / 'forecastedThresholdsPercent' are both set: keep 'thresholds' only.`,
        this,
      );
    }
    Warnings.add(
      this,
      DEPRECATED_WARNING_ID,
      `'actualThresholdsPercent' and 'forecastedThresholdsPercent' are deprecated and will be removed in the next minor release: ` +
        `use 'thresholds' ([{ fraction: 0.8 }, { fraction: 1, forecasted: true }]), the same type as the GCP BudgetAlarm's.`,
    );
    const actual = Validate.array<number>(
      this,
      'actualThresholdsPercent',
      props.actualThresholdsPercent ?? [80, 100],
    );
    const forecast = Validate.array<number>(
      this,
      'forecastedThresholdsPercent',
      props.forecastedThresholdsPercent ?? [100],
    );
    for (const [prop, list] of [
      ['actualThresholdsPercent', actual],
      ['forecastedThresholdsPercent', forecast],
    ] as const) {
      list.forEach((t, i) =>
        Validate.number(this, `${prop}[${i}]`, t, {
          min: 0,
          exclusiveMin: true,
          max: 1000,
          reason: 'a percentage of the limit',
        }),
      );
      if (new Set(list).size !== list.length) {
        throw new ValidationError(`'${prop}' (${list.join(', ')}) repeats a threshold.`, this);
      }
    }
    if (actual.length + forecast.length > MAX_BUDGET_NOTIFICATIONS) {
      throw new ValidationError(
        `${actual.length + forecast.length} notifications ('actualThresholdsPercent' + 'forecastedThresholdsPercent'); AWS Budgets allows ${MAX_BUDGET_NOTIFICATIONS} per budget.`,
        this,
      );
    }
    if (actual.length + forecast.length === 0) {
      throw new ValidationError(
        `'actualThresholdsPercent' and 'forecastedThresholdsPercent' are both empty: the budget would never notify.`,
        this,
      );
    }
    return { actual, forecast };
  }
}

/** A percentage of the limit from a fraction, without binary noise (0.29 -> 29, not 28.999999999999996). */
function percentOf(fraction: number): number {
  return Math.round(fraction * 100 * 1e6) / 1e6;
}

/**
 * The AWS Budgets `TagKeyValue` filter value of a cost-allocation tag: `user:<key>$<value>`, with
 * `${` escaped so Terraform does not read it as an interpolation.
 */
export function tagKeyValue(key: string, value: string): string {
  return `user:${key}$${value}`.split('${').join('$${');
}
