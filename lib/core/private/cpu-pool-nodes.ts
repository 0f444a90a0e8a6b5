import { IConstruct } from 'constructs';
import { NodeTaint, validateNodeTaints } from '../capacity';
import { CPU_INFERENCE_NODE_LABEL, CPU_INFERENCE_TAINT } from '../cpu-shapes';
import { mergeNodeLabels, poolNodeLabels } from '../pool-common';

/**
 * The node labels and taints of a CPU inference pool, the same on every cloud: the library's
 * labels (`CPU_INFERENCE_NODE_LABEL`, the pool and its `inference` role) merged with the user's,
 * and `CPU_INFERENCE_TAINT` first, then the user's taints except any on its key. Dropping those
 * is deliberate (unlike GPU pools' `gpuPoolTaints`, where the user's taint wins): `LlamaCppServer`
 * tolerates the CPU taint by key, value and effect (operator Equal), not by key alone as GPU
 * workloads tolerate `nvidia.com/gpu` (Exists), so the pool must keep exactly that taint.
 * @param what how the user set the pool name, for the error (`construct id`, `'name'`)
 */
export function cpuPoolNodeLabelsAndTaints(
  scope: IConstruct,
  what: string,
  pool: string,
  labels: Record<string, string> | undefined,
  taints: NodeTaint[] | undefined,
): { readonly labels: Record<string, string>; readonly taints: NodeTaint[] } {
  const merged = mergeNodeLabels(
    scope,
    'labels',
    { [CPU_INFERENCE_NODE_LABEL]: 'true', ...poolNodeLabels(scope, what, pool, 'inference') },
    labels,
  );
  validateNodeTaints(scope, 'taints', taints ?? []);
  return {
    labels: merged,
    taints: [CPU_INFERENCE_TAINT, ...(taints ?? []).filter((t) => t.key !== CPU_INFERENCE_TAINT.key)],
  };
}
