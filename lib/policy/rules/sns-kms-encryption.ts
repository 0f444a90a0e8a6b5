import { PolicyRule } from '../rule';

/**
 * `sns-kms-encryption`: SNS topics are encrypted with a customer managed KMS key.
 */
export const SNS_KMS_ENCRYPTION: PolicyRule = {
  id: 'sns-kms-encryption',
  title: 'SNS topics are encrypted with a customer managed KMS key',
  rationale:
    'SNS stores messages unencrypted unless kms_master_key_id is set; the AWS managed key alias/aws/sns cannot admit CloudWatch, Budgets or AMP as publishers, so alerts to such a topic are dropped. ' +
    'https://docs.aws.amazon.com/sns/latest/dg/sns-server-side-encryption.html',
  resourceTypes: ['aws_sns_topic'],
  check: (topic) => {
    const key = topic.config.kms_master_key_id;
    if (!key) {
      return ['kms_master_key_id is unset: messages are stored unencrypted'];
    }
    return key === 'alias/aws/sns' || (typeof key === 'string' && key.endsWith(':alias/aws/sns'))
      ? ['uses the AWS managed key alias/aws/sns, whose policy AWS services cannot publish through']
      : [];
  },
};
