import { PolicyRule } from '../rule';
import { block, bool, refersToBucket } from '../private/config';

const FLAGS = ['block_public_acls', 'block_public_policy', 'ignore_public_acls', 'restrict_public_buckets'];
const PUBLIC_ACLS = ['public-read', 'public-read-write', 'authenticated-read'];

/**
 * `s3-public-access`: every S3 bucket has a public access block with all four settings on (its
 * own `aws_s3_bucket_public_access_block`, or an account-wide `aws_s3_account_public_access_block`
 * in the stack), and no canned ACL that grants public read.
 */
export const S3_PUBLIC_ACCESS: PolicyRule = {
  id: 's3-public-access',
  title: 'S3 buckets block public access (all four settings) and grant no public ACL',
  rationale:
    'A bucket without a full public access block can be made public by one ACL or policy edit; model weights and checkpoints are the most valuable data an AI platform holds. ' +
    'https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html',
  resourceTypes: ['aws_s3_bucket'],
  check: (bucket, stack) => {
    const problems: string[] = [];
    const full = (cfg: { readonly [k: string]: unknown }) => FLAGS.every((f) => bool(cfg[f]) === true);
    const account = stack.ofType('aws_s3_account_public_access_block').some((a) => full(a.config));
    if (!account) {
      const blocks = stack
        .ofType('aws_s3_bucket_public_access_block')
        .filter((p) => refersToBucket(p, bucket, stack));
      if (blocks.length === 0) {
        problems.push('has no aws_s3_bucket_public_access_block (and the stack has no account-wide one)');
      }
      for (const p of blocks) {
        const off = FLAGS.filter((f) => bool(p.config[f]) !== true);
        if (off.length) {
          problems.push(`public access block ${p.address} leaves ${off.join(', ')} off`);
        }
      }
    }
    const acl = bucket.config.acl;
    if (typeof acl === 'string' && PUBLIC_ACLS.includes(acl)) {
      problems.push(`has canned ACL '${acl}'`);
    }
    for (const a of stack.ofType('aws_s3_bucket_acl').filter((x) => refersToBucket(x, bucket, stack))) {
      if (typeof a.config.acl === 'string' && PUBLIC_ACLS.includes(a.config.acl)) {
        problems.push(`${a.address} sets canned ACL '${a.config.acl}'`);
      }
      const grants = (block(a.config.access_control_policy).grant as unknown[]) ?? [];
      for (const g of Array.isArray(grants) ? grants : []) {
        const uri = block((g as Record<string, unknown>).grantee).uri;
        if (typeof uri === 'string' && /global\/(AllUsers|AuthenticatedUsers)$/.test(uri)) {
          problems.push(`${a.address} grants to ${uri}`);
        }
      }
    }
    return problems;
  },
};
