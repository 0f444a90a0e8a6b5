import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { Construct } from 'constructs';
import { ApiPodSpec } from './gpu-pod';

/**
 * The LeaderWorkerSet of a model server whose replica spans nodes: one group per replica, the
 * leader (pod index 0) serving the API, `size - 1` workers joining it.
 *
 * Facts from kubernetes-sigs/lws tag v0.10.0 (2161f38f), `api/leaderworkerset/v1/leaderworkerset_types.go`
 * and `config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml`:
 * - `restartPolicy: RecreateGroupAfterStart` recreates the whole group when a pod or container
 *   restarts, but only once every pod of the group has left Pending. A slow image pull or a node
 *   still being provisioned then no longer restarts the group in a loop, which
 *   `RecreateGroupOnPodRestart` (the default) does (lws #726, #1048).
 * - `startupPolicy: LeaderCreated` creates the workers as soon as the leader exists.
 *   `LeaderReady` would deadlock: the leader's engine is ready only once its workers joined.
 * - The controller creates a headless Service named after the LeaderWorkerSet (pod DNS for
 *   `LWS_LEADER_ADDRESS`, `publishNotReadyAddresses: true`), so the set's name must differ from
 *   the server's own ClusterIP Service.
 * - The scale subresource (`spec.replicas`, HPA selector: the leaders) lets KEDA scale groups.
 * - Pods get the `leaderworkerset.sigs.k8s.io/worker-index` label and the `LWS_LEADER_ADDRESS`,
 *   `LWS_GROUP_SIZE` and `LWS_WORKER_INDEX` environment variables from the controller's webhook.
 */

/** The suffix of a server's LeaderWorkerSet name after its Service name. */
export const LWS_NAME_SUFFIX = '-lws';
/** API version of the pinned LeaderWorkerSet. */
export const LWS_API_VERSION = 'leaderworkerset.x-k8s.io/v1';
/** The environment variable LeaderWorkerSet injects with the leader's DNS name. */
export const LWS_LEADER_ADDRESS = '$(LWS_LEADER_ADDRESS)';
/** The environment variable LeaderWorkerSet injects with the pod's index in its group (0 for the leader). */
export const LWS_WORKER_INDEX = '$(LWS_WORKER_INDEX)';
/** The label telling a model server's leader pods from its workers. */
export const ROLE_LABEL = 'cdktf-ai-infra/role';
/**
 * The longest StatefulSet name that works: the controller labels each pod with
 * `controller-revision-hash: <statefulset>-<10-character hash>`, a label value of at most 63
 * characters (kubernetes/kubernetes#64023). LeaderWorkerSet names the leaders' StatefulSet
 * `<lws>` and each group's workers' StatefulSet `<lws>-<group index>`.
 */
export const MAX_STATEFULSET_NAME = 52;

/** Options of {@link addLeaderWorkerSet}. */
export interface LeaderWorkerSetOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
  /** Pods per group (nodes per replica). */
  readonly size: number;
  /** Groups; undefined when an autoscaler owns `spec.replicas`. */
  readonly replicas?: number;
  readonly leader: {
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
    readonly spec: ApiPodSpec;
  };
  readonly worker: {
    readonly labels: Record<string, string>;
    readonly annotations: Record<string, string>;
    readonly spec: ApiPodSpec;
  };
}

/** Adds the LeaderWorkerSet as a `kubernetes_manifest` with id `Resource`. */
export function addLeaderWorkerSet(scope: Construct, o: LeaderWorkerSetOptions): Manifest {
  const template = (t: LeaderWorkerSetOptions['leader']) => ({
    metadata: {
      labels: t.labels,
      ...(Object.keys(t.annotations).length ? { annotations: t.annotations } : {}),
    },
    spec: t.spec,
  });
  return new Manifest(scope, 'Resource', {
    manifest: {
      apiVersion: LWS_API_VERSION,
      kind: 'LeaderWorkerSet',
      metadata: { name: o.name, namespace: o.namespace, labels: o.labels, annotations: o.annotations },
      spec: {
        // With autoscaling KEDA's HPA owns spec.replicas (scale subresource): leaving it out of
        // the manifest keeps Terraform from resetting it on every apply.
        ...(o.replicas === undefined ? {} : { replicas: o.replicas }),
        startupPolicy: 'LeaderCreated',
        // A new group comes up before an old one goes: serving capacity never drops in a rollout.
        rolloutStrategy: {
          type: 'RollingUpdate',
          rollingUpdateConfiguration: { maxSurge: 1, maxUnavailable: 0 },
        },
        networkConfig: { subdomainPolicy: 'Shared' },
        leaderWorkerTemplate: {
          size: o.size,
          restartPolicy: 'RecreateGroupAfterStart',
          leaderTemplate: template(o.leader),
          workerTemplate: template(o.worker),
        },
      },
    },
  });
}
