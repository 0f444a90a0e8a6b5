import { PolicyRule } from '../rule';
import { strings } from '../private/config';

const PUBLIC = ['allUsers', 'allAuthenticatedUsers'];

/**
 * `gcs-public-member`: no Cloud Storage IAM grant or ACL names `allUsers` or
 * `allAuthenticatedUsers`.
 */
export const GCS_PUBLIC_MEMBER: PolicyRule = {
  id: 'gcs-public-member',
  title: 'No Cloud Storage IAM binding or ACL grants allUsers or allAuthenticatedUsers',
  rationale:
    'allUsers makes objects readable by anyone on the internet; allAuthenticatedUsers by any Google account. ' +
    'https://cloud.google.com/storage/docs/access-control/iam',
  resourceTypes: [
    'google_storage_bucket_iam_member',
    'google_storage_bucket_iam_binding',
    'google_storage_bucket_iam_policy',
    'google_storage_bucket_access_control',
    'google_storage_bucket_acl',
    'google_storage_default_object_access_control',
    'google_storage_default_object_acl',
    'google_storage_object_access_control',
  ],
  check: (r) => {
    const c = r.config;
    const values = [
      ...strings(c.member),
      ...strings(c.members),
      ...strings(c.entity),
      ...strings(c.role_entity),
      ...strings(c.role_entities),
      ...strings(c.policy_data),
    ];
    const hits = PUBLIC.filter((p) => values.some((v) => v.includes(p)));
    return hits.map((h) => `grants access to ${h}`);
  },
};
