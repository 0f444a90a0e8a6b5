import { IConstruct } from 'constructs';
import { Accelerator, checkNodeClassFits, INodeClass } from '../../core';
import { ApiToleration } from '../interfaces';

/** The node selector and tolerations a workload gets from the node class it selects. */
export interface NodeClassPlacement {
  /** Labels to add to the pod's node selector. */
  readonly nodeSelector: Record<string, string>;
  /** Tolerations of the class's taints. */
  readonly tolerations: ApiToleration[];
}

/**
 * Checks that a workload fits a node class (GPU model, GPUs per node) and returns what its pods
 * need to land there; empty without a class.
 */
export function nodeClassPlacement(
  scope: IConstruct,
  nodeClass: INodeClass | undefined,
  workload: { readonly accelerator?: Accelerator; readonly gpusPerPod: number },
): NodeClassPlacement {
  if (nodeClass === undefined) return { nodeSelector: {}, tolerations: [] };
  checkNodeClassFits(scope, 'nodeClass', nodeClass, workload);
  return {
    nodeSelector: { ...nodeClass.nodeSelector },
    tolerations: nodeClass.taints.map((t) =>
      t.value !== undefined
        ? { key: t.key, operator: 'Equal' as const, value: t.value, effect: t.effect }
        : { key: t.key, operator: 'Exists' as const, effect: t.effect },
    ),
  };
}
