/**
 * The provider packages each namespace of the package root loads, so `root.ts` can name the
 * missing ones. test/package/root-import.test.ts checks it against the imports in lib/.
 * Not exported from the package.
 */
export const NAMESPACE_PROVIDERS: Readonly<Record<'aws' | 'gcp' | 'k8s' | 'policy', readonly string[]>> = {
  aws: ['@cdktf/provider-aws'],
  gcp: ['@cdktf/provider-google'],
  k8s: ['@cdktf/provider-kubernetes', '@cdktf/provider-helm'],
  policy: [],
};
