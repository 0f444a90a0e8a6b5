import { IGpuPlatform } from './interfaces';

/** How the preflight DCGM diagnostic reaches the GPUs. */
export enum PreflightDcgmMode {
  /** Through the node's standalone DCGM host engine ({@link PreflightDcgm.hostEngine}). */
  HOST_ENGINE = 'host-engine',
  /** With a host engine started inside the init container ({@link PreflightDcgm.inPod}). */
  IN_POD = 'in-pod',
}

/**
 * Where the preflight's `dcgmi diag -r 1` (level 1, "quick deployment checks, normally lasting
 * seconds": driver, libraries, permissions, persistence, pending page retirements and row
 * remaps) runs.
 *
 * Privileges: DCGM's host engine "can run without root privileges, but prints a warning and
 * cannot provide features for which the host-engine user lacks device or operating-system
 * permissions. Configuration management and portions of diagnostics can require root"
 * (https://docs.nvidia.com/datacenter/dcgm/latest/reference/command-line-reference/nv-hostengine.html),
 * and DCGM's own Kubernetes packaging gives the host engine `SYS_ADMIN` (dcgm-exporter issue
 * #402: without it the pod stops with "host engine is running as non-root"). `dcgmi` itself is
 * only a client. So the library runs the diagnostic where a privileged host engine already is,
 * the GPU Operator's (`hostEngine`, the init container stays Pod Security "restricted"), and
 * offers the in-pod host engine only as an explicit opt-in that runs that one container as root
 * with `SYS_ADMIN` (`inPod`).
 */
export class PreflightDcgm {
  /**
   * Ask the node's standalone DCGM host engine (GpuPlatform `standaloneDcgm`: the GPU Operator's
   * `nvidia-dcgm` Service, whose `internalTrafficPolicy: Local` routes to the host engine on the
   * pod's own node) to run the diagnostic. The host engine runs privileged in the GPU Operator's
   * namespace; the init container is an unprivileged `dcgmi` client (non-root, no capabilities).
   * The diagnostic covers every GPU of the node, which a whole-node training pod owns anyway.
   */
  public static hostEngine(platform: IGpuPlatform): PreflightDcgm {
    return new PreflightDcgm(PreflightDcgmMode.HOST_ENGINE, platform);
  }

  /**
   * Start DCGM's host engine inside the init container, on the pod's own GPUs, for clusters
   * without a standalone host engine (device-plugin platforms such as the EKS and GKE GPU images).
   * That container runs as root with `SYS_ADMIN` (see the class notes): the pod then needs a
   * namespace that admits privileged pods (`podSecurityLevel` becomes PRIVILEGED) and a warning
   * (`k8s-preflight-dcgm-privileged`) says so. Every other container keeps its own context.
   */
  public static inPod(): PreflightDcgm {
    return new PreflightDcgm(PreflightDcgmMode.IN_POD, undefined);
  }

  private constructor(
    /** Where the diagnostic runs. */
    public readonly mode: PreflightDcgmMode,
    /** The platform whose host engine is used (HOST_ENGINE). */
    public readonly platform: IGpuPlatform | undefined,
  ) {}
}

/** Checks a training pod runs before its trainer starts (init containers). */
export interface PreflightChecks {
  /**
   * DCGM diagnostics level 1 on the node's GPUs; a failed test fails the pod.
   * @default - no DCGM diagnostic
   */
  readonly dcgm?: PreflightDcgm;
  /**
   * An NCCL init check across the whole gang: every rank creates the NCCL communicator over the
   * job's fabric (the trainer's image, GPUs, devices and environment) and all-reduces one value,
   * so a node whose GPUs, NVLink, EFA or RDMA cannot join fails before the training starts.
   * TrainingJob only: in an MpiJob the launcher's `mpirun` is the job (accept a fabric with
   * NcclTest), and setting it there is an error.
   * @default true in a TrainingJob, false in an MpiJob
   */
  readonly ncclInit?: boolean;
  /**
   * Seconds each check may take before it fails (`dcgmi diag --timeout`; the NCCL process group
   * timeout, which also bounds the wait for the slowest gang member to arrive).
   * @default 600
   */
  readonly timeoutSeconds?: number;
}
