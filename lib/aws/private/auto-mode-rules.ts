import { Construct, IConstruct } from 'constructs';
import { ValidationError } from '../../core';
import { IEksCluster } from '../interfaces';

/**
 * Throws when a managed node group is added to an EKS Auto Mode cluster: the library's Auto Mode
 * clusters run without the VPC CNI and kube-proxy add-ons that managed nodes need (Auto Mode nodes
 * bring their own networking), so such a node would never become Ready.
 */
export function refuseManagedGroupOnAutoMode(scope: IConstruct, cluster: IEksCluster, what: string): void {
  if (cluster.autoMode) {
    throw new ValidationError(
      `'cluster' ${cluster.clusterName} runs EKS Auto Mode: its nodes come from Auto Mode NodePools, and it has no VPC CNI or ` +
        `kube-proxy add-on for a managed ${what} node group. Use AutoModeGpuNodePool (same accelerator, capacity and EFA options) instead.`,
      scope,
    );
  }
}

/**
 * The cluster a construct was given, checked to be an EKS cluster of this library (owned or
 * imported): a construct with a cluster name.
 */
export function requireEksCluster(scope: IConstruct, prop: string, value: unknown): IEksCluster {
  const c = value as IEksCluster | undefined;
  if (
    c === null ||
    typeof c !== 'object' ||
    !Construct.isConstruct(c) ||
    typeof (c as IEksCluster).clusterName !== 'string'
  ) {
    throw new ValidationError(
      `'${prop}' must be an EksCluster or the result of EksCluster.fromClusterAttributes(...), got ${value === null ? 'null' : typeof value}.`,
      scope,
      'type',
    );
  }
  return c;
}
