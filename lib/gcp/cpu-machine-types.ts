import { CpuArchitecture, CpuShape, HourlyPrice, cpuShapeByName } from '../core';

/**
 * Compute Engine prices a predefined N2 machine type as its vCPUs times the N2 vCPU rate plus
 * its memory (GiB) times the N2 memory rate (https://cloud.google.com/compute/vm-instance-pricing,
 * "N2 machine types"). The on-demand rates in us-central1, USD per hour.
 */
export const N2_ON_DEMAND_RATES = {
  /** Per vCPU-hour. */
  vcpuUsd: 0.031611,
  /** Per GiB-hour of memory. */
  memoryGiBUsd: 0.004237,
  /** The region of the rates. */
  region: 'us-central1',
  /** Where the rates come from, and when they were read. */
  source:
    'N2 on-demand us-central1 rates $0.031611 per vCPU-hour and $0.004237 per GiB-hour, as OpenCost ships them for ' +
    'GCP us-central1 (opencost/opencost configs/default.json @ 0d1f69cc, "Default prices based on GCP us-central1", ' +
    'read 2026-12-03); machine price = vCPUs x vCPU rate + GiB x memory rate (https://cloud.google.com/compute/vm-instance-pricing)',
} as const;

/** The on-demand hourly price of an N2 shape from {@link N2_ON_DEMAND_RATES}, to the micro-dollar. */
function price(vcpus: number, memoryGiB: number): HourlyPrice {
  const r = N2_ON_DEMAND_RATES;
  return {
    usd: Math.round((vcpus * r.vcpuUsd + memoryGiB * r.memoryGiBUsd) * 1e6) / 1e6,
    region: r.region,
    asOf: '2026-12-03',
    source: r.source,
  };
}

function t(name: string, vcpus: number, memoryGiB: number): CpuShape {
  return {
    name,
    vcpus,
    memoryGiB,
    architecture: CpuArchitecture.X86_64,
    onDemandPrice: price(vcpus, memoryGiB),
  };
}

/**
 * GCE machine types for CPU inference (llama.cpp on GGUF files): N2 standard (4 GB per vCPU) and
 * N2 high-memory (8 GB per vCPU), Intel Xeon with AVX-512. Compute Engine's "GB" is 2^30 bytes,
 * so the memory is in GiB. vCPUs and memory from
 * https://cloud.google.com/compute/docs/general-purpose-machines#n2_machine_types; prices from
 * {@link N2_ON_DEMAND_RATES}.
 */
export const CPU_MACHINE_TYPES: readonly CpuShape[] = [
  t('n2-standard-8', 8, 32),
  t('n2-standard-16', 16, 64),
  t('n2-standard-32', 32, 128),
  t('n2-highmem-8', 8, 64),
  t('n2-highmem-16', 16, 128),
  t('n2-highmem-32', 32, 256),
  t('n2-highmem-64', 64, 512),
];

/**
 * The catalogued CPU machine type called `name`.
 * @throws ValidationError listing the catalogued names
 */
export function cpuMachineTypeByName(name: string, prop = 'machineType'): CpuShape {
  return cpuShapeByName(CPU_MACHINE_TYPES, name, 'machine type', prop);
}
