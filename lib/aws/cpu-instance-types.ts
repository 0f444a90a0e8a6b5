import { CpuArchitecture, CpuShape, HourlyPrice, ValidationError } from '../core';

const ON_DEMAND_PAGE = 'https://aws.amazon.com/ec2/pricing/on-demand/';

/**
 * Prices of the CPU families: best-known public on-demand prices (Linux, us-east-1), not
 * re-read from the rate card for this release; check them before relying on the estimate.
 */
function price(usd: number): HourlyPrice {
  return {
    usd,
    region: 'us-east-1',
    asOf: '2026-12-03',
    source: `VERIFY: AWS EC2 On-Demand pricing, Linux (${ON_DEMAND_PAGE}); best-known public price, not re-read`,
  };
}

function t(name: string, vcpus: number, memoryGiB: number, usd: number): CpuShape {
  return { name, vcpus, memoryGiB, architecture: CpuArchitecture.X86_64, onDemandPrice: price(usd) };
}

/**
 * EC2 instance types for CPU inference (llama.cpp on GGUF files): general purpose M7i (4 GiB per
 * vCPU) and memory optimised R7i (8 GiB per vCPU), 4th-generation Xeon with AVX-512 and AMX,
 * which ggml's CPU backend uses. Token generation on a CPU is bound by memory bandwidth, so the
 * sizes scale memory and cores together. vCPUs and memory from
 * https://aws.amazon.com/ec2/instance-types/m7i/ and https://aws.amazon.com/ec2/instance-types/r7i/.
 */
export const CPU_INSTANCE_TYPES: readonly CpuShape[] = [
  t('m7i.xlarge', 4, 16, 0.2016),
  t('m7i.2xlarge', 8, 32, 0.4032),
  t('m7i.4xlarge', 16, 64, 0.8064),
  t('m7i.8xlarge', 32, 128, 1.6128),
  t('r7i.xlarge', 4, 32, 0.2646),
  t('r7i.2xlarge', 8, 64, 0.5292),
  t('r7i.4xlarge', 16, 128, 1.0584),
  t('r7i.8xlarge', 32, 256, 2.1168),
  t('r7i.16xlarge', 64, 512, 4.2336),
];

/**
 * The catalogued CPU instance type called `name`.
 * @throws ValidationError listing the catalogued names
 */
export function cpuInstanceTypeByName(name: string, prop = 'instanceType'): CpuShape {
  const found = CPU_INSTANCE_TYPES.find((s) => s.name === name);
  if (!found) {
    throw new ValidationError(
      `'${prop}' (${name}) is not a catalogued CPU inference instance type: use one of ${CPU_INSTANCE_TYPES.map((s) => s.name).join(', ')}.`,
    );
  }
  return found;
}
