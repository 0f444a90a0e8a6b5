import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import {
  ACCELERATOR_NODE_LABEL,
  Accelerator,
  NVIDIA_GPU_RESOURCE,
  Validate,
  ValidationError,
} from '../../core';
import { IGpuPlatform } from '../interfaces';
import { assertDnsLabel, assertInteger, dependOnStackOf } from './common';
import { GpuPodOptions } from './gpu-pod';

/** Checks a batch image carries a pinned tag or digest: a restarted gang must run the same code. */
export function assertPinnedImage(scope: IConstruct, prop: string, image: string): void {
  Validate.string(scope, prop, image);
  if (
    !Token.isUnresolved(image) &&
    (!/[:@]/.test(image.split('/').pop() ?? '') || image.endsWith(':latest'))
  ) {
    throw new ValidationError(
      `'${prop}' ('${image}') must carry a pinned tag or digest, not 'latest' or none: a restarted gang must run the same code.`,
      scope,
    );
  }
}

/** Checks a command is a non-empty array of strings. */
export function assertCommand(scope: IConstruct, prop: string, command: unknown, example: string): string[] {
  if (!Array.isArray(command)) {
    throw new ValidationError(
      `'${prop}' must be an array of strings, for example ${example}, got ${command === null ? 'null' : typeof command}.`,
      scope,
    );
  }
  command.forEach((c, i) => Validate.string(scope, `${prop}[${i}]`, c, { allowEmpty: true }));
  if (command.length === 0) {
    throw new ValidationError(`'${prop}' is empty: give the command, for example ${example}.`, scope);
  }
  return command as string[];
}

/**
 * Validates per-node extra resources (EFA, RDMA, huge pages) into quantities. With `eksAutoMode`
 * a huge-page request is refused: see {@link refuseHugePagesOnEksAutoMode}.
 */
export function extraResources(
  scope: IConstruct,
  prop: string,
  resources: Record<string, string | number> | undefined,
  hint: string,
  eksAutoMode = false,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(resources ?? {})) {
    if (k === NVIDIA_GPU_RESOURCE || k === 'cpu' || k === 'memory') {
      throw new ValidationError(`'${prop}' must not set '${k}': use ${hint}.`, scope);
    }
    Validate.k8sLabelKey(scope, `${prop} key '${k}'`, k);
    out[k] = Validate.k8sQuantity(scope, `${prop}['${k}']`, v);
  }
  if (eksAutoMode) refuseHugePagesOnEksAutoMode(scope, prop, Object.keys(out));
  return out;
}

/**
 * Throws when pods for EKS Auto Mode nodes request huge pages (`hugepages-<size>`). Auto Mode
 * nodes reserve none and cannot be told to: the NodeClass has no user data, sysctl or kubelet
 * settings (EKS User Guide `automode/create-node-class.adoc`; `automode-learn-instances.adoc`: no
 * software or configuration on the managed instances), so a pod requesting them never
 * schedules. EFA works without them (libfabric falls back to regular pages).
 */
export function refuseHugePagesOnEksAutoMode(
  scope: IConstruct,
  prop: string,
  resourceNames: readonly string[],
): void {
  const huge = resourceNames.filter((k) => k.startsWith('hugepages-'));
  if (huge.length) {
    throw new ValidationError(
      `'${prop}' requests ${huge.map((k) => `'${k}'`).join(', ')} on EKS Auto Mode nodes ('eksAutoMode'): Auto Mode reserves no ` +
        `huge pages and takes no user data or sysctl settings, so the pods would never schedule. Remove the huge-page request ` +
        `(AutoModeGpuNodePool.efaPodResources() of the AWS module gives the EFA request alone).`,
      scope,
    );
  }
}

/**
 * Checks the platform installs a component a workload needs (`installed`), naming the
 * GpuPlatform prop that turns it on.
 */
export function assertPlatformHas(
  scope: IConstruct,
  platform: IGpuPlatform,
  construct: string,
  installed: boolean | undefined,
  component: string,
  prop: string,
): void {
  if (!installed) {
    throw new ValidationError(
      `${construct} needs ${component}, but the GpuPlatform '${platform.node.path}' has ${prop} disabled: set ` +
        `'${prop}: true' on the GpuPlatform.`,
      scope,
    );
  }
}

/** What a batch workload (TrainingJob, MpiJob) needs from its GpuPlatform, for {@link checkBatchPlatform}. */
export interface BatchPlatformRequirement {
  /** The construct's class name, for messages. */
  readonly construct: string;
  /** The operator it runs on, for messages (`JobSet`, `the MPI Operator`). */
  readonly component: string;
  /** The GpuPlatform prop that installs the operator. */
  readonly prop: string;
  /** Whether the platform installs the operator. */
  readonly installed: (platform: IGpuPlatform) => boolean | undefined;
}

/**
 * A batch workload's `platform` and `queueName`: with a platform, orders the stacks and checks
 * it installs the workload's operator and, when queued, Kueue; the queue name is a DNS label.
 */
export function checkBatchPlatform(
  scope: IConstruct,
  platform: IGpuPlatform | undefined,
  queueName: string | undefined,
  need: BatchPlatformRequirement,
): void {
  if (platform) {
    dependOnStackOf(scope, platform);
    assertPlatformHas(scope, platform, need.construct, need.installed(platform), need.component, need.prop);
    if (queueName && !platform.kueueInstalled) {
      throw new ValidationError(
        `'queueName' needs Kueue, but the GpuPlatform '${platform.node.path}' has kueue disabled: enable it or drop queueName.`,
        scope,
      );
    }
  }
  if (queueName) {
    assertDnsLabel(scope, 'queueName', queueName);
  }
}

/** A training pod's memory and `/dev/shm`, GiB. */
export interface GangPodMemory {
  readonly memoryGiB: number;
  readonly sharedMemoryGiB: number;
}

/**
 * A training pod's `sharedMemoryGiB` (default 8 per GPU) and `memoryGiB` (default 64 per GPU),
 * validated in that order.
 */
export function gangPodMemory(
  scope: IConstruct,
  props: { readonly memoryGiB?: number; readonly sharedMemoryGiB?: number },
  gpus: number,
): GangPodMemory {
  const sharedMemoryGiB = props.sharedMemoryGiB ?? 8 * gpus;
  assertInteger(scope, 'sharedMemoryGiB', sharedMemoryGiB, 1);
  const memoryGiB = props.memoryGiB ?? 64 * gpus;
  assertInteger(scope, 'memoryGiB', memoryGiB, 1);
  return { memoryGiB, sharedMemoryGiB };
}

/**
 * A training pod's requests and default placement: `gpus`, `cpu` (default 8 per GPU), the
 * {@link gangPodMemory}, the fabric's extra resources, and the accelerator's node label (none
 * without an accelerator).
 */
export function gangPodResources(
  scope: IConstruct,
  props: { readonly cpu?: string; readonly accelerator?: Accelerator },
  gpus: number,
  memory: GangPodMemory,
  extraResources: Record<string, string>,
): Pick<
  GpuPodOptions,
  'gpus' | 'cpu' | 'memoryGiB' | 'sharedMemoryGiB' | 'extraResources' | 'defaultNodeSelector'
> {
  return {
    gpus,
    cpu: props.cpu === undefined ? String(8 * gpus) : Validate.k8sQuantity(scope, 'cpu', props.cpu),
    memoryGiB: memory.memoryGiB,
    sharedMemoryGiB: memory.sharedMemoryGiB,
    extraResources,
    defaultNodeSelector: props.accelerator ? { [ACCELERATOR_NODE_LABEL]: props.accelerator.labelValue } : {},
  };
}
