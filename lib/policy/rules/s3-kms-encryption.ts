import { PolicyRule } from '../rule';
import { blocks, block, refersToBucket } from '../private/config';

/**
 * `s3-kms-encryption`: every S3 bucket has a default encryption configuration with SSE-KMS
 * (`aws:kms` or `aws:kms:dsse`).
 */
export const S3_KMS_ENCRYPTION: PolicyRule = {
  id: 's3-kms-encryption',
  title: 'S3 buckets encrypt by default with a KMS key (SSE-KMS)',
  rationale:
    'S3 applies SSE-S3 to every new object, but only SSE-KMS puts reads of weights and checkpoints under a key policy and in CloudTrail. ' +
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html',
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) => {
    const configs = stack
      .ofType('aws_s3_bucket_server_side_encryption_configuration')
      .filter((c) => refersToBucket(c, bucket, stack));
    const inline = blocks(block(bucket.config.server_side_encryption_configuration).rule);
    const rules = [...configs.flatMap((c) => blocks(c.config.rule)), ...inline];
    if (rules.length === 0) {
      return ['has no server-side encryption configuration: objects get SSE-S3 only'];
    }
    const algorithms = rules.map((r) => block(r.apply_server_side_encryption_by_default).sse_algorithm);
    return algorithms.some((a) => a === 'aws:kms' || a === 'aws:kms:dsse')
      ? []
      : [`encrypts with ${algorithms.map(String).join(', ')}, not aws:kms`];
  },
};
