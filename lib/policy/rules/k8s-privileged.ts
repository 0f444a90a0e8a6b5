import { PolicyRule } from '../rule';
import { TYPED_WORKLOADS, bool, podSpecsOf } from '../private/config';

/**
 * `k8s-privileged`: no container runs privileged, and no pod shares the host's PID, IPC or
 * network namespace.
 */
export const K8S_PRIVILEGED: PolicyRule = {
  id: 'k8s-privileged',
  title: 'Pods run no privileged container and share no host namespace',
  rationale:
    'A privileged container or a host namespace is root on the GPU node (Pod Security "baseline" forbids both). Device plugins and DCGM that need it are installed by their upstream charts. ' +
    'https://kubernetes.io/docs/concepts/security/pod-security-standards/',
  resourceTypes: [...TYPED_WORKLOADS, 'kubernetes_manifest'],
  check: (r) => {
    const typed = r.type !== 'kubernetes_manifest';
    const hostKeys = typed ? ['host_pid', 'host_ipc', 'host_network'] : ['hostPID', 'hostIPC', 'hostNetwork'];
    const problems: string[] = [];
    for (const pod of podSpecsOf(r.type, r.config)) {
      for (const c of pod.containers) {
        if (bool(c.securityContext.privileged) === true) {
          problems.push(`container '${c.name}' (${c.where}) is privileged`);
        }
      }
      for (const h of hostKeys) {
        if (bool(pod.spec[h]) === true) {
          problems.push(`pod spec ${pod.where} sets ${h}`);
        }
      }
    }
    return problems;
  },
};
