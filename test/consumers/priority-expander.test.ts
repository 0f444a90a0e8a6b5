import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { Construct } from 'constructs';
import { priorityExpanderConfigMap } from '../../lib/aws/spot-fallback';
import { Accelerator, Capacity } from '../../lib/core';
import { clusterStack } from '../aws/util';
import { onlyResource, synthJson } from '../util';
import {
  anchoredLiteral,
  decodeWithSigsYaml,
  decodeWithYamlV2,
  goQuoteMeta,
  PrioritiesResult,
  resolvePlain,
} from './go-yaml-priorities';

// The priority-expander ConfigMap (aws priorityExpanderConfigMap) read as cluster-autoscaler reads
// it: gopkg.in/yaml.v2 (up to 1.34) and sigs.k8s.io/yaml (1.35.2 and later) into map[int][]string,
// then Go's regexp on each pattern (go-yaml-priorities.ts says what is ported from where).

const asMap = (r: PrioritiesResult) => {
  if (!r.ok) throw new Error(r.error);
  return Object.fromEntries([...r.priorities].map(([k, v]) => [k, [...v]]));
};
const DECODERS = [
  ['gopkg.in/yaml.v2 v2.4.0 (cluster-autoscaler <= 1.34)', decodeWithYamlV2],
  ['sigs.k8s.io/yaml v1.6.0 (cluster-autoscaler >= 1.35.2)', decodeWithSigsYaml],
] as const;

describe('the decoders, as the Go sources behave', () => {
  test('go-yaml resolves plain scalars as YAML 1.1 with Go integer syntax', () => {
    expect(resolvePlain('10')).toEqual({ tag: '!!int', value: 10n });
    expect(resolvePlain('010')).toEqual({ tag: '!!int', value: 8n }); // strconv.ParseInt base 0: octal
    expect(resolvePlain('0x1_0')).toEqual({ tag: '!!int', value: 16n });
    expect(resolvePlain('1_000')).toEqual({ tag: '!!int', value: 1000n }); // '_' removed before parsing
    expect(resolvePlain('10.5')).toEqual({ tag: '!!float', value: 10.5 });
    expect(resolvePlain('yes')).toEqual({ tag: '!!bool', value: true });
    expect(resolvePlain('~')).toEqual({ tag: '!!null' });
    expect(resolvePlain('2026-12-04')).toEqual({ tag: '!!timestamp' });
    expect(resolvePlain('^eks-a-1$')).toEqual({ tag: '!!str' });
    expect(resolvePlain('9223372036854775808')).toEqual({ tag: '!!int', value: 2n ** 63n }); // uint64
  });

  test('a quoted key: yaml.v2 rejects the configuration, sigs.k8s.io/yaml takes it', () => {
    const text = '"10":\n  - ^a$\n';
    expect(decodeWithYamlV2(text)).toEqual({
      ok: false,
      error: 'yaml: unmarshal errors: cannot unmarshal !!str `10` into int',
    });
    expect(asMap(decodeWithSigsYaml(text))).toEqual({ 10: ['^a$'] });
  });

  test('keys: octal and hex read alike; a float truncated by yaml.v2 only; a boolean refused by both', () => {
    for (const [, decode] of DECODERS)
      expect(asMap(decode('010: [a]\n0x10: [b]\n'))).toEqual({ 8: ['a'], 16: ['b'] });
    expect(asMap(decodeWithYamlV2('10.5: [a]\n'))).toEqual({ 10: ['a'] });
    expect(decodeWithSigsYaml('10.5: [a]\n').ok).toBe(false);
    for (const [, decode] of DECODERS) expect(decode('yes: [a]\n').ok).toBe(false);
  });

  test('items: a null item is the empty pattern (it matches every group); yes is "yes" or "true"', () => {
    for (const [, decode] of DECODERS)
      expect(asMap(decode('10:\n  - ~\n  - 7\n'))).toEqual({ 10: ['', '7'] });
    expect(asMap(decodeWithYamlV2('10: [yes]\n'))).toEqual({ 10: ['yes'] });
    expect(asMap(decodeWithSigsYaml('10: [yes]\n'))).toEqual({ 10: ['true'] });
    for (const [, decode] of DECODERS) expect(decode('10: {a: b}\n').ok).toBe(false);
  });

  test('patterns: only ^QuoteMeta(literal)$ is accepted as compiling to an exact match', () => {
    expect(goQuoteMeta('gpu.spot(a)+[1]')).toBe('gpu\\.spot\\(a\\)\\+\\[1\\]');
    expect(anchoredLiteral('^gpu\\.spot\\(a\\)\\+\\[1\\]$')).toBe('gpu.spot(a)+[1]');
    expect(anchoredLiteral('^gpu.spot$')).toBeUndefined(); // '.' matches any character
    expect(anchoredLiteral('gpu-spot')).toBeUndefined(); // unanchored: matches names containing it
    expect(anchoredLiteral('^(?<=a)b$')).toBeUndefined();
  });
});

