import { IConstruct } from 'constructs';
import { Accelerator } from './accelerator';
import { NodeTaint } from './capacity';
import { ValidationError } from './errors';
import { VALIDATION_CODES } from './validation';

/**
 * A class of nodes that workloads opt into with a node selector and tolerations, and whose nodes
 * the cloud creates on demand: a GKE custom `ComputeClass` (the GCP module's `ComputeClass`
 * implements it). Workloads of the Kubernetes module (`ModelServer`, `TrainingJob`) take it as
 * `nodeClass` and get its selector and tolerations, so the module needs no knowledge of the cloud.
 */
export interface INodeClass {
  /** The class's name, for messages. */
  readonly nodeClassName: string;
  /** Node labels the class's nodes carry; a workload selecting the class gets them as its `nodeSelector`. */
  readonly nodeSelector: Record<string, string>;
  /** Taints the class's nodes carry; a workload selecting the class tolerates them. */
  readonly taints: readonly NodeTaint[];
  /** The GPU model of the class's nodes. */
  readonly accelerator: Accelerator;
  /** GPUs of each node the class creates: a pod requesting more never schedules. */
  readonly gpusPerNode: number;
}

/**
 * Checks that a workload fits the nodes of a class: the same GPU model, and no more GPUs per pod
 * than a node has.
 * @param prop the prop the user set (`nodeClass`)
 * @throws ValidationError naming `prop`, the class and what to change
 */
export function checkNodeClassFits(
  scope: IConstruct | undefined,
  prop: string,
  nodeClass: INodeClass,
  workload: { readonly accelerator?: Accelerator; readonly gpusPerPod: number },
): void {
  if (
    nodeClass === null ||
    typeof nodeClass !== 'object' ||
    typeof nodeClass.nodeClassName !== 'string' ||
    !(nodeClass.accelerator instanceof Accelerator)
  ) {
    throw new ValidationError(
      `'${prop}' must be a node class (for example a gcp.ComputeClass), got ${String(nodeClass)}.`,
      scope,
      VALIDATION_CODES.TYPE,
    );
  }
  if (workload.accelerator && !workload.accelerator.equals(nodeClass.accelerator)) {
    throw new ValidationError(
      `'${prop}' ('${nodeClass.nodeClassName}') creates ${nodeClass.accelerator.id} nodes but 'accelerator' is ${workload.accelerator.id}: ` +
        `the pods would never schedule. Select a class of ${workload.accelerator.id} nodes or change 'accelerator'.`,
      scope,
    );
  }
  if (workload.gpusPerPod > nodeClass.gpusPerNode) {
    throw new ValidationError(
      `'${prop}' ('${nodeClass.nodeClassName}') creates nodes with ${nodeClass.gpusPerNode} GPUs but each pod requests ${workload.gpusPerPod}: ` +
        `the pods would never schedule. Select a class with at least ${workload.gpusPerPod} GPUs per node.`,
      scope,
      VALIDATION_CODES.NUMBER_RANGE,
    );
  }
}
