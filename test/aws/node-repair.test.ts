import {
  DCGM_ERROR_OVERRIDE,
  EksNodeCondition,
  EksNodeRepairAction,
  EksNodeRepairOptions,
  eksNodeRepairConfig,
} from '../../lib/aws/node-repair';
import { Accelerator, ValidationError } from '../../lib/core';
import { resourcesOf, synthJson } from '../util';
import { awsStack, clusterStack } from './util';

// The EKS API shape the rendered config must meet:
// https://docs.aws.amazon.com/eks/latest/APIReference/API_NodeRepairConfig.html and
// https://docs.aws.amazon.com/eks/latest/APIReference/API_NodeRepairConfigOverrides.html
function groupRepair(options: {
  cluster?: EksNodeRepairOptions;
  autoRepair?: boolean;
  group?: EksNodeRepairOptions;
}) {
  const { stack, cluster } = clusterStack({
    nodeAutoRepair: options.autoRepair ?? true,
    nodeRepair: options.cluster,
  });
  cluster.addInferenceNodeGroup('L4', { accelerator: Accelerator.L4, nodeRepair: options.group });
  cluster.addTrainingNodeGroup('H100', {
    accelerator: Accelerator.H100,
    nodes: 2,
    nodeRepair: options.group,
  });
  const groups = resourcesOf(synthJson(stack), 'aws_eks_node_group');
  const of = (prefix: string) =>
    Object.entries(groups).find(([k]) => k.startsWith(prefix))![1].node_repair_config;
  return { inference: of('Cluster_L4'), training: of('Cluster_H100') };
}

const DCGM_OVERRIDE_JSON = {
  node_monitoring_condition: 'AcceleratedHardwareReady',
  node_unhealthy_reason: 'DCGMError',
  repair_action: 'NoAction',
  min_repair_wait_time_mins: 10,
};

describe('EKS node auto repair on GPU node groups', () => {
  test('defaults: one node at a time, no threshold, DCGMError is NoAction, on both group kinds', () => {
    const { inference, training } = groupRepair({});
    const expected = {
      enabled: true,
      max_parallel_nodes_repaired_count: 1,
      node_repair_config_overrides: [DCGM_OVERRIDE_JSON],
    };
    expect(inference).toEqual(expected);
    expect(training).toEqual(expected);
  });

  test('no repair config when the cluster has auto repair off (the default)', () => {
    const { stack, cluster } = clusterStack();
    cluster.addInferenceNodeGroup('L4', { accelerator: Accelerator.L4 });
    const [group] = Object.values(resourcesOf(synthJson(stack), 'aws_eks_node_group')).filter(
      (g: any) => g.labels?.['cdktf-ai-infra/node-pool'] !== 'system',
    );
    expect(group.node_repair_config).toBeUndefined();
  });

  test('cluster options reach every group; percentages replace counts', () => {
    const { inference } = groupRepair({
      cluster: { maxParallelRepairPercentage: 25, maxUnhealthyNodePercentage: 40 },
    });
    expect(inference).toEqual({
      enabled: true,
      max_parallel_nodes_repaired_percentage: 25,
      max_unhealthy_node_threshold_percentage: 40,
      node_repair_config_overrides: [DCGM_OVERRIDE_JSON],
    });
  });

  test('a group’s own options win over the cluster’s', () => {
    const { inference } = groupRepair({
      cluster: { maxParallelRepairs: 3 },
      group: {
        maxUnhealthyNodes: 2,
        overrides: [
          {
            condition: EksNodeCondition.ACCELERATED_HARDWARE_READY,
            reason: 'NvidiaXID79Error',
            action: EksNodeRepairAction.REPLACE,
            minRepairWaitMinutes: 5,
          },
        ],
      },
    });
    expect(inference).toEqual({
      enabled: true,
      max_parallel_nodes_repaired_count: 1,
      max_unhealthy_node_threshold_count: 2,
      node_repair_config_overrides: [
        DCGM_OVERRIDE_JSON,
        {
          node_monitoring_condition: 'AcceleratedHardwareReady',
          node_unhealthy_reason: 'NvidiaXID79Error',
          repair_action: 'Replace',
          min_repair_wait_time_mins: 5,
        },
      ],
    });
  });

  test('a user override for DCGMError replaces the library’s', () => {
    const config = eksNodeRepairConfig(awsStack(), 'nodeRepair', {
      overrides: [{ ...DCGM_ERROR_OVERRIDE, action: EksNodeRepairAction.REBOOT, minRepairWaitMinutes: 30 }],
    });
    expect(config.nodeRepairConfigOverrides).toEqual([
      {
        nodeMonitoringCondition: 'AcceleratedHardwareReady',
        nodeUnhealthyReason: 'DCGMError',
        repairAction: 'Reboot',
        minRepairWaitTimeMins: 30,
      },
    ]);
  });

  test('the user’s overrides array is not mutated', () => {
    const overrides = [
      {
        condition: EksNodeCondition.NETWORKING_READY,
        reason: 'EFAErrorMetric',
        action: EksNodeRepairAction.NO_ACTION,
        minRepairWaitMinutes: 60,
      },
    ];
    eksNodeRepairConfig(awsStack(), 'nodeRepair', { overrides });
    expect(overrides).toHaveLength(1);
  });

  test('nodeRepair on the cluster turns auto repair on and installs the agent', () => {
    const { stack, cluster } = clusterStack({ nodeRepair: { maxParallelRepairs: 2 } });
    expect(cluster.nodeAutoRepair).toBe(true);
    const addons = Object.values(resourcesOf(synthJson(stack), 'aws_eks_addon')).map(
      (a: any) => a.addon_name,
    );
    expect(addons).toContain('eks-node-monitoring-agent');
  });
});

