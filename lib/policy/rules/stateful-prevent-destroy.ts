import { PolicyRule } from '../rule';
import { preventsDestroy } from '../private/config';

/** Terraform types that hold data a `terraform destroy` would lose. */
export const STATEFUL_RESOURCE_TYPES: readonly string[] = [
  'aws_s3_bucket',
  'aws_fsx_lustre_file_system',
  'aws_fsx_openzfs_file_system',
  'aws_fsx_ontap_file_system',
  'aws_fsx_windows_file_system',
  'aws_efs_file_system',
  'aws_ecr_repository',
  'aws_ebs_volume',
  'aws_dynamodb_table',
  'aws_db_instance',
  'aws_rds_cluster',
  'google_storage_bucket',
  'google_artifact_registry_repository',
  'google_filestore_instance',
  'google_sql_database_instance',
  'google_compute_disk',
];

/** Key types that make a store's data unreadable when destroyed. */
const KEY_TYPES = ['aws_kms_key', 'google_kms_crypto_key'];

/**
 * `stateful-prevent-destroy`: data stores (buckets, file systems, registries, volumes, databases)
 * and the KMS keys that encrypt them have `lifecycle.prevent_destroy`.
 */
export const STATEFUL_PREVENT_DESTROY: PolicyRule = {
  id: 'stateful-prevent-destroy',
  title: 'Data stores and the keys encrypting them have lifecycle.prevent_destroy',
  rationale:
    'Checkpoints, weights and images are expensive to recreate; prevent_destroy makes `terraform destroy` and replacing plans fail instead of deleting them. A store outlives nothing if its KMS key is deleted. ' +
    'https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle#prevent_destroy',
  resourceTypes: [...STATEFUL_RESOURCE_TYPES, ...KEY_TYPES],
  check: (r, stack) => {
    if (preventsDestroy(r.config)) {
      return [];
    }
    if (!KEY_TYPES.includes(r.type)) {
      return ['has no lifecycle.prevent_destroy'];
    }
    // A key is stateful when a store, or a resource configuring one (an S3 encryption
    // configuration), refers to it.
    const users = stack.resources.filter(
      (u) =>
        (STATEFUL_RESOURCE_TYPES.includes(u.type) ||
          u.type === 'aws_s3_bucket_server_side_encryption_configuration') &&
        stack.refersTo(u, r),
    );
    return users.length
      ? [`encrypts ${users.map((u) => u.address).join(', ')} and has no lifecycle.prevent_destroy`]
      : [];
  },
};
