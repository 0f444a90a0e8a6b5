import { PolicyRule } from '../rule';
import { bool, isExpression } from '../private/config';

/**
 * `gcs-uniform-access`: every Cloud Storage bucket has uniform bucket-level access on and public
 * access prevention enforced.
 */
export const GCS_UNIFORM_ACCESS: PolicyRule = {
  id: 'gcs-uniform-access',
  title: 'Cloud Storage buckets use uniform bucket-level access and enforce public access prevention',
  rationale:
    'Without uniform bucket-level access, object ACLs can grant access that IAM does not show; public access prevention refuses allUsers/allAuthenticatedUsers grants. ' +
    'https://cloud.google.com/storage/docs/uniform-bucket-level-access, https://cloud.google.com/storage/docs/public-access-prevention',
  resourceTypes: ['google_storage_bucket'],
  check: (bucket) => {
    const problems: string[] = [];
    const ubla = bucket.config.uniform_bucket_level_access;
    if (bool(ubla) !== true && !isExpression(ubla)) {
      problems.push('uniform_bucket_level_access is not true: object ACLs stay in force');
    }
    const pap = bucket.config.public_access_prevention;
    if (pap !== 'enforced' && !isExpression(pap)) {
      problems.push(
        `public_access_prevention is ${pap === undefined ? 'unset (inherited)' : `'${String(pap)}'`}, not 'enforced'`,
      );
    }
    return problems;
  },
};
