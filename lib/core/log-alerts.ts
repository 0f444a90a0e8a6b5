import { AlertSeverity } from './alerts';

/** Where a log alert looks. */
export enum LogAlertSource {
  /** The containers' own output (stdout and stderr). */
  CONTAINER = 'container',
  /** Kubernetes events about pods (the kubelet's `BackOff` event of a crash-looping container). */
  POD_EVENTS = 'pod-events',
}

/**
 * A log-based alert defined once and rendered by each logging backend (Cloud Logging log-based
 * metrics and alert policies on Google Cloud today).
 */
export interface LogAlertDefinition {
  /** Alert name, PascalCase, stable (it names the log-based metric and the policy). */
  readonly name: string;
  /** Where the lines come from. */
  readonly source: LogAlertSource;
  /**
   * Literal texts a matching line contains (any of them), or the event `reason` (pod events),
   * matched case-sensitively. Backends with term filters (CloudWatch Logs) use them as written.
   */
  readonly terms: readonly string[];
  /** The terms as one RE2 regular expression (alternation of the escaped terms). */
  readonly pattern: string;
  /** Severity. */
  readonly severity: AlertSeverity;
  /** One line for the notification. */
  readonly summary: string;
  /** What it means and what to do first. */
  readonly runbook: string;
  /** Where the pattern was read. */
  readonly reference: string;
}

/** `terms` and the RE2 `pattern` that matches any of them. */
function terms(...t: string[]): { terms: string[]; pattern: string } {
  return { terms: t, pattern: t.map((x) => x.replace(/[.*+?^$()[\]{}|\\]/g, '\\$&')).join('|') };
}

/**
 * The engine failure patterns: CUDA out-of-memory, NCCL failures and crash loops. The
 * patterns are the messages the libraries print:
 * - PyTorch: `torch.OutOfMemoryError: CUDA out of memory. Tried to allocate ...`
 *   (`c10/cuda/CUDACachingAllocator.cpp`), and the CUDA runtime's `CUDA error: out of memory`;
 * - NCCL: `NCCL error` / `ncclSystemError` / `ncclInternalError` / `ncclUnhandledCudaError` /
 *   `ncclRemoteError` (`torch/csrc/distributed/c10d/NCCLUtils.hpp` error strings), and PyTorch's
 *   NCCL watchdog `Watchdog caught collective operation timeout`;
 * - the kubelet's `BackOff` event ("Back-off restarting failed container").
 */
export const LOG_ALERT_RULES: readonly LogAlertDefinition[] = [
  {
    name: 'EngineCudaOutOfMemory',
    source: LogAlertSource.CONTAINER,
    ...terms('CUDA out of memory', 'CUDA error: out of memory', 'torch.OutOfMemoryError'),
    severity: AlertSeverity.WARNING,
    summary: 'a container ran out of GPU memory (CUDA OOM)',
    runbook:
      'Serving: lower max-num-seqs or max-model-len, or gpuMemoryUtilization if something else shares the GPU. Training: lower the micro-batch or enable activation checkpointing.',
    reference: 'pytorch/pytorch c10/cuda/CUDACachingAllocator.cpp (OutOfMemoryError message)',
  },
  {
    name: 'NcclError',
    source: LogAlertSource.CONTAINER,
    ...terms(
      'NCCL error',
      'ncclSystemError',
      'ncclInternalError',
      'ncclUnhandledCudaError',
      'ncclRemoteError',
      'Watchdog caught collective operation timeout',
    ),
    severity: AlertSeverity.CRITICAL,
    summary: 'a collective (NCCL) failed or timed out',
    runbook:
      'A rank lost its peers: check the node fabric (EFA, GPUDirect) and the GPU XID alerts, then let the job restart from its checkpoint. Timeouts on every step point at a stuck rank.',
    reference: 'pytorch/pytorch torch/csrc/distributed/c10d/NCCLUtils.hpp, ProcessGroupNCCL.cpp (watchdog)',
  },
  {
    name: 'ContainerCrashLooping',
    source: LogAlertSource.POD_EVENTS,
    ...terms('BackOff'),
    severity: AlertSeverity.WARNING,
    summary: 'a container is crash looping (kubelet BackOff)',
    runbook:
      'Read the previous container log (kubectl logs --previous). Model servers: out of memory at load, a missing weights path or a bad flag; check the startup probe budget.',
    reference: 'kubernetes/kubernetes pkg/kubelet/events/event.go (BackOffStartContainer = "BackOff")',
  },
];
