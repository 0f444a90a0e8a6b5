import { Accelerator, GpuShape, lookupShape, shapeByName } from '../core';
import { ec2OnDemandPrice } from './private/price-tables';

/**
 * An EC2 GPU instance type: the shared {@link GpuShape} plus the AWS facts the node groups
 * need (network cards and EFA interfaces for the EFA layout, local NVMe for RAID0, baseline
 * network bandwidth).
 *
 * Hardware facts: reference/aws.md §3 (aws/karpenter-provider-aws
 * `website/content/en/docs/reference/instance-types.md`, generated from EC2 DescribeInstanceTypes).
 */
export interface AwsGpuInstanceType extends GpuShape {
  /**
   * Network cards of the instance: the EFA layout puts one EFA device on each.
   * @default - not catalogued: the library attaches no EFA interfaces to this type
   */
  readonly networkCards?: number;
  /** Most EFA interfaces the instance supports (0 when it has no EFA). */
  readonly maxEfaInterfaces: number;
  /** Local NVMe instance storage, GB (0 when none). */
  readonly localNvmeGB: number;
  /** Baseline network bandwidth, Gbps (small sizes burst higher). */
  readonly baselineBandwidthGbps: number;
}

function g(
  name: string,
  accelerator: Accelerator,
  gpuCount: number,
  vcpus: number,
  memoryGiB: number,
  baselineBandwidthGbps: number,
  maxEfaInterfaces: number,
  localNvmeGB: number,
  usd: number,
): AwsGpuInstanceType {
  return {
    name,
    accelerator,
    gpuCount,
    vcpus,
    memoryGiB,
    baselineBandwidthGbps,
    maxEfaInterfaces,
    localNvmeGB,
    onDemandPrice: ec2OnDemandPrice(usd),
  };
}

/**
 * The EC2 GPU instance types this library knows, the preferred size first for each
 * (accelerator, GPU count).
 *
 * Preference for the G families: the cheapest size whose host memory is at least the node's
 * total GPU memory, so a model's weights can be staged in host memory while loading
 * (`g6e.2xlarge` rather than `g6e.xlarge` for one L40S). Pass `instanceType` to a node group
 * to pick another size.
 *
 * Network cards: p5 / p5e 32, p5en 16, p4d / p4de 4 (reference/aws.md §3.2, §5.1).
 *
 * Prices: us-east-1 Linux on-demand, each row as Karpenter's generated price table lists it
 * (`CPU_INSTANCE_PRICE_SOURCE`: aws/karpenter-provider-aws `zz_generated.pricing_aws.go` @ 031e72b6,
 * generated 2026-01-19 from the AWS Price List API); P4 and P5 carry AWS's June 2025 reduction.
 * p5e.48xlarge (sold through Capacity Blocks) has no on-demand row there, so cost estimates leave
 * it out with a warning.
 *
 * @see https://docs.aws.amazon.com/ec2/latest/instancetypes/ac.html
 */
