import { Accelerator, GpuShape, HourlyPrice, ShapeAlternative, lookupShape, shapeByName } from '../core';
import { CYCLENERD_PRICE_TABLE, CYCLENERD_PRICE_TABLE_DATE } from './private/price-tables';

/** How the GPUs of different nodes talk to each other over the network. */
export enum GpuDirect {
  /** No GPUDirect: NCCL traffic goes over the host NIC (A2, G2, A3 High below 8 GPUs). */
  NONE = 'NONE',
  /** GPUDirect-TCPX: `a3-highgpu-8g`, 4 extra NICs in 4 separate VPCs. */
  TCPX = 'TCPX',
  /** GPUDirect-TCPXO: `a3-megagpu-8g`, 8 extra NICs in 8 separate VPCs. */
  TCPXO = 'TCPXO',
  /** GPUDirect RDMA over RoCE: `a3-ultragpu-8g`, 1 extra gVNIC VPC + 1 RoCE VPC with 8 subnets. */
  RDMA = 'RDMA',
}

/** A GCE machine type with GPUs attached (accelerator-optimized A3 / A2 / G2). */
export interface GcpGpuMachineType extends GpuShape {
  /**
   * The exact `guest_accelerator.type` string GKE expects for this machine type, for example
   * `nvidia-h100-mega-80gb` for `a3-megagpu-8g` (not `nvidia-h100-80gb`).
   */
  readonly acceleratorType: string;
  /** The GPUDirect technology the machine type supports. */
  readonly gpuDirect: GpuDirect;
  /** Extra node networks (`additional_node_network_configs`) GPUDirect needs: 0, 4, 8 or 9. */
  readonly additionalNetworks: number;
  /** MTU of the GPUDirect VPCs, bytes (0 when there are none). */
  readonly gpuDirectMtu: number;
  /**
   * Whether Google sells the machine type as plain on-demand capacity. `false` for
   * `a3-highgpu-1g/2g/4g` and `a3-ultragpu-8g` (Spot, flex-start or reservations only;
   * reference/gcp.md §3, VERIFY: consumption options change over time).
   */
  readonly onDemandAvailable: boolean;
  /**
   * Boot disk type the machine series supports: `hyperdisk-balanced` for A3 Ultra (no
   * Persistent Disk, as in Cluster Toolkit's A3 Ultra blueprint; VERIFY), `pd-ssd` otherwise.
   */
  readonly bootDiskType: string;
}

/**
 * Where the GPU machine prices come from: the us-central1 on-demand machine prices (GPUs
 * included) of the table Cyclenerd's cost calculator generates weekly from the Cloud Billing
 * Catalog API.
 */
export const GCP_MACHINE_PRICE_SOURCE: string =
  `${CYCLENERD_PRICE_TABLE}: compute.instance.<machine type>.cost.<region>.hour, on-demand, GPUs included; ` +
  'the rate card is https://cloud.google.com/compute/vm-instance-pricing#accelerator-optimized';

/** A3 Ultra is not in {@link GCP_MACHINE_PRICE_SOURCE}: its price is the best-known public one. */
const A3_ULTRA_PRICE: HourlyPrice = {
  usd: 84.81,
  region: 'us-central1',
  asOf: '2026-11-22',
  source:
    'VERIFY: https://cloud.google.com/compute/vm-instance-pricing#accelerator-optimized (a3-ultragpu-8g, us-central1 on-demand, ' +
    'GPUs included); best-known public price, not re-read: the machine type is not in the generated price table',
};

function price(usd: number, region = 'us-central1'): HourlyPrice {
  return { usd, region, asOf: CYCLENERD_PRICE_TABLE_DATE, source: GCP_MACHINE_PRICE_SOURCE };
}

