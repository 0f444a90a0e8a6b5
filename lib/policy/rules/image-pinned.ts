import { PolicyRule } from '../rule';
import { TYPED_WORKLOADS, isExpression, podSpecsOf } from '../private/config';

/**
 * The tag of an image reference, `undefined` when it has none, or `'@digest'` when it is pinned
 * by digest. The tag is what follows the last ':' after the last '/'.
 */
export function imageTag(image: string): string | undefined {
  if (image.includes('@')) {
    return '@digest';
  }
  const last = image.slice(image.lastIndexOf('/') + 1);
  const colon = last.lastIndexOf(':');
  return colon >= 0 ? last.slice(colon + 1) : undefined;
}

/**
 * `image-pinned`: every container image names a tag other than `latest`, or a digest.
 */
export const IMAGE_PINNED: PolicyRule = {
  id: 'image-pinned',
  title: 'Container images are pinned to a version tag or digest (not untagged or :latest)',
  rationale:
    'An untagged or :latest image changes under a running deployment: nodes that pull at different times run different engines, and a rollback has nothing to roll back to. ' +
    'https://kubernetes.io/docs/concepts/containers/images/#image-names',
  resourceTypes: [...TYPED_WORKLOADS, 'kubernetes_manifest'],
  check: (r) =>
    podSpecsOf(r.type, r.config).flatMap((pod) =>
      pod.containers.flatMap((c) => {
        if (typeof c.image !== 'string' || isExpression(c.image)) {
          return [];
        }
        const tag = imageTag(c.image);
        if (tag === undefined) {
          return [`container '${c.name}' image '${c.image}' has no tag (pulls :latest)`];
        }
        return tag === 'latest' ? [`container '${c.name}' image '${c.image}' is :latest`] : [];
      }),
    ),
};
