/**
 * The dcgm-exporter counters CSV this library ships: the upstream default set plus the
 * counters the core GPU alert rules read that upstream leaves commented out (reference §9):
 * ECC, *_VIOLATION throttling counters, retired pages, NVLink errors and the exporter-computed
 * `DCGM_EXP_XID_ERRORS_COUNT`.
 */
const BASE: Array<[string, string, string]> = [
  ['DCGM_FI_DEV_SM_CLOCK', 'gauge', 'SM clock frequency (in MHz).'],
  ['DCGM_FI_DEV_MEM_CLOCK', 'gauge', 'Memory clock frequency (in MHz).'],
  ['DCGM_FI_DEV_MEMORY_TEMP', 'gauge', 'Memory temperature (in C).'],
  ['DCGM_FI_DEV_GPU_TEMP', 'gauge', 'GPU temperature (in C).'],
  ['DCGM_FI_DEV_POWER_USAGE', 'gauge', 'Power draw (in W).'],
  ['DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'counter', 'Total energy consumption since boot (in mJ).'],
  ['DCGM_FI_DEV_PCIE_REPLAY_COUNTER', 'counter', 'Total number of PCIe retries.'],
  ['DCGM_FI_DEV_GPU_UTIL', 'gauge', 'GPU utilization (in %).'],
  ['DCGM_FI_DEV_MEM_COPY_UTIL', 'gauge', 'Memory utilization (in %).'],
  ['DCGM_FI_DEV_ENC_UTIL', 'gauge', 'Encoder utilization (in %).'],
  ['DCGM_FI_DEV_DEC_UTIL', 'gauge', 'Decoder utilization (in %).'],
  ['DCGM_FI_DEV_XID_ERRORS', 'gauge', 'Value of the last XID error encountered.'],
  ['DCGM_EXP_XID_ERRORS_COUNT', 'gauge', 'XID errors observed in the configured window by xid.'],
  ['DCGM_FI_DEV_POWER_VIOLATION', 'counter', 'Throttling duration due to power constraints (in us).'],
  ['DCGM_FI_DEV_THERMAL_VIOLATION', 'counter', 'Throttling duration due to thermal constraints (in us).'],
  [
    'DCGM_FI_DEV_SYNC_BOOST_VIOLATION',
    'counter',
    'Throttling duration due to sync-boost constraints (in us).',
  ],
  [
    'DCGM_FI_DEV_BOARD_LIMIT_VIOLATION',
    'counter',
    'Throttling duration due to board limit constraints (in us).',
  ],
  ['DCGM_FI_DEV_LOW_UTIL_VIOLATION', 'counter', 'Throttling duration due to low utilization (in us).'],
  [
    'DCGM_FI_DEV_RELIABILITY_VIOLATION',
    'counter',
    'Throttling duration due to reliability constraints (in us).',
  ],
  ['DCGM_FI_DEV_FB_FREE', 'gauge', 'Framebuffer memory free (in MiB).'],
  ['DCGM_FI_DEV_FB_USED', 'gauge', 'Framebuffer memory used (in MiB).'],
  ['DCGM_FI_DEV_FB_RESERVED', 'gauge', 'Framebuffer memory reserved (in MiB).'],
  ['DCGM_FI_DEV_ECC_SBE_VOL_TOTAL', 'counter', 'Total number of single-bit volatile ECC errors.'],
  ['DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', 'counter', 'Total number of double-bit volatile ECC errors.'],
  ['DCGM_FI_DEV_ECC_SBE_AGG_TOTAL', 'counter', 'Total number of single-bit persistent ECC errors.'],
  ['DCGM_FI_DEV_ECC_DBE_AGG_TOTAL', 'counter', 'Total number of double-bit persistent ECC errors.'],
  ['DCGM_FI_DEV_RETIRED_SBE', 'counter', 'Total number of retired pages due to single-bit errors.'],
  ['DCGM_FI_DEV_RETIRED_DBE', 'counter', 'Total number of retired pages due to double-bit errors.'],
  ['DCGM_FI_DEV_RETIRED_PENDING', 'counter', 'Total number of pages pending retirement.'],
  [
    'DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL',
    'counter',
    'Total number of NVLink flow-control CRC errors.',
  ],
  ['DCGM_FI_DEV_NVLINK_CRC_DATA_ERROR_COUNT_TOTAL', 'counter', 'Total number of NVLink data CRC errors.'],
  ['DCGM_FI_DEV_NVLINK_REPLAY_ERROR_COUNT_TOTAL', 'counter', 'Total number of NVLink retries.'],
  ['DCGM_FI_DEV_NVLINK_RECOVERY_ERROR_COUNT_TOTAL', 'counter', 'Total number of NVLink recovery errors.'],
  [
    'DCGM_FI_DEV_NVLINK_BANDWIDTH_TOTAL',
    'counter',
    'Total number of NVLink bandwidth counters for all lanes.',
  ],
  ['DCGM_FI_DEV_VGPU_LICENSE_STATUS', 'gauge', 'vGPU License status'],
  ['DCGM_FI_DEV_UNCORRECTABLE_REMAPPED_ROWS', 'counter', 'Number of remapped rows for uncorrectable errors'],
  ['DCGM_FI_DEV_CORRECTABLE_REMAPPED_ROWS', 'counter', 'Number of remapped rows for correctable errors'],
  ['DCGM_FI_DEV_ROW_REMAP_FAILURE', 'gauge', 'Whether remapping of rows has failed'],
  ['DCGM_FI_DRIVER_VERSION', 'label', 'Driver Version'],
];

/** Profiling (DCP) counters: unsupported or crashing on some GPUs and environments (reference §14.7). */
const PROFILING: Array<[string, string, string]> = [
  ['DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'gauge', 'Ratio of time the graphics engine is active.'],
  ['DCGM_FI_PROF_PIPE_TENSOR_ACTIVE', 'gauge', 'Ratio of cycles the tensor (HMMA) pipe is active.'],
  [
    'DCGM_FI_PROF_DRAM_ACTIVE',
    'gauge',
    'Ratio of cycles the device memory interface is active sending or receiving data.',
  ],
  [
    'DCGM_FI_PROF_PCIE_TX_BYTES',
    'counter',
    'The number of bytes of active pcie tx data including both header and payload.',
  ],
  [
    'DCGM_FI_PROF_PCIE_RX_BYTES',
    'counter',
    'The number of bytes of active pcie rx data including both header and payload.',
  ],
];

/** The counters CSV (`field, type, help` per line). */
export function dcgmCountersCsv(profiling: boolean): string {
  const rows = [...BASE, ...(profiling ? PROFILING : [])];
  return [
    '# Format: DCGM field, Prometheus metric type, help message. Generated by cdktf-ai-infra.',
    ...rows.map(([f, t, h]) => `${f}, ${t}, ${h}`),
    '',
  ].join('\n');
}

/** Metric names in the CSV, for tests and docs. */
export function dcgmCounterNames(profiling: boolean): string[] {
  return [...BASE, ...(profiling ? PROFILING : [])].map(([f]) => f);
}