describe("the library's priority-expander ConfigMap, decoded by both cluster-autoscaler generations", () => {
  const { stack, cluster } = clusterStack();
  const spot = cluster.addInferenceNodeGroup('L40SSpot', {
    accelerator: Accelerator.L40S,
    maxNodes: 8,
    capacity: Capacity.spot(),
  });
  const l4 = cluster.addInferenceNodeGroup('L4Spot', {
    accelerator: Accelerator.L4,
    maxNodes: 8,
    capacity: Capacity.spot(),
  });
  const onDemand = cluster.addInferenceNodeGroup('L40S', { accelerator: Accelerator.L40S, maxNodes: 4 });
  const named = (id: string, autoScalingGroupName: string) =>
    Object.assign(new Construct(stack, id), { autoScalingGroupName });
  const literal = named('Literal', 'gpu.spot(a)+[1]{2}^$|?*\\x');
  new KubernetesProvider(stack, 'Kubernetes', { configPath: '~/.kube/config' });
  new ConfigMapV1(
    stack,
    'PriorityExpander',
    priorityExpanderConfigMap(stack, [[spot, l4], [literal], [onDemand]]),
  );
  const text: string = onlyResource(synthJson(stack), 'kubernetes_config_map_v1').data.priorities;

  /**
   * The text after `terraform apply` interpolates each Auto Scaling group name: EKS names them
   * `eks-<node group name>-<uuid>`.
   */
  const ASG_NAMES = new Map<string, string>();
  const applied = text.replace(
    /\$\{aws_eks_node_group\.Cluster_([A-Za-z0-9]+)_[0-9A-F]{8}\.resources\[0\]\.autoscaling_groups\[0\]\.name\}/g,
    (_, id: string) => {
      const name = `eks-${id.toLowerCase()}-d2c5b7e1-8f3a-4c6e-9b1d-0a7f3e5c2b9d`;
      ASG_NAMES.set(id, name);
      return name;
    },
  );

  test('the text holds one Terraform reference per node group, resolved at apply', () => {
    expect([...ASG_NAMES.keys()].sort()).toEqual(['L40S', 'L40SSpot', 'L4Spot']);
  });

  test.each(DECODERS)(
    '%s: priorities 30 > 20 > 10 by tier, each pattern the exact name of its group',
    (_name, decode) => {
      const map = asMap(decode(applied));
      expect(Object.keys(map)).toEqual(['10', '20', '30']);
      const literals = Object.fromEntries(
        Object.entries(map).map(([p, pats]) => [p, pats.map(anchoredLiteral)]),
      );
      expect(literals).toEqual({
        30: [ASG_NAMES.get('L40SSpot'), ASG_NAMES.get('L4Spot')],
        20: ['gpu.spot(a)+[1]{2}^$|?*\\x'],
        10: [ASG_NAMES.get('L40S')],
      });
    },
  );

  test('both generations read the same configuration', () => {
    expect(asMap(decodeWithSigsYaml(applied))).toEqual(asMap(decodeWithYamlV2(applied)));
  });

  test('as synthesized (references unresolved), yaml.v2 already reads every key as an int', () => {
    expect(decodeWithYamlV2(text).ok).toBe(true);
  });
});
