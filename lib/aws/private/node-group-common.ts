import { LaunchTemplateConfig } from '@cdktf/provider-aws/lib/launch-template';
import { IConstruct } from 'constructs';
import {
  ACCELERATOR_NODE_LABEL,
  Accelerator,
  CapacityKind,
  CostEstimate,
  GpuShape,
  lookupShape,
  gpuPoolTaints,
  NodeTaint,
  pricingModelOf,
  mergeNodeLabels,
  NODE_POOL_LABEL as CORE_NODE_POOL_LABEL,
  PoolRole,
  poolNodeLabels,
  TaintEffect,
  ValidationError,
  Validate,
  validateNodeTaints,
  Warnings,
} from '../../core';
import {
  AwsGpuInstanceType,
  awsInstanceTypeByName,
  efaTrainingInstanceTypeNames,
  GPU_INSTANCE_TYPES,
  supportsEfaLayout,
} from '../instance-types';

/** Huge pages the EFA driver pre-allocates (EKS UG `node-efa`). */
export const EFA_HUGE_PAGES_2MIB = 5128;

/** EKS AMI types for NVIDIA GPU node groups this library supports. */
export enum GpuAmiType {
  /** Amazon Linux 2023 with the NVIDIA driver, CUDA user-mode driver, container toolkit and EFA minimal. */
  AL2023_X86_64_NVIDIA = 'AL2023_x86_64_NVIDIA',
  /** Bottlerocket NVIDIA: driver stack plus the NVIDIA device plugin. */
  BOTTLEROCKET_X86_64_NVIDIA = 'BOTTLEROCKET_x86_64_NVIDIA',
}

/**
 * Node label marking the node group a node belongs to (core's, the same key on GKE).
 * @deprecated import `NODE_POOL_LABEL` from `cdktf-ai-infra/core`; this alias goes in the next release.
 */
export const NODE_POOL_LABEL = CORE_NODE_POOL_LABEL;

const EKS_TAINT_EFFECT: Record<TaintEffect, string> = {
  [TaintEffect.NO_SCHEDULE]: 'NO_SCHEDULE',
  [TaintEffect.NO_EXECUTE]: 'NO_EXECUTE',
  [TaintEffect.PREFER_NO_SCHEDULE]: 'PREFER_NO_SCHEDULE',
};

/** Validates the AMI type: refuses the end-of-support AL2 GPU AMI and unknown values. */
export function resolveAmiType(scope: IConstruct, amiType: GpuAmiType | undefined): GpuAmiType {
  const t = amiType ?? GpuAmiType.AL2023_X86_64_NVIDIA;
  if (!Object.values(GpuAmiType).includes(t)) {
    const al2 = String(t).startsWith('AL2_');
    throw new ValidationError(
      `'amiType' ('${t}') is not supported` +
        (al2
          ? ': EKS AL2 AMIs reached end of support on 2025-11-26 and Kubernetes 1.32 was the last version with them'
          : '') +
        `. Use GpuAmiType.AL2023_X86_64_NVIDIA (default) or GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA.`,
      scope,
    );
  }
  return t;
}

/** Node labels of a GPU node group: the library's and the user's (core `mergeNodeLabels`: a user label may not redefine a library one). */
export function gpuNodeLabels(
  scope: IConstruct,
  pool: string,
  accelerator: Accelerator,
  extra: Record<string, string> | undefined,
  efa: boolean,
  role: PoolRole | undefined,
  what = 'construct id',
): Record<string, string> {
  return mergeNodeLabels(
    scope,
    'labels',
    {
      [ACCELERATOR_NODE_LABEL]: accelerator.labelValue,
      ...poolNodeLabels(scope, what, pool, role),
      'nvidia.com/gpu.present': 'true',
      ...(efa ? { 'vpc.amazonaws.com/efa.present': 'true' } : {}),
    },
    extra,
  );
}

/** Taints of a GPU node group in the EKS API shape (the GPU taint always included). */
export function eksTaints(
  scope: IConstruct,
  extra: NodeTaint[] | undefined,
): Array<{ key: string; value?: string; effect: string }> {
  validateNodeTaints(scope, 'taints', extra ?? []);
  return gpuPoolTaints(extra ?? []).map(eksTaint);
}

/** A core taint in the EKS API shape (`aws_eks_node_group.taint`: `NO_SCHEDULE`, ...). */
export function eksTaint(t: NodeTaint): { key: string; value?: string; effect: string } {
  return {
    key: t.key,
    ...(t.value !== undefined ? { value: t.value } : {}),
    effect: EKS_TAINT_EFFECT[t.effect],
  };
}

