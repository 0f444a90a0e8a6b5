import { AlertTopic } from '../../lib/aws/alert-topic';
import { BudgetAlarm, BudgetAlarmProps, tagKeyValue } from '../../lib/aws/budget-alarm';
import { Accelerator, CostEstimate, Tags } from '../../lib/core';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { awsStack, clusterStack, hasWarning } from './util';

function build(props: Partial<BudgetAlarmProps> = {}, costTag = true) {
  const stack = awsStack();
  if (costTag) {
    Tags.of(stack).setCostAllocationTag('project', 'llm');
  }
  new BudgetAlarm(stack, 'Budget', { monthlyLimitUsd: 40000, emails: ['finops@example.com'], ...props });
  return { stack, json: synthJson(stack) };
}

describe('BudgetAlarm', () => {
  test('is a monthly USD cost budget', () => {
    expect(onlyResource(build().json, 'aws_budgets_budget')).toMatchObject({
      budget_type: 'COST',
      limit_amount: '40000.00',
      limit_unit: 'USD',
      time_unit: 'MONTHLY',
      name: 'test-Budget',
    });
  });

  test('filters on the stack cost-allocation tag as user:Key$Value', () => {
    expect(onlyResource(build().json, 'aws_budgets_budget').cost_filter).toEqual([
      { name: 'TagKeyValue', values: ['user:project$llm'] },
    ]);
  });

  test('defaults to not activating the tag, with a warning (activation fails for unseen tags)', () => {
    const { json, stack } = build();
    expect(resourcesOf(json, 'aws_ce_cost_allocation_tag')).toEqual({});
    expect(hasWarning(stack, 'aws-cost-tag-not-activated')).toBe(true);
  });

  test('activateCostAllocationTag: true activates the tag', () => {
    const { json, stack } = build({ activateCostAllocationTag: true });
    expect(onlyResource(json, 'aws_ce_cost_allocation_tag')).toEqual({
      tag_key: 'project',
      status: 'Active',
    });
    expect(hasWarning(stack, 'aws-cost-tag-not-activated')).toBe(false);
  });

  test('warns and covers the account without a cost-allocation tag', () => {
    const { stack, json } = build({}, false);
    expect(onlyResource(json, 'aws_budgets_budget').cost_filter).toBeUndefined();
    expect(hasWarning(stack, 'aws-budget-unfiltered')).toBe(true);
  });

  test('defaults to DEFAULT_BUDGET_THRESHOLDS: ACTUAL at 50%, 90% and 100% and FORECASTED at 100%', () => {
    const n = onlyResource(build().json, 'aws_budgets_budget').notification;
    expect(
      n.map((x: any) => `${x.notification_type} ${x.threshold} ${x.threshold_type} ${x.comparison_operator}`),
    ).toEqual([
      'ACTUAL 50 PERCENTAGE GREATER_THAN',
      'ACTUAL 90 PERCENTAGE GREATER_THAN',
      'ACTUAL 100 PERCENTAGE GREATER_THAN',
      'FORECASTED 100 PERCENTAGE GREATER_THAN',
    ]);
    expect(n[0].subscriber_email_addresses).toEqual(['finops@example.com']);
  });

  test('notifies an SNS topic and lets Budgets publish to it', () => {
    const stack = awsStack();
    const topic = new AlertTopic(stack, 'Alerts');
    new BudgetAlarm(stack, 'Budget', { monthlyLimitUsd: 100, topic });
    const json = synthJson(stack);
    expect(onlyResource(json, 'aws_budgets_budget').notification[0].subscriber_sns_topic_arns).toEqual([
      expect.stringContaining('aws_sns_topic.'),
    ]);
    const principals = JSON.parse(onlyResource(json, 'aws_sns_topic_policy').policy).Statement.map(
      (s: any) => s.Principal.Service,
    );
    expect(principals).toContain('budgets.amazonaws.com');
  });

  test('derives the limit from the stack cost estimate when none is given', () => {
    const { stack, cluster } = clusterStack();
    cluster.addTrainingNodeGroup('H100', { accelerator: Accelerator.H100, nodes: 2 });
    new BudgetAlarm(stack, 'Budget', { emails: ['finops@example.com'] });
    const expected = CostEstimate.of(stack).monthlyUsd('max').toFixed(2);
    expect(onlyResource(synthJson(stack), 'aws_budgets_budget').limit_amount).toBe(expected);
    const estimate = CostEstimate.of(stack);
    const gpu = estimate.lines.find((l) => l.item === 'p5.48xlarge')!;
    expect(estimate.lineMonthlyUsd(gpu, 'max')).toBeCloseTo(2 * 55.04 * 730, 0);
    // plus the network's NAT gateways, the control plane and the system nodes
    expect(Number(expected)).toBeGreaterThan(2 * 55.04 * 730 + 3 * 0.05 * 730);
  });

  test('counts node groups added after the budget', () => {
    const { stack, cluster } = clusterStack();
    new BudgetAlarm(stack, 'Budget', { emails: ['finops@example.com'] });
    cluster.addInferenceNodeGroup('L4', { accelerator: Accelerator.L4, maxNodes: 2 });
    expect(Number(onlyResource(synthJson(stack), 'aws_budgets_budget').limit_amount)).toBeGreaterThan(0);
  });

  test('throws at synth when no limit is given and the estimate is empty', () => {
    const stack = awsStack();
    new BudgetAlarm(stack, 'Budget', { emails: ['finops@example.com'] });
    expect(() => synthJson(stack)).toThrow(
      /'monthlyLimitUsd' is not set and the stack's cost estimate is empty/,
    );
  });

  test('throws for a non-positive limit', () => {
    expect(() => build({ monthlyLimitUsd: 0 })).toThrow(
      /'monthlyLimitUsd' \(0\) must be a finite number > 0/,
    );
  });

  test('throws for more than 10 notifications', () => {
    expect(() =>
      build({
        actualThresholdsPercent: [10, 20, 30, 40, 50, 60, 70, 80],
        forecastedThresholdsPercent: [90, 100, 110],
      }),
    ).toThrow(/11 notifications .* AWS Budgets allows 10 per budget/);
  });

  test('throws for more than 10 e-mails', () => {
    const emails = Array.from({ length: 11 }, (_, i) => `u${i}@example.com`);
    expect(() => build({ emails })).toThrow(/'emails' has 11 addresses; AWS Budgets allows 10/);
  });

  test('throws without subscribers', () => {
    expect(() => build({ emails: [] })).toThrow(/give 'emails' or 'topic'/);
  });

  test('throws for an e-mail listed twice', () => {
    expect(() => build({ emails: ['finops@example.com', 'finops@example.com'] })).toThrow(
      /'emails' lists 'finops@example.com' twice/,
    );
  });

  test('throws when both threshold lists are empty', () => {
    expect(() => build({ actualThresholdsPercent: [], forecastedThresholdsPercent: [] })).toThrow(
      /'actualThresholdsPercent' and 'forecastedThresholdsPercent' are both empty/,
    );
  });

  test('throws for a repeated or invalid threshold', () => {
    expect(() => build({ actualThresholdsPercent: [80, 80] })).toThrow(/repeats a threshold/);
    expect(() => build({ forecastedThresholdsPercent: [0] })).toThrow(
      /'forecastedThresholdsPercent\[0\]' \(0\) must be a finite number > 0/,
    );
  });

  test('throws when both threshold lists are empty', () => {
    expect(() => build({ actualThresholdsPercent: [], forecastedThresholdsPercent: [] })).toThrow(
      /would never notify/,
    );
  });

  test('creates a custom anomaly monitor on the cost-allocation tag and a daily e-mail subscription', () => {
    const { json } = build({ anomalyDetection: {} });
    const monitor = onlyResource(json, 'aws_ce_anomaly_monitor');
    expect(monitor.monitor_type).toBe('CUSTOM');
    expect(JSON.parse(monitor.monitor_specification)).toEqual({
      Tags: { Key: 'project', Values: ['llm'], MatchOptions: ['EQUALS'] },
    });
    expect(onlyResource(json, 'aws_ce_anomaly_subscription')).toMatchObject({
      frequency: 'DAILY',
      subscriber: [{ type: 'EMAIL', address: 'finops@example.com' }],
      threshold_expression: {
        dimension: {
          key: 'ANOMALY_TOTAL_IMPACT_ABSOLUTE',
          match_options: ['GREATER_THAN_OR_EQUAL'],
          values: ['100'],
        },
      },
    });
  });

  test('without a tag uses a SERVICE monitor and warns about the per-account quota', () => {
    const { json, stack } = build({ anomalyDetection: {} }, false);
    expect(onlyResource(json, 'aws_ce_anomaly_monitor')).toMatchObject({
      monitor_type: 'DIMENSIONAL',
      monitor_dimension: 'SERVICE',
    });
    expect(hasWarning(stack, 'aws-anomaly-service-monitor-quota')).toBe(true);
  });

  test('subscribes to an existing monitor', () => {
    const arn = 'arn:aws:ce::111122223333:anomalymonitor/abcd-1234';
    const { json } = build({ anomalyDetection: { existingMonitorArn: arn } });
    expect(resourcesOf(json, 'aws_ce_anomaly_monitor')).toEqual({});
    expect(onlyResource(json, 'aws_ce_anomaly_subscription').monitor_arn_list).toEqual([arn]);
  });

  test('throws for an existing monitor that is not a monitor ARN', () => {
    expect(() => build({ anomalyDetection: { existingMonitorArn: 'monitor-1' } })).toThrow(
      /'anomalyDetection.existingMonitorArn' \('monitor-1'\)/,
    );
  });

  test('throws for anomaly detection without e-mails', () => {
    const stack = awsStack();
    const topic = new AlertTopic(stack, 'Alerts');
    expect(() => new BudgetAlarm(stack, 'B', { monthlyLimitUsd: 1, topic, anomalyDetection: {} })).toThrow(
      /'anomalyDetection' needs 'emails'/,
    );
  });

  test('throws for a non-positive anomaly impact', () => {
    expect(() => build({ anomalyDetection: { minImpactUsd: -1 } })).toThrow(
      /'anomalyDetection.minImpactUsd' \(-1\)/,
    );
  });
});