interface Row {
  readonly name: string;
  readonly accelerator: Accelerator;
  readonly acceleratorType: string;
  readonly gpuCount: number;
  readonly vcpus: number;
  readonly memoryGiB: number;
  /** On-demand hourly price from {@link GCP_MACHINE_PRICE_SOURCE}, or a price of its own. */
  readonly usd: number | HourlyPrice;
  /** Region of the price, when the table has no us-central1 row. */
  readonly priceRegion?: string;
  readonly gpuDirect?: GpuDirect;
  readonly onDemandAvailable?: boolean;
  readonly bootDiskType?: string;
}

const ADDITIONAL_NETWORKS: Record<GpuDirect, number> = {
  [GpuDirect.NONE]: 0,
  [GpuDirect.TCPX]: 4,
  [GpuDirect.TCPXO]: 8,
  [GpuDirect.RDMA]: 9,
};

/** MTU of the GPUDirect VPCs (reference/gcp.md §5: CT `multivpc` 8244, RDMA VPC default 8896). */
export const GPUDIRECT_MTU: Record<GpuDirect, number> = {
  [GpuDirect.NONE]: 0,
  [GpuDirect.TCPX]: 8244,
  [GpuDirect.TCPXO]: 8244,
  [GpuDirect.RDMA]: 8896,
};

function row(r: Row): GcpGpuMachineType {
  const gd = r.gpuDirect ?? GpuDirect.NONE;
  return {
    name: r.name,
    accelerator: r.accelerator,
    acceleratorType: r.acceleratorType,
    gpuCount: r.gpuCount,
    vcpus: r.vcpus,
    memoryGiB: r.memoryGiB,
    onDemandPrice: typeof r.usd === 'number' ? price(r.usd, r.priceRegion) : r.usd,
    gpuDirect: gd,
    additionalNetworks: ADDITIONAL_NETWORKS[gd],
    gpuDirectMtu: GPUDIRECT_MTU[gd],
    onDemandAvailable: r.onDemandAvailable ?? true,
    bootDiskType: r.bootDiskType ?? 'pd-ssd',
  };
}

const H100 = Accelerator.H100;
const L4 = Accelerator.L4;

/**
 * The GPU machine types this library knows on Google Cloud, from reference/gcp.md §3
 * (https://cloud.google.com/compute/docs/accelerator-optimized-machines). Within one
 * accelerator and GPU count the preferred machine type comes first: {@link lookupMachineType}
 * picks it. For L4 the preferred 1-GPU shape is `g2-standard-8` (32 GB host RAM: room to load
 * 8B-class weights) rather than `g2-standard-4` (16 GB).
 *
 * Prices are on-demand, GPUs included, from {@link GCP_MACHINE_PRICE_SOURCE}: us-central1, except
 * `a3-megagpu-8g` (the table lists it in us-east4 and other regions, not us-central1) and
 * `a3-ultragpu-8g` (not in the table: a best-known price marked VERIFY).
 *
 * @see https://cloud.google.com/compute/docs/gpus
 */
