import { LaunchTemplateNetworkInterfaces } from '@cdktf/provider-aws/lib/launch-template';
import { PlacementGroup } from '@cdktf/provider-aws/lib/placement-group';
import { Construct, IConstruct } from 'constructs';
import { CapacityKind } from '../../core';
import type { EfaInterfaceSpec } from '../efa';
import type { AwsGpuInstanceType } from '../instance-types';
import { addEfaSecurityGroup, EfaSecurityGroup } from './efa-security-group';
import { addNodeGroupCost, GpuAmiType } from './node-group-common';
import { addNodeVolumeCost } from './service-prices';

// The parts of a managed GPU node group that InferenceNodeGroup and TrainingNodeGroup (and, for
// the placement group, the elastic pools) build the same way.

/**
 * A `cluster` placement group named `<cluster name>-<pool>` (characters EC2 refuses replaced by
 * `-`, at most 255), under `scope` as `id`.
 */
export function addClusterPlacementGroup(
  scope: Construct,
  id: string,
  clusterName: string,
  pool: string,
): PlacementGroup {
  return new PlacementGroup(scope, id, {
    name: `${clusterName}-${pool}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255),
    strategy: 'cluster',
  });
}

/**
 * The EFA security group of one node group, `<group>/SecurityGroup` with the rules
 * `EfaSelfIngress` and `EfaSelfEgress`, named after the group's construct path.
 */
export function addNodeGroupEfaSecurityGroup(scope: Construct, vpcId: string): EfaSecurityGroup {
  return addEfaSecurityGroup(scope, {
    id: 'SecurityGroup',
    rulePrefix: 'Efa',
    vpcId,
    description: `EFA node group ${scope.node.path}: all traffic to and from itself`,
    name: scope.node.path,
  });
}

/** The launch template's network interfaces of an EFA layout, each in `securityGroups`. */
export function efaNetworkInterfaces(
  layout: readonly EfaInterfaceSpec[],
  securityGroups: string[],
): LaunchTemplateNetworkInterfaces[] {
  return layout.map((n) => ({
    networkCardIndex: n.networkCardIndex,
    deviceIndex: n.deviceIndex,
    interfaceType: n.interfaceType,
    securityGroups,
    deleteOnTermination: 'true',
    description: `card ${n.networkCardIndex} device ${n.deviceIndex} ${n.interfaceType}`,
  }));
}

/** Whether a group RAID0s its instance store: asked for (default true) and the type has local NVMe. */
export function raid0InstanceStore(
  localStorageRaid0: boolean | undefined,
  type: AwsGpuInstanceType,
): boolean {
  return (localStorageRaid0 ?? true) && type.localNvmeGB > 0;
}

/**
 * Adds a managed GPU node group's instances and the gp3 volume each node boots with
 * (`rootVolumeSizeGiB`, default 200) to the stack's cost estimate.
 */
export function addGpuNodeGroupCosts(
  scope: IConstruct,
  type: AwsGpuInstanceType,
  minNodes: number,
  maxNodes: number,
  kind: CapacityKind,
  o: {
    readonly rootVolumeSizeGiB?: number;
    readonly localStorageRaid0?: boolean;
    readonly amiType: GpuAmiType;
  },
): void {
  addNodeGroupCost(scope, type, minNodes, maxNodes, kind);
  addNodeVolumeCost(scope, o.rootVolumeSizeGiB ?? 200, minNodes, maxNodes, {
    raid0InstanceStore: raid0InstanceStore(o.localStorageRaid0, type),
    bottlerocket: o.amiType === GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA,
  });
}
