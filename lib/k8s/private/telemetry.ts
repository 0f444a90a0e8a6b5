import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Validate, ValidationError } from '../../core';
import { PodSecurityLevel, podSecurityLabels } from '../pod-security';
import { TelemetryStorage } from '../telemetry-storage';
import { MANAGED_BY, assertDnsLabel, assertServiceName } from './common';

/** Validates a `storage` prop: a {@link TelemetryStorage}. */
export function checkTelemetryStorage(scope: IConstruct, value: unknown): TelemetryStorage {
  if (!(value instanceof TelemetryStorage)) {
    throw new ValidationError(
      `'storage' must be a TelemetryStorage (TelemetryStorage.s3(...), .gcs(...) or .volume()), got ${value === undefined ? 'undefined' : typeof value}.`,
      scope,
      'type',
    );
  }
  return value;
}

/** Validates `retentionDays`: whole days, 1 to 3650; returns the Go duration in hours. */
export function retentionHours(scope: IConstruct, days: number): string {
  if (Token.isUnresolved(days)) {
    throw new ValidationError(`'retentionDays' must be a number known at synth time.`, scope);
  }
  Validate.integer(scope, 'retentionDays', days, { min: 1, max: 3650, reason: 'days' });
  return `${days * 24}h`;
}

// The parts every operations component installed from a pinned chart shares (Loki, Tempo, the
// OpenTelemetry collector, the Fluent Bit log shipper): its names, namespace, service account,
// volume and resources.

/** Namespace and Helm release name of an operations component, validated. */
export interface OpsReleaseNames {
  /** Namespace (`namespace`, or the component's default). */
  readonly namespace: string;
  /** Helm release name (`releaseName`, or the component's default): also its service account. */
  readonly release: string;
}

/**
 * Validates `namespace` (a DNS label) and `releaseName` (a Service name of at most
 * `maxReleaseLength` characters: the chart appends suffixes to it), applying the defaults.
 */
export function opsReleaseNames(
  scope: IConstruct,
  props: { readonly namespace?: string; readonly releaseName?: string },
  defaults: { readonly namespace: string; readonly release: string; readonly maxReleaseLength: number },
): OpsReleaseNames {
  const namespace = props.namespace ?? defaults.namespace;
  assertDnsLabel(scope, 'namespace', namespace);
  const release = props.releaseName ?? defaults.release;
  assertServiceName(scope, 'releaseName', release, defaults.maxReleaseLength);
  return { namespace, release };
}

/** Validates `serviceAccountAnnotations` (string values, label-key names); none when absent. */
export function opsServiceAccountAnnotations(
  scope: IConstruct,
  annotations: Record<string, string> | undefined,
): Record<string, string> {
  const out =
    annotations === undefined ? {} : Validate.stringMap(scope, 'serviceAccountAnnotations', annotations);
  Object.keys(out).forEach((k) => Validate.k8sLabelKey(scope, 'serviceAccountAnnotations', k));
  return out;
}

/** The chart's `serviceAccount` values: created, named after the release, with the annotations if any. */
export function opsServiceAccountValues(
  release: string,
  annotations: Record<string, string>,
): Record<string, unknown> {
  return {
    create: true,
    name: release,
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
}

/** Validates `volumeSizeGiB` (default 10, 1 to 65536) and `storageClassName`; returns the size. */
export function opsVolumeSizeGiB(
  scope: IConstruct,
  props: { readonly volumeSizeGiB?: number; readonly storageClassName?: string },
): number {
  const volumeGiB = Validate.integer(scope, 'volumeSizeGiB', props.volumeSizeGiB ?? 10, {
    min: 1,
    max: 65536,
    reason: 'GiB',
  });
  if (props.storageClassName !== undefined) {
    Validate.k8sDnsSubdomain(scope, 'storageClassName', props.storageClassName, {
      what: 'a StorageClass name',
    });
  }
  return volumeGiB;
}

/** The props a telemetry store (Loki, Tempo) validates alike. */
export interface OpsStoreProps {
  readonly namespace?: string;
  readonly releaseName?: string;
  readonly volumeSizeGiB?: number;
  readonly storageClassName?: string;
  readonly memoryMiB?: number;
  readonly serviceAccountAnnotations?: Record<string, string>;
  readonly monitoring?: unknown;
}

/** A telemetry store's validated names, volume, memory and service-account annotations. */
export interface OpsStoreSettings extends OpsReleaseNames {
  readonly volumeGiB: number;
  readonly memoryMiB: number;
  readonly serviceAccountAnnotations: Record<string, string>;
}

/**
 * Validates what Loki and Tempo take alike, in this order: the names ({@link opsReleaseNames}),
 * the volume ({@link opsVolumeSizeGiB}), `memoryMiB` (from `minMemoryMiB` to 262144), the
 * service-account annotations and `monitoring` (an object when given).
 */
export function opsStoreSettings(
  scope: IConstruct,
  props: OpsStoreProps,
  defaults: {
    readonly namespace: string;
    readonly release: string;
    readonly maxReleaseLength: number;
    readonly memoryMiB: number;
    readonly minMemoryMiB: number;
  },
): OpsStoreSettings {
  const names = opsReleaseNames(scope, props, defaults);
  const volumeGiB = opsVolumeSizeGiB(scope, props);
  const memoryMiB = Validate.integer(scope, 'memoryMiB', props.memoryMiB ?? defaults.memoryMiB, {
    min: defaults.minMemoryMiB,
    max: 262144,
    reason: 'MiB',
  });
  const serviceAccountAnnotations = opsServiceAccountAnnotations(scope, props.serviceAccountAnnotations);
  if (props.monitoring !== undefined) Validate.object(scope, 'monitoring', props.monitoring);
  return { ...names, volumeGiB, memoryMiB, serviceAccountAnnotations };
}

/** Container resources with a memory limit of `memoryMiB`, half of it requested, and a CPU request. */
export function opsResources(cpu: string, memoryMiB: number): Record<string, unknown> {
  return {
    requests: { cpu, memory: `${Math.ceil(memoryMiB / 2)}Mi` },
    limits: { memory: `${memoryMiB}Mi` },
  };
}

/** The component's namespace (construct id `Namespace`), labelled for the Pod Security level its pods meet. */
export function opsNamespace(scope: Construct, name: string, level: PodSecurityLevel): NamespaceV1 {
  return new NamespaceV1(scope, 'Namespace', {
    metadata: { name, labels: { ...podSecurityLabels(level), ...MANAGED_BY } },
  });
}