export const GPU_MACHINE_TYPES: readonly GcpGpuMachineType[] = [
  // A3 High: H100 80GB. Below 8 GPUs: Spot / flex-start only.
  row({
    name: 'a3-highgpu-8g',
    accelerator: H100,
    acceleratorType: 'nvidia-h100-80gb',
    gpuCount: 8,
    vcpus: 208,
    memoryGiB: 1872,
    usd: 88.49,
    gpuDirect: GpuDirect.TCPX,
  }),
  row({
    name: 'a3-highgpu-1g',
    accelerator: H100,
    acceleratorType: 'nvidia-h100-80gb',
    gpuCount: 1,
    vcpus: 26,
    memoryGiB: 234,
    usd: 11.06125,
    onDemandAvailable: false,
  }),
  row({
    name: 'a3-highgpu-2g',
    accelerator: H100,
    acceleratorType: 'nvidia-h100-80gb',
    gpuCount: 2,
    vcpus: 52,
    memoryGiB: 468,
    usd: 22.1225,
    onDemandAvailable: false,
  }),
  row({
    name: 'a3-highgpu-4g',
    accelerator: H100,
    acceleratorType: 'nvidia-h100-80gb',
    gpuCount: 4,
    vcpus: 104,
    memoryGiB: 936,
    usd: 44.245,
    onDemandAvailable: false,
  }),
  // A3 Mega: H100 80GB Mega, its own accelerator string.
  row({
    name: 'a3-megagpu-8g',
    accelerator: H100,
    acceleratorType: 'nvidia-h100-mega-80gb',
    gpuCount: 8,
    vcpus: 208,
    memoryGiB: 1872,
    usd: 92.937588,
    priceRegion: 'us-east4',
    gpuDirect: GpuDirect.TCPXO,
  }),
  // A3 Ultra: H200 141GB, RDMA.
  row({
    name: 'a3-ultragpu-8g',
    accelerator: Accelerator.H200,
    acceleratorType: 'nvidia-h200-141gb',
    gpuCount: 8,
    vcpus: 224,
    memoryGiB: 2952,
    usd: A3_ULTRA_PRICE,
    gpuDirect: GpuDirect.RDMA,
    onDemandAvailable: false,
    bootDiskType: 'hyperdisk-balanced',
  }),
  // A2 High / Mega: A100 40GB.
  row({
    name: 'a2-highgpu-1g',
    accelerator: Accelerator.A100_40GB,
    acceleratorType: 'nvidia-tesla-a100',
    gpuCount: 1,
    vcpus: 12,
    memoryGiB: 85,
    usd: 3.673385,
  }),
  row({
    name: 'a2-highgpu-2g',
    accelerator: Accelerator.A100_40GB,
    acceleratorType: 'nvidia-tesla-a100',
    gpuCount: 2,
    vcpus: 24,
    memoryGiB: 170,
    usd: 7.34677,
  }),
  row({
    name: 'a2-highgpu-4g',
    accelerator: Accelerator.A100_40GB,
    acceleratorType: 'nvidia-tesla-a100',
    gpuCount: 4,
    vcpus: 48,
    memoryGiB: 340,
    usd: 14.69354,
  }),
  row({
    name: 'a2-highgpu-8g',
    accelerator: Accelerator.A100_40GB,
    acceleratorType: 'nvidia-tesla-a100',
    gpuCount: 8,
    vcpus: 96,
    memoryGiB: 680,
    usd: 29.38708,
  }),
  row({
    name: 'a2-megagpu-16g',
    accelerator: Accelerator.A100_40GB,
    acceleratorType: 'nvidia-tesla-a100',
    gpuCount: 16,
    vcpus: 96,
    memoryGiB: 1360,
    usd: 55.739504,
  }),
  // A2 Ultra: A100 80GB, `nvidia-a100-80gb` (CT's machine_mappings.json has this wrong).
  row({
    name: 'a2-ultragpu-1g',
    accelerator: Accelerator.A100_80GB,
    acceleratorType: 'nvidia-a100-80gb',
    gpuCount: 1,
    vcpus: 12,
    memoryGiB: 170,
    usd: 5.068798,
  }),
  row({
    name: 'a2-ultragpu-2g',
    accelerator: Accelerator.A100_80GB,
    acceleratorType: 'nvidia-a100-80gb',
    gpuCount: 2,
    vcpus: 24,
    memoryGiB: 340,
    usd: 10.137596,
  }),
  row({
    name: 'a2-ultragpu-4g',
    accelerator: Accelerator.A100_80GB,
    acceleratorType: 'nvidia-a100-80gb',
    gpuCount: 4,
    vcpus: 48,
    memoryGiB: 680,
    usd: 20.275192,
  }),
  row({
    name: 'a2-ultragpu-8g',
    accelerator: Accelerator.A100_80GB,
    acceleratorType: 'nvidia-a100-80gb',
    gpuCount: 8,
    vcpus: 96,
    memoryGiB: 1360,
    usd: 40.550383,
  }),
  // G2: L4. Preferred 1-GPU shape first.
  row({
    name: 'g2-standard-8',
    accelerator: L4,
    acceleratorType: 'nvidia-l4',
    gpuCount: 1,
    vcpus: 8,
    memoryGiB: 32,
    usd: 0.853624,
  }),
  row({
    name: 'g2-standard-4',
    accelerator: L4,
    acceleratorType: 'nvidia-l4',
    gpuCount: 1,
    vcpus: 4,
    memoryGiB: 16,
    usd: 0.706832,
  }),
  row({
    name: 'g2-standard-12',
    accelerator: L4,
    acceleratorType: 'nvidia-l4',
    gpuCount: 1,
    vcpus: 12,
    memoryGiB: 48,
    usd: 1.000416,
  }),
  row({
    name: 'g2-standard-16',
    accelerator: L4,
    acceleratorType: 'nvidia-l4',
    gpuCount: 1,
    vcpus: 16,
    memoryGiB: 64,
    usd: 1.147208,
  }),
  row({
    name: 'g2-standard-32',
    accelerator: L4,
    acceleratorType: 'nvidia-l4',
    gpuCount: 1,
    vcpus: 32,
    memoryGiB: 128,
    usd: 1.734376,
  }),
  row({
    name: 'g2-standard-24',
    accelerator: L4,
    acceleratorType: 'nvidia-l4',
    gpuCount: 2,
    vcpus: 24,
    memoryGiB: 96,
    usd: 2.000833,
  }),
  row({
    name: 'g2-standard-48',
    accelerator: L4,
    acceleratorType: 'nvidia-l4',
    gpuCount: 4,
    vcpus: 48,
    memoryGiB: 192,
    usd: 4.001665,
  }),
  row({
    name: 'g2-standard-96',
    accelerator: L4,
    acceleratorType: 'nvidia-l4',
    gpuCount: 8,
    vcpus: 96,
    memoryGiB: 384,
    usd: 8.00333,
  }),
];