/** Core taints as `key=value:Effect` strings (cluster-autoscaler node-template tags). */
export function taintTemplate(t: NodeTaint): string {
  return `${t.value ?? ''}:${t.effect}`;
}

/**
 * Adds to `tags` the cluster-autoscaler node-template tags of a node group's labels and taints
 * (`k8s.io/cluster-autoscaler/node-template/label/<key>` and `.../taint/<key>`), after the tags
 * already there, so cluster-autoscaler can scale the group up from zero for pods that select or
 * tolerate them.
 */
export function addNodeTemplateTags(
  tags: Record<string, string>,
  labels: Record<string, string>,
  taints: readonly NodeTaint[],
): Record<string, string> {
  for (const [k, v] of Object.entries(labels)) {
    tags[`k8s.io/cluster-autoscaler/node-template/label/${k}`] = v;
  }
  for (const t of taints) {
    tags[`k8s.io/cluster-autoscaler/node-template/taint/${t.key}`] = taintTemplate(t);
  }
  return tags;
}

/** Options of the node user data. */
export interface UserDataOptions {
  readonly amiType: GpuAmiType;
  /** RAID0 the local NVMe and put containerd / kubelet on it. */
  readonly localStorageRaid0: boolean;
  /** 2 MiB huge pages to ensure (0: leave as the AMI sets them). */
  readonly hugePages2MiB: number;
}

const BOUNDARY = '==CDKTFAIINFRA==';

/**
 * Base64 user data EKS merges with its own bootstrap: a MIME multipart NodeConfig for AL2023
 * (`application/node.eks.aws`, plus a shell part for huge pages), TOML settings for Bottlerocket.
 * Returns undefined when there is nothing to add.
 *
 * @see https://awslabs.github.io/amazon-eks-ami/nodeadm/
 * @see https://bottlerocket.dev/en/os/latest/api/settings/
 */
export function renderUserData(o: UserDataOptions): string | undefined {
  if (o.amiType === GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA) {
    const parts: string[] = [];
    if (o.hugePages2MiB > 0) {
      parts.push(`[settings.kernel.sysctl]\n"vm.nr_hugepages" = "${o.hugePages2MiB}"`);
    }
    if (o.localStorageRaid0) {
      parts.push(
        '[settings.bootstrap-commands.k8s-ephemeral-storage]\n' +
          'commands = [["apiclient", "ephemeral-storage", "init"], ["apiclient", "ephemeral-storage", "bind", "--dirs", "/var/lib/containerd", "/var/lib/kubelet", "/var/log/pods"]]\n' +
          'essential = true\nmode = "always"',
      );
    }
    return parts.length ? base64(parts.join('\n\n') + '\n') : undefined;
  }
  const mime: string[] = [];
  if (o.localStorageRaid0) {
    mime.push(
      [
        `--${BOUNDARY}`,
        'Content-Type: application/node.eks.aws',
        '',
        'apiVersion: node.eks.aws/v1alpha1',
        'kind: NodeConfig',
        'spec:',
        '  instance:',
        '    localStorage:',
        '      strategy: RAID0',
        '',
      ].join('\n'),
    );
  }
  if (o.hugePages2MiB > 0) {
    mime.push(
      [
        `--${BOUNDARY}`,
        'Content-Type: text/x-shellscript; charset="us-ascii"',
        '',
        '#!/bin/bash',
        'set -euo pipefail',
        '# EFA needs 2 MiB huge pages; the EFA driver pre-allocates 5128, this makes sure of at least that many.',
        `want=${o.hugePages2MiB}`,
        'have=$(cat /proc/sys/vm/nr_hugepages)',
        'if [ "$have" -lt "$want" ]; then',
        '  echo "vm.nr_hugepages = $want" > /etc/sysctl.d/99-cdktf-ai-infra-hugepages.conf',
        '  sysctl -w vm.nr_hugepages="$want"',
        'fi',
        '',
      ].join('\n'),
    );
  }
  if (!mime.length) {
    return undefined;
  }
  const doc = [
    'MIME-Version: 1.0',
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"`,
    '',
    ...mime,
    `--${BOUNDARY}--`,
    '',
  ].join('\n');
  return base64(doc);
}

function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** Root (AL2023) or data (Bottlerocket) volume device name. */
export function dataVolumeDevice(amiType: GpuAmiType): string {
  return amiType === GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA ? '/dev/xvdb' : '/dev/xvda';
}

/** Validates an integer prop within a range. */
export function requireIntInRange(
  scope: IConstruct,
  prop: string,
  value: number,
  min: number,
  max: number,
  hint: string,
): void {
  Validate.integer(scope, prop, value, { min, max, reason: hint.replace(/\.$/, '') });
}

