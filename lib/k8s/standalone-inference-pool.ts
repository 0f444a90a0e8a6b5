import { Release } from '@cdktf/provider-helm/lib/release';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { Construct } from 'constructs';
import { Validate, ValidationError, Warnings } from '../core';
import { EndpointPickerOptions, FailureMode } from './inference-gateway';
import { IInferenceBackend } from './interfaces';
import { dependOnStackOf } from './private/common';
import {
  addEppRelease,
  eppModelServersValues,
  eppMonitoringValues,
  eppRenderOptions,
  eppSettings,
  eppValues,
  schedulingProfileOf,
  validateEppBackend,
} from './private/epp';
import { FlowControlOptions } from './scheduling-profile';
import { GATEWAY_HELM_CHARTS } from './versions';

/** Where the standalone router's Envoy runs. */
export enum StandaloneProxyMode {
  /**
   * In each endpoint-picker pod, calling its picker over loopback (the chart's default). With
   * more than one picker replica only the leader is ready, so the leader's Envoy carries all
   * traffic and a failover interrupts it briefly.
   */
  SIDECAR = 'sidecar',
  /**
   * Its own Deployment and Service, reaching the picker through the picker's Service: Envoy
   * scales on its own and keeps serving (fail-open) while the pickers fail over.
   */
  SERVICE = 'service',
}

/** Properties of a {@link StandaloneInferencePool}. */
export interface StandaloneInferencePoolProps extends EndpointPickerOptions {
  /**
   * Name of the Helm release; the picker is `<name>-epp` and, in service mode, the proxy
   * `<name>-proxy`. At most 40 characters.
   * @default - the backend's name
   */
  readonly name?: string;
  /**
   * Where Envoy runs.
   * @default StandaloneProxyMode.SIDECAR
   */
  readonly proxyMode?: StandaloneProxyMode;
  /**
   * Envoy replicas with {@link StandaloneProxyMode.SERVICE}.
   * @default 2
   */
  readonly proxyReplicas?: number;
  /**
   * What Envoy does when the picker does not answer: FailOpen forwards the request to a pod of
   * the pool without the picker's choice (Envoy ext_proc `failure_mode_allow`), FailClose
   * answers 5xx.
   * @default FailureMode.FAIL_OPEN
   */
  readonly failureMode?: FailureMode;
}

/** Port of the standalone Envoy listener (the chart's `envoy` preset, listener `vllm`). */
export const STANDALONE_PROXY_PORT = 8081;

/**
 * LLM-aware routing without the Gateway API: the endpoint picker of the pinned
 * `llm-d-router-standalone` chart with an Envoy proxy in front of it, as one Helm release per
 * model server. Clients call {@link StandaloneInferencePool.url} (the OpenAI-compatible API);
 * Envoy asks the picker (ext_proc, bodies streamed) which pod serves each request, with the
 * same typed {@link SchedulingProfile} as the gateway's pools (queue depth, KV-cache use,
 * prefix-cache affinity, LoRA affinity with adapters) and flow control for scale from zero.
 *
 * The picker selects the model server's pods itself (`router.inferencePool.create: false`,
 * `--endpoint-selector`): no InferencePool object, no Gateway API or Inference Extension CRDs,
 * no Gateway implementation. One model server per router; for weighted variants across pools
 * use {@link InferenceGateway}.
 *
 * A server whose NetworkPolicy does not admit its own namespace (`allowSameNamespace: false`)
 * admits the picker pods (HTTP API and metrics ports) and, in service mode, the Envoy pods (HTTP
 * API port).
 *
 * Security: the picker runs as the chart renders it; the Envoy container gets
 * `allowPrivilegeEscalation: false`, every capability dropped and RuntimeDefault seccomp
 * (it listens on 8081 and needs none). The chart does not expose a pod-level security context,
 * so the pods do not carry `runAsNonRoot`: label the namespace `baseline`, not `restricted`.
 *
 * @see https://github.com/llm-d/llm-d-router/tree/v0.10.0/config/charts
 * @example
 * const router = new StandaloneInferencePool(workloads, 'Llama8BRouter', {
 *   backend: ModelServerBackend.of(llama8b), monitoring,
 * });
 * // clients: router.url + '/v1/chat/completions'
 */
export class StandaloneInferencePool extends Construct {
  /** The Helm release (picker, Envoy, config, RBAC, Service, monitoring objects). */
  public readonly resource: Release;
  /** The picker's PodDisruptionBudget (with more than one replica). */
  public readonly eppDisruptionBudget?: PodDisruptionBudgetV1;
  /** Release name. */
  public readonly poolName: string;
  /** Namespace (the backend's). */
  public readonly namespace: string;
  /** Name of the picker Deployment and Service (`<name>-epp`). */
  public readonly eppName: string;
  /** Name of the Service clients call: the picker's (sidecar) or the proxy's (service mode). */
  public readonly serviceName: string;
  /** In-cluster base URL of the OpenAI-compatible API behind the router. */
  public readonly url: string;
  /** The backend. */
  public readonly backend: IInferenceBackend;
  /** Where Envoy runs. */
  public readonly proxyMode: StandaloneProxyMode;
  /** The failure mode in effect. */
  public readonly failureMode: FailureMode;
  /** Flow control in effect, if on. */
  public readonly flowControl?: FlowControlOptions;
  /** The rendered `EndpointPickerConfig`. */
  public readonly endpointPickerConfig: Record<string, unknown>;

