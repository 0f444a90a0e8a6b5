import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { parse, parseDocument, Scalar, YAMLMap } from 'yaml';
import { PRIORITY_EXPANDER_CONFIGMAP_NAME, priorityExpanderConfigMap } from '../../lib/aws/spot-fallback';
import { Accelerator, Capacity, ValidationError } from '../../lib/core';
import { onlyResource, synthJson } from '../util';
import { clusterStack } from './util';

describe('priorityExpanderConfigMap (spot with fallback across shapes)', () => {
  const { stack, cluster } = clusterStack();
  const l40sSpot = cluster.addInferenceNodeGroup('L40SSpot', {
    accelerator: Accelerator.L40S,
    maxNodes: 8,
    capacity: Capacity.spot(),
  });
  const l4Spot = cluster.addInferenceNodeGroup('L4Spot', {
    accelerator: Accelerator.L4,
    maxNodes: 8,
    capacity: Capacity.spot(),
  });
  const onDemand = cluster.addInferenceNodeGroup('L40S', { accelerator: Accelerator.L40S, maxNodes: 4 });
  const config = priorityExpanderConfigMap(stack, [[l40sSpot, l4Spot], [onDemand]]);
  new KubernetesProvider(stack, 'Kubernetes', { configPath: '~/.kube/config' });
  new ConfigMapV1(stack, 'PriorityExpander', config);
  const cm = onlyResource(synthJson(stack), 'kubernetes_config_map_v1');

  test('is the ConfigMap cluster-autoscaler reads, in kube-system by default', () => {
    expect(cm.metadata).toEqual({ name: PRIORITY_EXPANDER_CONFIGMAP_NAME, namespace: 'kube-system' });
    expect(PRIORITY_EXPANDER_CONFIGMAP_NAME).toBe('cluster-autoscaler-priority-expander');
  });

  test('gives the first tier the highest priority, each group by its exact Auto Scaling group name', () => {
    const priorities = parse(cm.data.priorities);
    expect(Object.keys(priorities).sort()).toEqual(['10', '20']);
    const asg = (id: string) =>
      new RegExp(
        `^\\^\\$\\{aws_eks_node_group\\.Cluster_${id}_[A-F0-9]+\\.resources\\[0\\]\\.autoscaling_groups\\[0\\]\\.name\\}\\$$`,
      );
    expect(priorities[20]).toHaveLength(2);
    expect(priorities[20][0]).toMatch(asg('L40SSpot'));
    expect(priorities[20][1]).toMatch(asg('L4Spot'));
    expect(priorities[10][0]).toMatch(asg('L40S'));
  });

  test('priorities are integer keys, as cluster-autoscaler decodes them (map[int][]string)', () => {
    // cluster-autoscaler expander/priority/priority.go unmarshals the text with gopkg.in/yaml.v2 into
    // map[int][]string; yaml.v2 decodes a quoted key ("10") as a string and fails on an int key.
    const doc = parseDocument(cm.data.priorities, { version: '1.1' });
    expect(doc.errors).toEqual([]);
    const keys = (doc.contents as YAMLMap).items.map((pair) => pair.key as Scalar);
    expect(keys.map((k) => [k.type, k.value])).toEqual([
      ['PLAIN', 10],
      ['PLAIN', 20],
    ]);
    expect(cm.data.priorities).toMatch(/^10:\n {2}- \^\$\{aws_eks_node_group\./);
  });

  test('escapes regular-expression metacharacters of a group name known at synth', () => {
    const named = (id: string, autoScalingGroupName: string) =>
      Object.assign(new Construct(stack, id), { autoScalingGroupName });
    const text = priorityExpanderConfigMap(stack, [
      [named('Dotted', 'gpu.spot(a)+[1]')],
      [named('Plain', 'eks-l40s-1234')],
    ]).data.priorities;
    const priorities = parse(text);
    expect(priorities).toEqual({ 10: ['^eks-l40s-1234$'], 20: ['^gpu\\.spot\\(a\\)\\+\\[1\\]$'] });
    expect(new RegExp(priorities[20][0]).test('gpu.spot(a)+[1]')).toBe(true);
    expect(new RegExp(priorities[20][0]).test('gpuxspot(a)+[1]')).toBe(false);
  });

  test('throws a ValidationError for no tiers, an empty tier, a group in two tiers or a bad namespace', () => {
    expect(() => priorityExpanderConfigMap(stack, [])).toThrow(/'tiers' is empty/);
    expect(() => priorityExpanderConfigMap(stack, [[onDemand], []])).toThrow(/'tiers\[1\]' is empty/);
    expect(() => priorityExpanderConfigMap(stack, [[onDemand], [onDemand]])).toThrow(
      /lists node group test\/Cluster\/L40S in tier 0 and tier 1/,
    );
    expect(() => priorityExpanderConfigMap(stack, [[onDemand]], { namespace: 'Kube_System' })).toThrow(
      ValidationError,
    );
  });
});
