import { Release } from '@cdktf/provider-helm/lib/release';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { Construct, IConstruct } from 'constructs';
import { raiseDeferredDeprecations, Validate, ValidationError, Warnings } from '../../core';
import { IInferenceBackend, IMonitoringStack } from '../interfaces';
import { MetricsCollection } from '../metrics-collection';
import { SchedulingProfile } from '../scheduling-profile';
import { GATEWAY_IMAGES, HelmChartVersion } from '../versions';
import { MANAGED_BY, toYaml } from './common';
import { addPinnedRelease } from './helm-release';

// The endpoint picker (EPP) settings InferencePool (llm-d-router-gateway chart) and
// StandaloneInferencePool (llm-d-router-standalone chart) share: both charts take the same
// `router.epp` and `router.monitoring` values (routerlib).

/** Name of the EndpointPickerConfig file in the chart's plugins ConfigMap. */
const EPP_CONFIG_FILE = 'cdktf-ai-infra.yaml';
/** Queue TTL of flow control when a backend may scale to zero: a cold start of a few minutes. */
export const DEFAULT_FLOW_CONTROL_TTL_SECONDS = 240;

/** The props both pools take for their endpoint picker. */
export interface EppProps<F extends { readonly requestTtlSeconds: number }> {
  readonly backend: IInferenceBackend;
  readonly flowControl?: F | false;
  readonly eppCpu?: string;
  readonly eppMemoryGiB?: number;
  readonly metricsCollection?: MetricsCollection;
  readonly monitoring?: IMonitoringStack;
}

/** What {@link eppSettings} resolved. */
export interface EppSettings<F> {
  readonly flowControl?: F;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly collection: MetricsCollection;
  /** Whether anything scrapes the picker (managed collection, or a monitoring stack). */
  readonly scraped: boolean;
}

/**
 * Flow control (on by default for a backend that may scale to zero), the picker's resources and
 * its metrics collection, validated; warns `k8s-epp-unmonitored` when nothing scrapes it.
 * @param unscrapedEffect what goes blind without scraping, for the warning
 */
export function eppSettings<F extends { readonly requestTtlSeconds: number }>(
  scope: Construct,
  props: EppProps<F>,
  unscrapedEffect: string,
): EppSettings<F> {
  let flowControl: F | undefined;
  if (props.flowControl === false) {
    flowControl = undefined;
  } else if (props.flowControl) {
    flowControl = props.flowControl;
  } else if (props.backend.mayScaleToZero) {
    flowControl = { requestTtlSeconds: DEFAULT_FLOW_CONTROL_TTL_SECONDS } as F;
  }
  if (flowControl) {
    Validate.integer(scope, 'flowControl.requestTtlSeconds', flowControl.requestTtlSeconds, {
      min: 1,
      max: 3600,
    });
  }
  const cpu = props.eppCpu ?? '8';
  Validate.k8sQuantity(scope, 'eppCpu', cpu);
  const memoryGiB = props.eppMemoryGiB ?? 8;
  Validate.integer(scope, 'eppMemoryGiB', memoryGiB, { min: 1, max: 256 });
  const collection = props.metricsCollection ?? MetricsCollection.prometheusOperator();
  raiseDeferredDeprecations(scope, collection);
  const scraped = collection.managed || props.monitoring !== undefined;
  if (!scraped) {
    Warnings.add(
      scope,
      'k8s-epp-unmonitored',
      `no 'monitoring' given: the endpoint picker's metrics are not scraped, so ${unscrapedEffect} see nothing.`,
    );
  }
  return { flowControl, cpu, memoryGiB, collection, scraped };
}

/** The chart's `router.modelServers` values for a backend. */
export function eppModelServersValues(b: IInferenceBackend): Record<string, unknown> {
  return {
    matchLabels: { ...b.podSelectorLabels },
    type: b.engine,
    protocol: 'http',
    targetPorts: [{ number: b.targetPort }],
  };
}

/** The chart's `router.epp` values: pinned image, resources, our config file, spread replicas. */
export function eppValues(o: {
  readonly replicas: number;
  readonly settings: EppSettings<unknown>;
  readonly endpointPickerConfig: Record<string, unknown>;
  readonly selector: Record<string, string>;
}): Record<string, unknown> {
  return {
    replicas: o.replicas,
    image: {
      registry: GATEWAY_IMAGES.endpointPicker.registry,
      repository: GATEWAY_IMAGES.endpointPicker.repository,
      tag: GATEWAY_IMAGES.endpointPicker.tag,
      pullPolicy: 'IfNotPresent',
    },
    resources: {
      requests: { cpu: o.settings.cpu, memory: `${o.settings.memoryGiB}Gi` },
      limits: { memory: `${o.settings.memoryGiB * 2}Gi` },
    },
    pluginsConfigFile: EPP_CONFIG_FILE,
    pluginsCustomConfig: { [EPP_CONFIG_FILE]: toYaml(o.endpointPickerConfig) },
    // Spread the replicas so one node loss does not take every picker.
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 100,
            podAffinityTerm: {
              topologyKey: 'kubernetes.io/hostname',
              labelSelector: { matchLabels: o.selector },
            },
          },
        ],
      },
    },
  };
}

