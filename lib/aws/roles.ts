/**
 * An IAM role other constructs can grant access to: the cluster's node role, a Pod Identity
 * workload role ({@link EksCluster.addWorkloadRole}) or a role the app does not own
 * (`{ roleName, roleArn }`).
 */
export interface IAwsRole {
  /** Role name. */
  readonly roleName: string;
  /** Role ARN. */
  readonly roleArn: string;
}