describe('EKS node auto repair validation', () => {
  const bad: Array<[string, EksNodeRepairOptions, RegExp]> = [
    [
      'count and percentage of parallel repairs',
      { maxParallelRepairs: 1, maxParallelRepairPercentage: 10 },
      /'nodeRepair.maxParallelRepairs' \(1\) and 'nodeRepair.maxParallelRepairPercentage' \(10\) are both set/,
    ],
    [
      'count and percentage of unhealthy nodes',
      { maxUnhealthyNodes: 3, maxUnhealthyNodePercentage: 50 },
      /a count or a percentage, not both/,
    ],
    [
      'zero parallel repairs',
      { maxParallelRepairs: 0 },
      /'nodeRepair.maxParallelRepairs' \(0\) must be a whole number from 1/,
    ],
    ['a percentage over 100', { maxUnhealthyNodePercentage: 101 }, /from 1 to 100/],
    ['a fractional count', { maxUnhealthyNodes: 1.5 }, /whole number/],
    ['NaN', { maxParallelRepairs: NaN }, /'nodeRepair.maxParallelRepairs'/],
    [
      'an unknown condition',
      {
        overrides: [
          {
            condition: 'GpuReady' as EksNodeCondition,
            reason: 'X',
            action: EksNodeRepairAction.REPLACE,
            minRepairWaitMinutes: 5,
          },
        ],
      },
      /'nodeRepair.overrides\[0\].condition' \('GpuReady'\) must be one of 'AcceleratedHardwareReady'/,
    ],
    [
      'an unknown action',
      {
        overrides: [
          {
            condition: EksNodeCondition.KERNEL_READY,
            reason: 'X',
            action: 'Terminate' as EksNodeRepairAction,
            minRepairWaitMinutes: 5,
          },
        ],
      },
      /'nodeRepair.overrides\[0\].action' \('Terminate'\) must be one of 'Replace', 'Reboot', 'NoAction'/,
    ],
    [
      'a reason with spaces',
      {
        overrides: [
          {
            condition: EksNodeCondition.KERNEL_READY,
            reason: 'Kernel Bug',
            action: EksNodeRepairAction.REPLACE,
            minRepairWaitMinutes: 5,
          },
        ],
      },
      /'nodeRepair.overrides\[0\].reason' \('Kernel Bug'\) must be a reason the node monitoring agent reports/,
    ],
    [
      'a zero wait',
      {
        overrides: [
          {
            condition: EksNodeCondition.KERNEL_READY,
            reason: 'KernelBug',
            action: EksNodeRepairAction.REPLACE,
            minRepairWaitMinutes: 0,
          },
        ],
      },
      /'nodeRepair.overrides\[0\].minRepairWaitMinutes' \(0\)/,
    ],
    [
      'the same condition and reason twice',
      {
        overrides: [
          {
            condition: EksNodeCondition.KERNEL_READY,
            reason: 'KernelBug',
            action: EksNodeRepairAction.REPLACE,
            minRepairWaitMinutes: 5,
          },
          {
            condition: EksNodeCondition.KERNEL_READY,
            reason: 'KernelBug',
            action: EksNodeRepairAction.NO_ACTION,
            minRepairWaitMinutes: 9,
          },
        ],
      },
      /'nodeRepair.overrides' lists 'KernelReady\/KernelBug' twice/,
    ],
    ['overrides not an array', { overrides: 'x' as any }, /'nodeRepair.overrides' must be an array/],
  ];
  test.each(bad)('%s is a ValidationError on the cluster', (_name, options, message) => {
    expect(() => clusterStack({ nodeAutoRepair: true, nodeRepair: options })).toThrow(ValidationError);
    expect(() => clusterStack({ nodeAutoRepair: true, nodeRepair: options })).toThrow(message);
  });

  test('nodeRepair with nodeAutoRepair false is an error', () => {
    expect(() => clusterStack({ nodeAutoRepair: false, nodeRepair: {} })).toThrow(
      /'nodeRepair' is set but 'nodeAutoRepair' is false/,
    );
  });

  test('a group’s nodeRepair without auto repair on the cluster is an error', () => {
    const { cluster } = clusterStack();
    expect(() =>
      cluster.addInferenceNodeGroup('L4', {
        accelerator: Accelerator.L4,
        nodeRepair: { maxParallelRepairs: 2 },
      }),
    ).toThrow(/'nodeRepair' is set but the cluster has 'nodeAutoRepair' off/);
  });

  test('a group’s bad options name the group prop', () => {
    const { cluster } = clusterStack({ nodeAutoRepair: true });
    expect(() =>
      cluster.addTrainingNodeGroup('H', {
        accelerator: Accelerator.H100,
        nodes: 2,
        nodeRepair: { maxParallelRepairs: -1 },
      }),
    ).toThrow(/'nodeRepair.maxParallelRepairs' \(-1\)/);
  });
});
