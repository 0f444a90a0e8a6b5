/** Google-managed GPU driver installation (`gpu_driver_installation_config.gpu_driver_version`). */
export enum GpuDriverVersion {
  /** The default driver version of the node's GKE version. */
  DEFAULT = 'DEFAULT',
  /** The latest driver version of the node's GKE version (COS only; this library's pools run COS). */
  LATEST = 'LATEST',
  /** No driver: you install it yourself (NVIDIA GPU Operator). Incompatible with GKE DCGM monitoring. */
  INSTALLATION_DISABLED = 'INSTALLATION_DISABLED',
}

/** Node upgrade strategy (`upgrade_settings.strategy`). */
export enum UpgradeStrategy {
  /** Surge upgrades. */
  SURGE = 'SURGE',
  /** Blue-green upgrades (not with COMPACT placement). */
  BLUE_GREEN = 'BLUE_GREEN',
}

/** Google Cloud options every GPU node pool of this library accepts on top of the core options. */
export interface GcpNodePoolExtras {
  /**
   * Node pool name (at most 40 characters).
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Machine type, when the preferred one for the accelerator and GPU count is not wanted; it
   * must carry `accelerator` x `gpusPerNode`.
   * @default - the catalogue's preferred machine type (`GPU_MACHINE_TYPES`)
   */
  readonly machineType?: string;
  /**
   * Google-managed driver installation. GKE's DCGM metrics need a managed driver.
   * @default GpuDriverVersion.DEFAULT
   */
  readonly gpuDriverVersion?: GpuDriverVersion;
  /**
   * Node auto-repair. Flex-start pools do not allow it.
   * @default - true, false for flex-start
   */
  readonly autoRepair?: boolean;
  /**
   * Node upgrade strategy.
   * @default UpgradeStrategy.SURGE
   */
  readonly upgradeStrategy?: UpgradeStrategy;
  /**
   * Image streaming (`gcfs_config`): containers start before the whole image is pulled.
   * @default true
   */
  readonly imageStreaming?: boolean;
  /**
   * Boot disk size, GiB (pd-ssd).
   * @default 200
   */
  readonly bootDiskSizeGiB?: number;
}