  constructor(scope: Construct, id: string, props: StandaloneInferencePoolProps) {
    super(scope, id);
    const b = props.backend;
    this.backend = b;
    this.namespace = b.namespace;
    this.poolName = props.name ?? b.name;
    // The chart truncates the release name to 40 characters before appending '-epp'/'-proxy'.
    Validate.k8sDnsLabel(this, 'name', this.poolName, {
      maxLength: 40,
      what: 'a router release name (the chart appends -epp and -proxy)',
    });
    this.eppName = `${this.poolName}-epp`;
    if (props.monitoring) {
      dependOnStackOf(this, props.monitoring);
    }
    validateEppBackend(this, b, "the picker's --endpoint-selector would be empty and it refuses to start");
    this.proxyMode = props.proxyMode ?? StandaloneProxyMode.SIDECAR;
    Validate.oneOf(this, 'proxyMode', this.proxyMode, Object.values(StandaloneProxyMode));
    const proxyReplicas = props.proxyReplicas ?? 2;
    Validate.integer(this, 'proxyReplicas', proxyReplicas, { min: 1, max: 100 });
    if (props.proxyReplicas !== undefined && this.proxyMode !== StandaloneProxyMode.SERVICE) {
      throw new ValidationError(
        `'proxyReplicas' (${props.proxyReplicas}) applies to StandaloneProxyMode.SERVICE only: a sidecar Envoy runs in each ` +
          `picker pod ('eppReplicas'). Set 'proxyMode: StandaloneProxyMode.SERVICE' or drop 'proxyReplicas'.`,
        this,
      );
    }
    this.serviceName =
      this.proxyMode === StandaloneProxyMode.SERVICE ? `${this.poolName}-proxy` : this.eppName;
    this.url = `http://${this.serviceName}.${this.namespace}.svc.cluster.local:${STANDALONE_PROXY_PORT}`;

    const profile = schedulingProfileOf(this, props.schedulingProfile);
    const replicas = props.eppReplicas ?? 2;
    Validate.integer(this, 'eppReplicas', replicas, { min: 1, max: 10 });
    this.failureMode = props.failureMode ?? FailureMode.FAIL_OPEN;
    Validate.oneOf(this, 'failureMode', this.failureMode, Object.values(FailureMode));
    if (replicas === 1) {
      Warnings.add(
        this,
        'k8s-epp-single-replica',
        `'eppReplicas' is 1: while the endpoint picker restarts ${
          this.proxyMode === StandaloneProxyMode.SIDECAR
            ? 'its pod, Envoy included, is gone and clients get connection errors'
            : this.failureMode === FailureMode.FAIL_OPEN
              ? 'routing degrades'
              : 'clients get 5xx'
        } (GIE #572). Use 2 or more.`,
      );
    }
    const epp = eppSettings(this, props, 'the routing alerts and a scale-from-zero activation query');
    this.flowControl = epp.flowControl;
    this.endpointPickerConfig = profile.render(eppRenderOptions(b, this.flowControl));
    // The chart's standalone selector label (routerlib _helpers.tpl "llm-d-router.selectorLabels").
    const eppSelector = { 'llm-d-router-standalone': this.eppName };
    // Where the server's NetworkPolicy does not admit its own namespace: the picker pods (which
    // scrape every pod's metrics and, in sidecar mode, hold Envoy) and, in service mode, the Envoy
    // Deployment's pods (its selector label, routerlib _helpers.tpl "llm-d-router.proxySelectorLabels"
    // at v0.10.0), which only forward requests to the HTTP API port.
    b.allowIngressFromPods?.(eppSelector);
    if (this.proxyMode === StandaloneProxyMode.SERVICE) {
      b.allowIngressFromPods?.({ 'llm-d-router-proxy': this.serviceName }, { metrics: false });
    }
    const values = {
      router: {
        modelServers: eppModelServersValues(b),
        inferencePool: { create: false },
        proxy: {
          enabled: true,
          proxyType: 'envoy',
          mode: this.proxyMode,
          ...(this.proxyMode === StandaloneProxyMode.SERVICE ? { replicas: proxyReplicas } : {}),
          failOpen: this.failureMode === FailureMode.FAIL_OPEN,
          securityContext: {
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
            seccompProfile: { type: 'RuntimeDefault' },
          },
        },
        epp: eppValues({
          replicas,
          settings: epp,
          endpointPickerConfig: this.endpointPickerConfig,
          selector: eppSelector,
        }),
        monitoring: eppMonitoringValues(epp, this.poolName, props.monitoring),
      },
    };
    const release = addEppRelease(this, {
      name: this.poolName,
      namespace: this.namespace,
      chart: GATEWAY_HELM_CHARTS.llmdRouterStandalone,
      values,
      replicas,
      eppName: this.eppName,
      selector: eppSelector,
    });
    this.resource = release.resource;
    this.eppDisruptionBudget = release.eppDisruptionBudget;
  }
}
