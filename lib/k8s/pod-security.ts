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
 * Namespace labels that enforce `level` and audit and warn at `auditLevel` (by default the same),
 * with the rules of {@link POD_SECURITY_VERSION}. A stricter `auditLevel` reports the pods that
 * fall short of it without refusing them: for a namespace shared by restricted model servers and
 * the endpoint pickers of an `InferencePool`, which meet baseline only
 * ({@link ENDPOINT_PICKER_POD_SECURITY_LEVEL}), enforce BASELINE and audit RESTRICTED.
 *
 * @example
 * new NamespaceV1(stack, 'Serving', { metadata: { name: 'llm', labels: podSecurityLabels(PodSecurityLevel.RESTRICTED) } });
 */
export function podSecurityLabels(
  level: PodSecurityLevel,
  auditLevel: PodSecurityLevel = level,
): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ['enforce', 'audit', 'warn']) {
    labels[`${PREFIX}/${mode}`] = mode === 'enforce' ? level : auditLevel;
    labels[`${PREFIX}/${mode}-version`] = POD_SECURITY_VERSION;
  }
  return labels;
}

/**
 * The Pod Security level the endpoint-picker pods of an `InferencePool` meet: baseline. The
 * pinned llm-d-router chart (v0.10.0, commit 71f4f099, `config/charts/routerlib/templates/_deployment.yaml`)
 * renders the `epp` container and its pod with no securityContext and exposes no value to set one
 * (only its optional proxy sidecar has `securityContext`), so the pods lack what "restricted" requires
 * (runAsNonRoot, seccomp RuntimeDefault, capabilities dropped, no privilege escalation) and a
 * namespace enforcing "restricted" refuses them.
 */
export const ENDPOINT_PICKER_POD_SECURITY_LEVEL = PodSecurityLevel.BASELINE;
