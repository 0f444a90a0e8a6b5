import type { SecretKeyRef } from './weights';

/**
 * Parts of a pod spec in Kubernetes API shape (as in manifests), the vocabulary weights sources
 * and engines use to contribute to a model server's pod. The library renders them into a
 * `kubernetes_deployment_v1` or a custom resource's pod template.
 */

/** A container environment variable. */
export interface PodEnvVar {
  /** Variable name. */
  readonly name: string;
  /**
   * Literal value.
   * @default - from `valueFrom`
   */
  readonly value?: string;
  /**
   * Value from a Secret key or a field of the pod.
   * @default - the literal `value`
   */
  readonly valueFrom?: PodEnvVarSource;
}

/** Where an environment variable's value comes from. */
export interface PodEnvVarSource {
  /**
   * A Secret key.
   * @default - not from a Secret
   */
  readonly secretKeyRef?: SecretKeyRef;
  /**
   * A field of the pod, for example `metadata.annotations['batch.kubernetes.io/job-completion-index']`.
   * @default - not from a field
   */
  readonly fieldRef?: PodFieldRef;
}

/** A field of the pod an environment variable reads. */
export interface PodFieldRef {
  /** Field path, for example `metadata.name`. */
  readonly fieldPath: string;
}

/** A node-local scratch directory. */
export interface PodEmptyDir {
  /**
   * `Memory` for a tmpfs (charged to the container's memory).
   * @default - the node's disk
   */
  readonly medium?: 'Memory';
  /**
   * Size limit, for example `20Gi`; the pod is evicted beyond it.
   * @default - no limit
   */
  readonly sizeLimit?: string;
}

/** A PersistentVolumeClaim used as a volume. */
export interface PodClaimSource {
  /** Claim name (in the pod's namespace). */
  readonly claimName: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
}

/**
 * The kind a `hostPath` volume's path must have on the node (`HostPathType`); the kubelet checks
 * it before mounting.
 * @see https://kubernetes.io/docs/concepts/storage/volumes/#hostpath-volume-types
 */
export enum PodHostPathType {
  /** A directory that must exist. */
  DIRECTORY = 'Directory',
  /** A directory, created (0755, owned by the kubelet) when missing. */
  DIRECTORY_OR_CREATE = 'DirectoryOrCreate',
  /** A character device that must exist. */
  CHAR_DEVICE = 'CharDevice',
}

/**
 * A file or directory of the node mounted into the pod. A pod with one meets the Pod Security
 * "privileged" level only (Baseline forbids hostPath volumes); the library uses them only where
 * the node's software requires them (the GKE GPUDirect NCCL plugins and their RxDM sidecar).
 */
export interface PodHostPathSource {
  /** Absolute path on the node. */
  readonly path: string;
  /**
   * What must exist at `path`.
   * @default - no check (the kubelet mounts whatever is there, creating nothing)
   */
  readonly type?: PodHostPathType;
}

/** A pod volume: an emptyDir, a PersistentVolumeClaim or a path of the node. */
export interface PodVolume {
  /** Volume name (a DNS label, unique in the pod). */
  readonly name: string;
  /**
   * A node-local scratch directory.
   * @default - not an emptyDir
   */
  readonly emptyDir?: PodEmptyDir;
  /**
   * An existing claim.
   * @default - not a claim
   */
  readonly persistentVolumeClaim?: PodClaimSource;
  /**
   * A path of the node (makes the pod Pod Security "privileged").
   * @default - not a host path
   */
  readonly hostPath?: PodHostPathSource;
}

/** A volume mounted into a container. */
export interface PodVolumeMount {
  /** Volume name. */
  readonly name: string;
  /** Path in the container. */
  readonly mountPath: string;
  /**
   * Mount read-only.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * Directory inside the volume to mount instead of its root.
   * @default - the volume's root
   */
  readonly subPath?: string;
}

/**
 * An init container. The pod template adds the security context, resources and the
 * writable `/tmp` and `HOME` every container of the pod gets.
 */
export interface PodInitContainer {
  /** Container name. */
  readonly name: string;
  /** Image reference with a pinned tag. */
  readonly image: string;
  /** Command. */
  readonly command: string[];
  /**
   * Environment.
   * @default - none
   */
  readonly env?: PodEnvVar[];
  /** Volume mounts. */
  readonly volumeMounts: PodVolumeMount[];
}
