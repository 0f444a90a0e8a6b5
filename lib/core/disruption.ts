/**
 * Pod annotation that stops Karpenter (and EKS Auto Mode, which runs it) from voluntarily
 * disrupting the node a pod runs on: no consolidation, drift or expiry while the pod is there.
 * Put it on training pods (`TrainingJob` `doNotDisrupt`): one replaced node stops the whole gang.
 * Karpenter docs `concepts/disruption.md` ("Pod-Level Controls"), aws/karpenter-provider-aws v1.14.1.
 */
export const KARPENTER_DO_NOT_DISRUPT_ANNOTATION = 'karpenter.sh/do-not-disrupt';
