/**
 * Pod Security Standards levels and the namespace labels the Pod Security admission controller
 * reads.
 *
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 * @see https://kubernetes.io/docs/concepts/security/pod-security-admission/
 */

/** A Pod Security Standards profile. */
export enum PodSecurityLevel {
  /** Current pod hardening practice: non-root, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp. */
  RESTRICTED = 'restricted',
  /** Prevents known privilege escalations; allows a short list of added capabilities (IPC_LOCK is not on it). */
  BASELINE = 'baseline',
  /** Unrestricted: system pods, device plugins, and pods that add capabilities outside the baseline list. */
  PRIVILEGED = 'privileged',
}

/**
 * The Kubernetes minor whose Pod Security rules the labels pin (`<mode>-version`): the oldest
 * version the library's clusters run (aws `EksCluster` refuses older than 1.33), so a cluster
 * upgrade does not change which pods are admitted.
 */
export const POD_SECURITY_VERSION = 'v1.33';

/** The label prefix of Pod Security admission. */
const PREFIX = 'pod-security.kubernetes.io';

/**
 * Namespace labels that enforce, audit and warn at `level` with the rules of
 * {@link POD_SECURITY_VERSION}.
 *
 * @example
 * new NamespaceV1(stack, 'Serving', { metadata: { name: 'llm', labels: podSecurityLabels(PodSecurityLevel.RESTRICTED) } });
 */
export function podSecurityLabels(level: PodSecurityLevel): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`${PREFIX}/${mode}`] = level;
    labels[`${PREFIX}/${mode}-version`] = POD_SECURITY_VERSION;
  }
  return labels;
}