const claimedNodeGroupNames = new WeakMap<object, Map<string, string>>();

/**
 * A node group name EKS accepts (1-63 of [A-Za-z0-9_-], starting alphanumeric):
 * `<clusterName>-<id>`, cut to 63 characters. Names are unique per cluster in EKS, so a name
 * that another node group of the same cluster already has (two ids that only differ after the
 * cut, or the id 'system') is refused at synth instead of by CreateNodegroup at apply.
 */
export function nodeGroupName(scope: IConstruct, cluster: object, clusterName: string, id: string): string {
  const base = `${clusterName}-${id}`.replace(/[^A-Za-z0-9_-]/g, '-');
  const name = base.length <= 63 ? base : base.slice(0, 63);
  let claimed = claimedNodeGroupNames.get(cluster);
  if (!claimed) {
    claimed = new Map();
    claimedNodeGroupNames.set(cluster, claimed);
  }
  const owner = claimed.get(name);
  if (owner !== undefined) {
    throw new ValidationError(
      `node group name '${name}' (cluster name + '-' + construct id, cut to EKS's 63 characters) is already used by ${owner}: ` +
        `use a shorter 'clusterName' or ids that differ in their first characters.`,
      scope,
    );
  }
  claimed.set(name, scope.node.path);
  return name;
}

/** Options of {@link gpuLaunchTemplateBasics}. */
export interface GpuLaunchTemplateBasicsOptions {
  readonly amiType: GpuAmiType;
  /** `rootVolumeSizeGiB` as the user gave it (default 200). */
  readonly rootVolumeSizeGiB?: number;
  /** Smallest root volume the group accepts, GiB. */
  readonly minRootVolumeGiB: number;
  /** Why the root volume must be that large (ends the error message). */
  readonly rootVolumeHint: string;
  /** `imdsHopLimit` as the user gave it (default 2). */
  readonly imdsHopLimit?: number;
  /** `dataVolumeSnapshotId` as the user gave it (Bottlerocket only). */
  readonly dataVolumeSnapshotId?: string;
}

/**
 * The launch-template settings every GPU node group shares, validated: IMDSv2 with the hop
 * limit, and the encrypted gp3 root (AL2023) or data (Bottlerocket) volume.
 */
export function gpuLaunchTemplateBasics(
  scope: IConstruct,
  o: GpuLaunchTemplateBasicsOptions,
): Pick<LaunchTemplateConfig, 'metadataOptions' | 'blockDeviceMappings'> {
  const rootGiB = o.rootVolumeSizeGiB ?? 200;
  requireIntInRange(scope, 'rootVolumeSizeGiB', rootGiB, o.minRootVolumeGiB, 16384, o.rootVolumeHint);
  const hopLimit = o.imdsHopLimit ?? 2;
  requireIntInRange(
    scope,
    'imdsHopLimit',
    hopLimit,
    1,
    64,
    'use 1 to keep pods away from instance metadata, 2 to let them reach it.',
  );
  const snapshot = o.dataVolumeSnapshotId;
  if (snapshot !== undefined) {
    Validate.ec2ResourceId(scope, 'dataVolumeSnapshotId', snapshot, 'snap');
    if (o.amiType !== GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA) {
      throw new ValidationError(
        `'dataVolumeSnapshotId' (${snapshot}) needs 'amiType' GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA: only Bottlerocket keeps ` +
          `containerd's images on a separate data volume (/dev/xvdb) that a snapshot of pre-pulled images can seed.`,
        scope,
      );
    }
  }
  return launchTemplateHardening({
    hopLimit,
    deviceName: dataVolumeDevice(o.amiType),
    volumeGiB: rootGiB,
    snapshotId: snapshot,
  });
}

/**
 * The launch-template settings every node group of the library shares (GPU, CPU inference and
 * system nodes): IMDSv2 only, with `hopLimit`, and one encrypted gp3 volume deleted with the
 * instance (the root on AL2023, the data volume on Bottlerocket), optionally from a snapshot.
 */
export function launchTemplateHardening(o: {
  readonly hopLimit: number;
  readonly deviceName: string;
  readonly volumeGiB: number;
  readonly snapshotId?: string;
}): Pick<LaunchTemplateConfig, 'metadataOptions' | 'blockDeviceMappings'> {
  return {
    metadataOptions: { httpEndpoint: 'enabled', httpTokens: 'required', httpPutResponseHopLimit: o.hopLimit },
    blockDeviceMappings: [
      {
        deviceName: o.deviceName,
        ebs: {
          volumeSize: o.volumeGiB,
          volumeType: 'gp3',
          encrypted: 'true',
          deleteOnTermination: 'true',
          ...(o.snapshotId !== undefined ? { snapshotId: o.snapshotId } : {}),
        },
      },
    ],
  };
}

