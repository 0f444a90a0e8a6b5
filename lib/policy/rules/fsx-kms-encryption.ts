import { PolicyRule } from '../rule';

/**
 * `fsx-kms-encryption`: persistent FSx file systems name a customer managed KMS key.
 */
export const FSX_KMS_ENCRYPTION: PolicyRule = {
  id: 'fsx-kms-encryption',
  title: 'Persistent FSx file systems are encrypted with a customer managed KMS key',
  rationale:
    'FSx encrypts at rest with the AWS managed key when kms_key_id is unset; only a customer managed key lets a key policy govern who reads the checkpoints. ' +
    'SCRATCH Lustre file systems take no key. https://docs.aws.amazon.com/fsx/latest/LustreGuide/encryption-at-rest.html',
  resourceTypes: [
    'aws_fsx_lustre_file_system',
    'aws_fsx_openzfs_file_system',
    'aws_fsx_ontap_file_system',
    'aws_fsx_windows_file_system',
  ],
  check: (fs) => {
    const deployment = fs.config.deployment_type;
    if (
      fs.type === 'aws_fsx_lustre_file_system' &&
      !(typeof deployment === 'string' && deployment.startsWith('PERSISTENT'))
    ) {
      return [];
    }
    return fs.config.kms_key_id ? [] : ['kms_key_id is unset: encrypted with the AWS managed key'];
  },
};