/**
 * What to suggest for GPUs Google Cloud does not offer (reference/gcp.md §4): neither L40S nor
 * A10G is a GCP accelerator type.
 */
export const GCP_ACCELERATOR_ALTERNATIVES: readonly ShapeAlternative[] = [
  {
    missing: Accelerator.A10G,
    suggestions: ['Accelerator.L4 (g2-standard-*, 24 GB, Ada): the same 24 GB memory class, and it adds FP8'],
  },
  {
    missing: Accelerator.L40S,
    suggestions: [
      'Accelerator.L4 with gpusPerNode: 2 (g2-standard-24, 2 x 24 GB = 48 GB with tensor parallelism 2): the same Ada generation and total memory',
      'Accelerator.A100_40GB (a2-highgpu-1g) or Accelerator.A100_80GB (a2-ultragpu-1g) for memory-heavy serving (no FP8)',
      'RTX PRO 6000 (g4-standard-*, 96 GB Blackwell) is the nearest single-GPU part but is not in this catalogue yet',
    ],
  },
];

/**
 * The preferred machine type with `gpus` x `accelerator`.
 * @throws ValidationError naming the GPU counts that exist, or the GCP alternatives for L40S / A10G
 */
export function lookupMachineType(accelerator: Accelerator, gpus: number): GcpGpuMachineType {
  return lookupShape('Google Cloud', GPU_MACHINE_TYPES, accelerator, gpus, GCP_ACCELERATOR_ALTERNATIVES);
}

/**
 * A catalogued machine type by name.
 * @param prop the prop name to use in the error message
 * @throws ValidationError listing the known machine types
 */
export function machineTypeByName(name: string, prop = 'machineType'): GcpGpuMachineType {
  return shapeByName('Google Cloud', GPU_MACHINE_TYPES, name, prop);
}
