import { PolicyRule } from '../rule';
import { TYPED_WORKLOADS, bool, podSpecsOf } from '../private/config';

/**
 * `k8s-run-as-non-root`: every pod sets a securityContext with `runAsNonRoot: true`, on the pod
 * or on each of its containers, and no container disables it.
 */
export const K8S_RUN_AS_NON_ROOT: PolicyRule = {
  id: 'k8s-run-as-non-root',
  title: 'Pods set securityContext.runAsNonRoot (pod-wide or on every container)',
  rationale:
    'Pod Security "restricted" requires runAsNonRoot; a pod without a securityContext runs as whatever user the image names, usually root. ' +
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted',
  resourceTypes: [...TYPED_WORKLOADS, 'kubernetes_manifest'],
  check: (r) => {
    const key = r.type === 'kubernetes_manifest' ? 'runAsNonRoot' : 'run_as_non_root';
    const problems: string[] = [];
    for (const pod of podSpecsOf(r.type, r.config)) {
      const podWide = bool(pod.securityContext[key]) === true;
      const missing = pod.containers.filter(
        (c) => bool(c.securityContext[key]) === false || (!podWide && bool(c.securityContext[key]) !== true),
      );
      if (missing.length === 0) {
        continue;
      }
      const bare =
        Object.keys(pod.securityContext).length === 0 &&
        pod.containers.every((c) => Object.keys(c.securityContext).length === 0);
      problems.push(
        bare
          ? `pod spec ${pod.where} has no securityContext on the pod or any container: it runs as the image's user, usually root`
          : `pod spec ${pod.where}: ${missing.map((c) => `'${c.name}'`).join(', ')} may run as root (no ${key}: true on the pod or container)`,
      );
    }
    return problems;
  },
};
