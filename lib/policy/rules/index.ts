import { PolicyRule } from '../rule';
import { EBS_ENCRYPTION } from './ebs-encryption';
import { EC2_IMDS_HOP_LIMIT } from './ec2-imds-hop-limit';
import { EC2_IMDSV2 } from './ec2-imdsv2';
import { EFA_OPEN_INGRESS } from './efa-open-ingress';
import { EKS_PUBLIC_ENDPOINT } from './eks-public-endpoint';
import { FSX_KMS_ENCRYPTION } from './fsx-kms-encryption';
import { GCS_PUBLIC_MEMBER } from './gcs-public-member';
import { GCS_UNIFORM_ACCESS } from './gcs-uniform-access';
import { GKE_PRIVATE_CLUSTER } from './gke-private-cluster';
import { HELM_CHART_VERSION } from './helm-chart-version';
import { IMAGE_PINNED } from './image-pinned';
import { K8S_PRIVILEGED } from './k8s-privileged';
import { K8S_RUN_AS_NON_ROOT } from './k8s-run-as-non-root';
import { S3_KMS_ENCRYPTION } from './s3-kms-encryption';
import { S3_PUBLIC_ACCESS } from './s3-public-access';
import { SNS_KMS_ENCRYPTION } from './sns-kms-encryption';
import { STATEFUL_PREVENT_DESTROY } from './stateful-prevent-destroy';

export {
  EBS_ENCRYPTION,
  EC2_IMDS_HOP_LIMIT,
  EC2_IMDSV2,
  EFA_OPEN_INGRESS,
  EKS_PUBLIC_ENDPOINT,
  FSX_KMS_ENCRYPTION,
  GCS_PUBLIC_MEMBER,
  GCS_UNIFORM_ACCESS,
  GKE_PRIVATE_CLUSTER,
  HELM_CHART_VERSION,
  IMAGE_PINNED,
  K8S_PRIVILEGED,
  K8S_RUN_AS_NON_ROOT,
  S3_KMS_ENCRYPTION,
  S3_PUBLIC_ACCESS,
  SNS_KMS_ENCRYPTION,
  STATEFUL_PREVENT_DESTROY,
};
export { STATEFUL_RESOURCE_TYPES } from './stateful-prevent-destroy';
export { MAX_IMDS_HOP_LIMIT } from './ec2-imds-hop-limit';
export { imageTag } from './image-pinned';

/** Every rule the library ships, by id. */
export const RULES: readonly PolicyRule[] = [
  S3_PUBLIC_ACCESS,
  GCS_UNIFORM_ACCESS,
  GCS_PUBLIC_MEMBER,
  S3_KMS_ENCRYPTION,
  FSX_KMS_ENCRYPTION,
  EBS_ENCRYPTION,
  SNS_KMS_ENCRYPTION,
  EKS_PUBLIC_ENDPOINT,
  GKE_PRIVATE_CLUSTER,
  EC2_IMDSV2,
  EC2_IMDS_HOP_LIMIT,
  EFA_OPEN_INGRESS,
  STATEFUL_PREVENT_DESTROY,
  K8S_PRIVILEGED,
  K8S_RUN_AS_NON_ROOT,
  IMAGE_PINNED,
  HELM_CHART_VERSION,
];