export const GPU_INSTANCE_TYPES: readonly AwsGpuInstanceType[] = [
  {
    name: 'p5.48xlarge',
    accelerator: Accelerator.H100,
    gpuCount: 8,
    vcpus: 192,
    memoryGiB: 2048,
    networkCards: 32,
    maxEfaInterfaces: 32,
    localNvmeGB: 30400,
    baselineBandwidthGbps: 3200,
    onDemandPrice: ec2OnDemandPrice(55.04),
  },
  {
    // The only sub-8-GPU P5 size: one H100 for inference.
    name: 'p5.4xlarge',
    accelerator: Accelerator.H100,
    gpuCount: 1,
    vcpus: 16,
    memoryGiB: 256,
    maxEfaInterfaces: 1,
    localNvmeGB: 3800,
    baselineBandwidthGbps: 100,
    onDemandPrice: ec2OnDemandPrice(6.88),
  },
  {
    name: 'p5e.48xlarge',
    accelerator: Accelerator.H200,
    gpuCount: 8,
    vcpus: 192,
    memoryGiB: 2048,
    networkCards: 32,
    maxEfaInterfaces: 32,
    localNvmeGB: 30400,
    baselineBandwidthGbps: 3200,
  },
  {
    name: 'p5en.48xlarge',
    accelerator: Accelerator.H200,
    gpuCount: 8,
    vcpus: 192,
    memoryGiB: 2048,
    networkCards: 16,
    maxEfaInterfaces: 16,
    localNvmeGB: 30400,
    baselineBandwidthGbps: 3200,
    onDemandPrice: ec2OnDemandPrice(63.296),
  },
  {
    name: 'p4d.24xlarge',
    accelerator: Accelerator.A100_40GB,
    gpuCount: 8,
    vcpus: 96,
    memoryGiB: 1152,
    networkCards: 4,
    maxEfaInterfaces: 4,
    localNvmeGB: 8000,
    baselineBandwidthGbps: 400,
    onDemandPrice: ec2OnDemandPrice(21.957642),
  },
  {
    name: 'p4de.24xlarge',
    accelerator: Accelerator.A100_80GB,
    gpuCount: 8,
    vcpus: 96,
    memoryGiB: 1152,
    networkCards: 4,
    maxEfaInterfaces: 4,
    localNvmeGB: 8000,
    baselineBandwidthGbps: 400,
    onDemandPrice: ec2OnDemandPrice(27.44705),
  },
  // L40S (g6e): preferred first per GPU count.
  g('g6e.2xlarge', Accelerator.L40S, 1, 8, 64, 5, 0, 450, 2.24208),
  g('g6e.xlarge', Accelerator.L40S, 1, 4, 32, 2.5, 0, 250, 1.861),
  g('g6e.4xlarge', Accelerator.L40S, 1, 16, 128, 20, 0, 600, 3.00424),
  g('g6e.8xlarge', Accelerator.L40S, 1, 32, 256, 25, 1, 900, 4.52856),
  g('g6e.16xlarge', Accelerator.L40S, 1, 64, 512, 35, 1, 1900, 7.57719),
  g('g6e.12xlarge', Accelerator.L40S, 4, 48, 384, 100, 1, 3800, 10.49264),
  g('g6e.24xlarge', Accelerator.L40S, 4, 96, 768, 200, 2, 3800, 15.06559),
  g('g6e.48xlarge', Accelerator.L40S, 8, 192, 1536, 400, 4, 7600, 30.13118),
  // A10G (g5)
  g('g5.2xlarge', Accelerator.A10G, 1, 8, 32, 5, 0, 450, 1.212),
  g('g5.xlarge', Accelerator.A10G, 1, 4, 16, 2.5, 0, 250, 1.006),
  g('g5.4xlarge', Accelerator.A10G, 1, 16, 64, 10, 0, 600, 1.624),
  g('g5.8xlarge', Accelerator.A10G, 1, 32, 128, 25, 1, 900, 2.448),
  g('g5.16xlarge', Accelerator.A10G, 1, 64, 256, 25, 1, 1900, 4.096),
  g('g5.12xlarge', Accelerator.A10G, 4, 48, 192, 40, 1, 3800, 5.672),
  g('g5.24xlarge', Accelerator.A10G, 4, 96, 384, 50, 1, 3800, 8.144),
  g('g5.48xlarge', Accelerator.A10G, 8, 192, 768, 100, 1, 7600, 16.288),
  // L4 (g6)
  g('g6.2xlarge', Accelerator.L4, 1, 8, 32, 5, 0, 450, 0.9776),
  g('g6.xlarge', Accelerator.L4, 1, 4, 16, 2.5, 0, 250, 0.8048),
  g('g6.4xlarge', Accelerator.L4, 1, 16, 64, 10, 0, 600, 1.3232),
  g('g6.8xlarge', Accelerator.L4, 1, 32, 128, 25, 1, 900, 2.0144),
  g('g6.16xlarge', Accelerator.L4, 1, 64, 256, 25, 1, 1880, 3.3968),
  g('g6.12xlarge', Accelerator.L4, 4, 48, 192, 40, 1, 3760, 4.6016),
  g('g6.24xlarge', Accelerator.L4, 4, 96, 384, 50, 1, 3760, 6.6752),
  g('g6.48xlarge', Accelerator.L4, 8, 192, 768, 100, 1, 7520, 13.3504),
];

/**
 * The preferred instance type with `gpus` x `accelerator`. Every GPU of the core catalogue has
 * an AWS shape, so no alternatives are suggested; an accelerator described with
 * `Accelerator.of` gets the list of GPUs AWS offers.
 * @throws ValidationError naming the GPU counts AWS offers for the accelerator, or the GPUs it offers
 */
export function awsInstanceTypeFor(accelerator: Accelerator, gpus: number): AwsGpuInstanceType {
  return lookupShape('AWS', GPU_INSTANCE_TYPES, accelerator, gpus);
}

/**
 * A catalogued instance type by name.
 * @param prop the prop name for the error message
 * @throws ValidationError listing the catalogued names
 */
export function awsInstanceTypeByName(name: string, prop = 'instanceType'): AwsGpuInstanceType {
  return shapeByName('AWS', GPU_INSTANCE_TYPES, name, prop);
}

/** Whether the instance type can carry the EFA layout of a training node group. */
export function supportsEfaLayout(type: AwsGpuInstanceType): boolean {
  return (type.networkCards ?? 0) >= 1 && type.maxEfaInterfaces >= 1;
}

/** Names of the catalogued instance types with an EFA network-card layout (the EFA training shapes). */
export function efaTrainingInstanceTypeNames(): string[] {
  return GPU_INSTANCE_TYPES.filter(supportsEfaLayout).map((t) => t.name);
}

/**
 * Catalogued instance types that can replace `type` in one node group: the same GPU and GPU
 * count, and (when `sameEfaLayout`) the same network cards and EFA count, so one launch
 * template's interfaces fit all of them. `type` is first.
 */
export function compatibleInstanceTypes(
  type: AwsGpuInstanceType,
  sameEfaLayout: boolean,
): AwsGpuInstanceType[] {
  const others = GPU_INSTANCE_TYPES.filter(
    (t) =>
      t.name !== type.name &&
      t.accelerator.equals(type.accelerator) &&
      t.gpuCount === type.gpuCount &&
      t.memoryGiB >= type.memoryGiB &&
      (!sameEfaLayout ||
        (t.networkCards === type.networkCards && t.maxEfaInterfaces === type.maxEfaInterfaces)),
  );
  return [type, ...others];
}