describe('BudgetAlarm name', () => {
  test('throws for a name with a colon', () => {
    expect(() => build({ budgetName: 'team:llm' })).toThrow(
      /'budgetName' \('team:llm'\) must be 1-100 characters/,
    );
  });
});

describe('tagKeyValue', () => {
  test('renders user:Key$Value', () => {
    expect(tagKeyValue('project', 'llm')).toBe('user:project$llm');
  });

  test('escapes a value that would start a Terraform interpolation', () => {
    expect(tagKeyValue('a', '{b}')).toBe('user:a$${b}');
  });
});

describe('BudgetAlarm costAllocationTag', () => {
  test('costAllocationTag overrides the stack tag', () => {
    const { json } = build({ costAllocationTag: { key: 'team', value: 'ml' } });
    expect(onlyResource(json, 'aws_budgets_budget').cost_filter).toEqual([
      { name: 'TagKeyValue', values: ['user:team$ml'] },
    ]);
  });

  test('throws for a tag key AWS reserves or does not allow', () => {
    // AWS-generated tags (aws:...) are not user-defined cost-allocation tags: a user:aws:... filter
    // matches nothing.
    expect(() => build({ costAllocationTag: { key: 'aws:createdBy', value: 'x' } })).toThrow(
      /'costAllocationTag' key 'aws:createdBy' is not a user-defined AWS tag key/,
    );
    expect(() => build({ costAllocationTag: { key: 'team!', value: 'ml' } })).toThrow(
      /'costAllocationTag' key 'team!' is not a user-defined AWS tag key/,
    );
  });

  test('throws for a tag value AWS does not allow', () => {
    expect(() => build({ costAllocationTag: { key: 'team', value: 'ml#1' } })).toThrow(
      /'costAllocationTag' value 'ml#1' of 'team' is not a valid AWS tag value/,
    );
  });

  test('allows letters, digits and spaces of any script, counting characters, not UTF-16 units', () => {
    // Non-ASCII tags go past the ASCII check to the Unicode one; 128 astral letters are 256 UTF-16 units.
    const key = '\u{1D400}'.repeat(128);
    const { json } = build({ costAllocationTag: { key, value: 'Größe ٣' } });
    expect(onlyResource(json, 'aws_budgets_budget').cost_filter).toEqual([
      { name: 'TagKeyValue', values: [`user:${key}$Größe ٣`] },
    ]);
    expect(() => build({ costAllocationTag: { key: 'team€', value: 'ml' } })).toThrow(
      /'costAllocationTag' key 'team€' is not a user-defined AWS tag key/,
    );
    expect(() => build({ costAllocationTag: { key: 'team', value: 'é'.repeat(257) } })).toThrow(
      /is not a valid AWS tag value/,
    );
  });

  describe('thresholds (one type with the GCP BudgetAlarm)', () => {
    function summary(props: Partial<BudgetAlarmProps>) {
      const { stack, json } = build(props);
      const n = onlyResource(json, 'aws_budgets_budget').notification;
      return { stack, n: n.map((x: any) => `${x.notification_type} ${x.threshold}`) };
    }

    test('renders each threshold as one notification, percent without binary noise', () => {
      expect(summary({ thresholds: [{ fraction: 0.29 }, { fraction: 1.1, forecasted: true }] }).n).toEqual([
        'ACTUAL 29',
        'FORECASTED 110',
      ]);
    });

    test('the deprecated percent arrays still work, with a deprecated-api warning', () => {
      const { stack, n } = summary({ actualThresholdsPercent: [75] });
      expect(n).toEqual(['ACTUAL 75', 'FORECASTED 100']);
      expect(hasWarning(stack, 'deprecated-api')).toBe(true);
    });

    test('thresholds raise no deprecated-api warning', () => {
      expect(hasWarning(summary({ thresholds: [{ fraction: 0.8 }] }).stack, 'deprecated-api')).toBe(false);
    });

    test('throws when thresholds and a deprecated array are both set', () => {
      expect(() => build({ thresholds: [{ fraction: 0.8 }], forecastedThresholdsPercent: [100] })).toThrow(
        /'thresholds' and the deprecated 'actualThresholdsPercent' \/ 'forecastedThresholdsPercent' are both set/,
      );
    });

    test('throws for more than 10 thresholds (AWS Budgets notifications per budget)', () => {
      const many = Array.from({ length: 11 }, (_, i) => ({ fraction: (i + 1) / 10 }));
      expect(() => build({ thresholds: many })).toThrow(
        /'thresholds' has 11 thresholds; a budget takes at most 10/,
      );
    });

    test('throws for a fraction above 10 (1000%)', () => {
      expect(() => build({ thresholds: [{ fraction: 80 }] })).toThrow(/'thresholds\[0\]\.fraction'/);
    });

    test('throws for an empty list', () => {
      expect(() => build({ thresholds: [] })).toThrow(/'thresholds' is empty/);
    });
  });
});
