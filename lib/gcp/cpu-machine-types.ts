import { CpuArchitecture, CpuShape, HourlyPrice, ValidationError } from '../core';

const PRICING_PAGE = 'https://cloud.google.com/compute/vm-instance-pricing';

/**
 * Prices of the CPU machine types: best-known public on-demand prices (us-central1), not re-read
 * from the price list for this release; check them before relying on the estimate.
 */
function price(usd: number): HourlyPrice {
  return {
    usd,
    region: 'us-central1',
    asOf: '2026-12-03',
    source: `VERIFY: Compute Engine VM instance pricing, N2 (${PRICING_PAGE}); best-known public price, not re-read`,
  };
}

function t(name: string, vcpus: number, memoryGiB: number, usd: number): CpuShape {
  return { name, vcpus, memoryGiB, architecture: CpuArchitecture.X86_64, onDemandPrice: price(usd) };
}

/**
 * GCE machine types for CPU inference (llama.cpp on GGUF files): N2 standard (4 GB per vCPU) and
 * N2 high-memory (8 GB per vCPU), Intel Xeon with AVX-512. Compute Engine's "GB" is 2^30 bytes,
 * so the memory is in GiB. vCPUs and memory from
 * https://cloud.google.com/compute/docs/general-purpose-machines#n2_machine_types.
 */
export const CPU_MACHINE_TYPES: readonly CpuShape[] = [
  t('n2-standard-8', 8, 32, 0.388472),
  t('n2-standard-16', 16, 64, 0.776944),
  t('n2-standard-32', 32, 128, 1.553888),
  t('n2-highmem-8', 8, 64, 0.524056),
  t('n2-highmem-16', 16, 128, 1.048112),
  t('n2-highmem-32', 32, 256, 2.096224),
  t('n2-highmem-64', 64, 512, 4.192448),
];

/**
 * The catalogued CPU machine type called `name`.
 * @throws ValidationError listing the catalogued names
 */
export function cpuMachineTypeByName(name: string, prop = 'machineType'): CpuShape {
  const found = CPU_MACHINE_TYPES.find((s) => s.name === name);
  if (!found) {
    throw new ValidationError(
      `'${prop}' (${name}) is not a catalogued CPU inference machine type: use one of ${CPU_MACHINE_TYPES.map((s) => s.name).join(', ')}.`,
    );
  }
  return found;
}