/**
 * Adds a node group to the stack's cost estimate at the instance type's on-demand price (spot
 * and reservations flagged by pricing model), or warns `aws-no-price` when none is catalogued.
 */
export function addNodeGroupCost(
  scope: IConstruct,
  type: GpuShape,
  minQuantity: number,
  maxQuantity: number,
  kind: CapacityKind,
): void {
  const price = type.onDemandPrice;
  if (!price) {
    Warnings.add(
      scope,
      'aws-no-price',
      `No on-demand price is catalogued for ${type.name}: the stack's cost estimate leaves this group out.`,
    );
    return;
  }
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: type.name,
    minQuantity,
    maxQuantity,
    unitPrice: price,
    pricingModel: pricingModelOf(kind),
  });
}

/** What {@link resolveGpuInstanceType} picks from. */
export interface GpuInstanceTypeChoice {
  /** `accelerator`. */
  readonly accelerator: Accelerator;
  /** GPUs per node. */
  readonly gpus: number;
  /** `instanceType` as given. */
  readonly instanceType?: string;
  /** The prop the GPU count came from, for the lookup's message (`gpusPerNode (default 8)`). */
  readonly gpusFrom: string;
  /** The props the named type must agree with, for the message (`'accelerator', 'gpusPerNode'`). */
  readonly agreeWith: string;
}

/**
 * A GPU node group's instance type: the named one, which must have `gpus` x `accelerator`, else
 * the catalogue's preferred type for them. Errors carry `scope`'s path.
 */
export function resolveGpuInstanceType(scope: IConstruct, o: GpuInstanceTypeChoice): AwsGpuInstanceType {
  return ValidationError.withScope(scope, () => {
    if (o.instanceType === undefined) {
      return lookupShape('AWS', GPU_INSTANCE_TYPES, o.accelerator, o.gpus, [], o.gpusFrom);
    }
    const t = awsInstanceTypeByName(o.instanceType);
    if (!t.accelerator.equals(o.accelerator) || t.gpuCount !== o.gpus) {
      throw new ValidationError(
        `'instanceType' ${t.name} has ${t.gpuCount} x ${t.accelerator.id}, not ${o.gpus} x ${o.accelerator.id} (${o.agreeWith}): make them agree or omit instanceType.`,
      );
    }
    return t;
  });
}

/**
 * The instance type of a training group or an elastic pool: `instanceType` or the catalogue's
 * type with `gpusPerNode` (default 8) x `accelerator`; with EFA, one whose EFA network-card layout
 * the catalogue has.
 * @param efaNeed who needs the layout and how to do without, for the message
 *   (`{ who: 'training groups with EFA need', without: 'to train without EFA' }`)
 */
export function resolveMultiNodeInstanceType(
  scope: IConstruct,
  props: { readonly accelerator: Accelerator; readonly gpusPerNode?: number; readonly instanceType?: string },
  efa: boolean,
  efaNeed: { readonly who: string; readonly without: string },
): AwsGpuInstanceType {
  const type = resolveGpuInstanceType(scope, {
    accelerator: props.accelerator,
    gpus: props.gpusPerNode ?? 8,
    instanceType: props.instanceType,
    gpusFrom: props.gpusPerNode === undefined ? 'gpusPerNode (default 8)' : 'gpusPerNode',
    agreeWith: "'accelerator', 'gpusPerNode'",
  });
  if (efa && !supportsEfaLayout(type)) {
    throw new ValidationError(
      `'instanceType' ${type.name} has no EFA network-card layout in the catalogue: ${efaNeed.who} one of ` +
        `${efaTrainingInstanceTypeNames().join(', ')}. Set 'efa: false' ${efaNeed.without}.`,
      scope,
    );
  }
  return type;
}

/** Why training nodes need a large root (or data) volume, for the volume size messages. */
export const TRAINING_IMAGES_HINT = 'training images (PyTorch + CUDA + NCCL) are 10-25 GB each';

/**
 * `hugePages2MiB` of a node group or pool: the EFA driver's {@link EFA_HUGE_PAGES_2MIB} with EFA,
 * else 0 (the AMI's setting), validated as a whole number of pages.
 */
export function resolveHugePages2MiB(scope: IConstruct, value: number | undefined, efa: boolean): number {
  const hugePages = value ?? (efa ? EFA_HUGE_PAGES_2MIB : 0);
  requireIntInRange(
    scope,
    'hugePages2MiB',
    hugePages,
    0,
    1_000_000,
    `the number of 2 MiB pages, ${EFA_HUGE_PAGES_2MIB} for EFA.`,
  );
  return hugePages;
}