/** The chart's `router.monitoring` values. */
export function eppMonitoringValues(
  settings: EppSettings<unknown>,
  poolName: string,
  monitoring: IMonitoringStack | undefined,
): Record<string, unknown> {
  return {
    interval: `${settings.collection.scrapeIntervalSeconds}s`,
    provider: { name: settings.collection.managed ? 'gmp' : 'prometheusoperator' },
    prometheus: {
      enabled: settings.scraped,
      // A per-pool token Secret: the chart's fixed default name collides between two pools
      // in one namespace.
      auth: { enabled: true, secretName: `${poolName}-epp-metrics-token` },
      extraLabels: { ...(monitoring?.selectorLabels ?? {}) },
    },
  };
}

/** A PodDisruptionBudget keeping one picker up through drains, when there is more than one. */
export function eppDisruptionBudget(
  scope: Construct,
  o: {
    readonly replicas: number;
    readonly name: string;
    readonly namespace: string;
    readonly selector: Record<string, string>;
  },
): PodDisruptionBudgetV1 | undefined {
  if (o.replicas <= 1) return undefined;
  return new PodDisruptionBudgetV1(scope, 'EppDisruptionBudget', {
    metadata: { name: o.name, namespace: o.namespace, labels: { ...MANAGED_BY } },
    spec: { minAvailable: '1', selector: { matchLabels: o.selector } },
  });
}

/**
 * Checks what a pool needs of its backend: a target port and (when given) a metrics port from 1
 * to 65535, and pod selector labels; `emptySelectorEffect` says what a pool without them would do.
 */
export function validateEppBackend(
  scope: Construct,
  b: IInferenceBackend,
  emptySelectorEffect: string,
): void {
  Validate.integer(scope, 'backend.targetPort', b.targetPort, { min: 1, max: 65535 });
  if (b.metricsPort !== undefined) {
    Validate.integer(scope, 'backend.metricsPort', b.metricsPort, { min: 1, max: 65535 });
  }
  if (Object.keys(b.podSelectorLabels ?? {}).length === 0) {
    throw new ValidationError(
      `'backend' ${b.name} has no pod selector labels: ${emptySelectorEffect}. ` +
        `Give the labels that select exactly the server's pods.`,
      scope,
    );
  }
}

/**
 * What the picker's `EndpointPickerConfig` is rendered from for a backend
 * (`SchedulingProfile.render`): its engine, its metrics port when that is not the target port,
 * whether it serves LoRA adapters, and flow control.
 */
export function eppRenderOptions<F>(
  b: IInferenceBackend,
  flowControl: F | undefined,
): { engine: IInferenceBackend['engine']; metricsPort?: number; loraAdapters: boolean; flowControl?: F } {
  return {
    engine: b.engine,
    metricsPort: b.metricsPort !== b.targetPort ? b.metricsPort : undefined,
    loraAdapters: b.loraAdapterNames.length > 0,
    flowControl,
  };
}

/** A pool's router release and its picker's disruption budget. */
export interface EppRelease {
  /** The Helm release (construct id `Resource`, the scope's default child). */
  readonly resource: Release;
  /** The picker's PodDisruptionBudget, with more than one replica. */
  readonly eppDisruptionBudget?: PodDisruptionBudgetV1;
}

/**
 * The router chart's Helm release of a pool (construct id `Resource`, made the scope's default
 * child) with `values` as YAML, and the picker's PodDisruptionBudget ({@link eppDisruptionBudget}).
 */
export function addEppRelease(
  scope: Construct,
  o: {
    readonly name: string;
    readonly namespace: string;
    readonly chart: HelmChartVersion;
    readonly values: Record<string, unknown>;
    readonly replicas: number;
    readonly eppName: string;
    readonly selector: Record<string, string>;
  },
): EppRelease {
  const resource = addPinnedRelease(scope, {
    name: o.name,
    namespace: o.namespace,
    chart: o.chart,
    values: toYaml(o.values),
  });
  scope.node.defaultChild = resource;
  const budget = eppDisruptionBudget(scope, {
    replicas: o.replicas,
    name: o.eppName,
    namespace: o.namespace,
    selector: o.selector,
  });
  return { resource, eppDisruptionBudget: budget };
}

/**
 * The `schedulingProfile` prop of `InferencePool` and `StandaloneInferencePool`: the default
 * profile when unset; anything that is not a `SchedulingProfile` (a plain object of weights, a
 * string) is a `ValidationError` (code `type`); the weights are validated.
 */
export function schedulingProfileOf(scope: IConstruct, value: unknown): SchedulingProfile {
  const profile = value ?? SchedulingProfile.default();
  if (!(profile instanceof SchedulingProfile)) {
    throw new ValidationError(
      `'schedulingProfile' (${typeof profile}) must be a SchedulingProfile: SchedulingProfile.of({...}) or SchedulingProfile.default().`,
      scope,
      'type',
    );
  }
  profile.validate(scope, 'schedulingProfile');
  return profile;
}
