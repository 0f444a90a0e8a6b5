import { Release } from '@cdktf/provider-helm/lib/release';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ITerraformDependable, Lazy, TerraformIterator, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { raiseDeferredDeprecations, Validate, ValidationError, Warnings, metricSelector } from '../core';
import {
  addDerivedLoadBalancerCost,
  DerivedLoadBalancerKind,
  loadBalancerOfService,
} from '../core/private/derived-prices';
import {
  IInferenceBackend,
  IMonitoringStack,
  IServiceBackend,
  ITraceCollector,
  InferenceEngineType,
  PodIngressOptions,
} from './interfaces';
import type { EngineMetrics } from './engines/engine';
import { MetricsCollection } from './metrics-collection';
import {
  MANAGED_BY,
  assertCrdInOtherStack,
  dependOnStackOf,
  nameFromId,
  registerCrdInstaller,
  toYaml,
} from './private/common';
import { fetchedManifestDocuments } from './private/manifest-bundle';
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
import { FlowControlOptions, SchedulingProfile } from './scheduling-profile';
import { CrdBundleVersion, GATEWAY_CRD_BUNDLES, GATEWAY_HELM_CHARTS, HelmChartVersion } from './versions';

// ---------------------------------------------------------------------------------------------
// Gateway implementation and listener exposure
// ---------------------------------------------------------------------------------------------

/** The Gateway API implementation in front of the endpoint pickers. */
export enum GatewayImplementationKind {
  /**
   * GKE's managed Gateway controller (GKE Inference Gateway): Google Cloud application load
   * balancers call the endpoint picker; nothing runs in the cluster for the data plane.
   */
  GKE = 'gke',
  /**
   * Istio (Envoy): istiod provisions an Envoy Deployment and Service per Gateway and calls the
   * endpoint picker through Envoy's ext_proc filter.
   */
  ISTIO = 'istio',
}

/** Options of {@link GatewayImplementation.gke}. */
export interface GkeGatewayOptions {
  /**
   * The region's proxy-only subnet (`GkeNetwork.proxyOnlySubnetCidr`). GKE's regional load
   * balancers connect to the model servers from it, and Google's health checks from
   * {@link GOOGLE_HEALTH_CHECK_RANGES}: each {@link InferencePool} admits both to its server's
   * NetworkPolicy. Without it a server's NetworkPolicy refuses the load balancer wherever
   * NetworkPolicy is enforced (Dataplane V2, which `GkeCluster` turns on).
   * @default - unknown: the pools warn and leave the servers' NetworkPolicies as they are
   */
  readonly proxyOnlySubnetCidr?: string;
}

/**
 * Source ranges of Google Cloud health-check probes, which reach load-balanced pods directly.
 * @see https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges
 */
export const GOOGLE_HEALTH_CHECK_RANGES: readonly string[] = ['35.191.0.0/16', '130.211.0.0/22'];

/** Options of {@link GatewayImplementation.istio}. */
export interface IstioGatewayOptions {
  /**
   * Namespace of istiod (created).
   * @default 'istio-system'
   */
  readonly namespace?: string;
}

/**
 * Which Gateway API implementation serves the inference gateway. On GKE use the managed
 * classes; elsewhere Istio, the Envoy-based implementation the pinned llm-d-router chart
 * integrates with (`provider.name: istio` renders the DestinationRule its Envoy needs to reach
 * the endpoint picker over TLS). docs/serving.md compares the alternatives.
 */
export class GatewayImplementation {
  /** GKE Inference Gateway (managed classes `gke-l7-rilb`, `gke-l7-regional-external-managed`). */
  public static gke(options: GkeGatewayOptions = {}): GatewayImplementation {
    if (options.proxyOnlySubnetCidr !== undefined) {
      Validate.cidr(undefined, 'proxyOnlySubnetCidr', options.proxyOnlySubnetCidr, { maxPrefix: 26 });
    }
    return new GatewayImplementation(
      GatewayImplementationKind.GKE,
      'gke-system',
      options.proxyOnlySubnetCidr,
    );
  }

  /** Istio, installed from its pinned Helm charts with the inference extension enabled. */
  public static istio(options: IstioGatewayOptions = {}): GatewayImplementation {
    return new GatewayImplementation(GatewayImplementationKind.ISTIO, options.namespace ?? 'istio-system');
  }

  /** The implementation. */
  public readonly kind: GatewayImplementationKind;
  /** Namespace of the implementation's control plane (Istio only; GKE's runs outside the cluster). */
  public readonly namespace: string;
  /** The region's proxy-only subnet (GKE), when given. */
  public readonly proxyOnlySubnetCidr?: string;

  private constructor(kind: GatewayImplementationKind, namespace: string, proxyOnlySubnetCidr?: string) {
    this.kind = kind;
    this.namespace = namespace;
    this.proxyOnlySubnetCidr = proxyOnlySubnetCidr;
  }

  /**
   * The addresses the implementation's load balancer connects to the pods from, outside the pod
   * network: on GKE the proxy-only subnet and Google's health-check ranges; none for Istio
   * (its Envoy pods are in the cluster).
   */
  public loadBalancerSourceCidrs(): string[] {
    if (this.kind !== GatewayImplementationKind.GKE || this.proxyOnlySubnetCidr === undefined) return [];
    return [this.proxyOnlySubnetCidr, ...GOOGLE_HEALTH_CHECK_RANGES];
  }
}

/** How far the gateway's listener is reachable. */
export enum GatewayExposureKind {
  /** A ClusterIP Service: reachable from inside the cluster only (Istio). */
  CLUSTER = 'cluster',
  /** An internal load balancer in the VPC. */
  INTERNAL_LOAD_BALANCER = 'internal-load-balancer',
  /** An internet-facing load balancer. Needs TLS. */
  EXTERNAL = 'external',
}

/** Options of {@link GatewayExposure.awsInternalNlb}. */
export interface AwsInternalNlbOptions {
  /**
   * Provision the NLB with the AWS Load Balancer Controller (its annotations); false uses the
   * in-tree service controller's legacy annotations.
   * @default true
   */
  readonly awsLoadBalancerController?: boolean;
  /**
   * The cluster runs EKS Auto Mode (pass `cluster.autoMode` of the AWS module's `EksCluster`):
   * Auto Mode's own load balancing creates the NLB (`loadBalancerClass: eks.amazonaws.com/nlb`,
   * the cluster default for `LoadBalancer` Services), which does not support the
   * `aws-load-balancer-type` and `aws-load-balancer-internal` annotations: the Service carries
   * only `aws-load-balancer-scheme: internal` and `aws-load-balancer-nlb-target-type: ip`. Not
   * combinable with `awsLoadBalancerController` (Auto Mode clusters run no controller).
   * @default false
   * @see https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-nlb.html
   */
  readonly eksAutoMode?: boolean;
}

/**
 * Who may reach the gateway. Internal unless asked: a ClusterIP Service with Istio, an internal
 * application load balancer (`gke-l7-rilb`) on GKE.
 */
export class GatewayExposure {
  /** Cluster-internal (Istio: a ClusterIP Service; not available with GKE's managed classes). */
  public static cluster(): GatewayExposure {
    return new GatewayExposure(GatewayExposureKind.CLUSTER, {});
  }

  /**
   * An internal load balancer. On GKE the `gke-l7-rilb` class (needs a proxy-only subnet in the
   * region). With Istio, the given annotations go on the generated Service (Gateway
   * `spec.infrastructure.annotations`); see {@link GatewayExposure.awsInternalNlb}.
   */
  public static internalLoadBalancer(serviceAnnotations: Record<string, string> = {}): GatewayExposure {
    return new GatewayExposure(GatewayExposureKind.INTERNAL_LOAD_BALANCER, serviceAnnotations);
  }

  /**
   * An internal Network Load Balancer on EKS for the gateway's Service. By default through the
   * AWS Load Balancer Controller, which the cluster must run (IP targets, internal scheme;
   * private subnets tagged `kubernetes.io/role/internal-elb=1`). With
   * `awsLoadBalancerController: false`, the legacy in-tree service controller of EKS creates the
   * NLB (instance targets) and nothing else must be installed.
   * @see https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/service/annotations/
   */
  public static awsInternalNlb(options: AwsInternalNlbOptions = {}): GatewayExposure {
    Validate.object(undefined, 'awsInternalNlb options', options);
    if (options.eksAutoMode !== undefined) Validate.boolean(undefined, 'eksAutoMode', options.eksAutoMode);
    if (options.eksAutoMode) {
      if (options.awsLoadBalancerController !== undefined) {
        throw new ValidationError(
          `GatewayExposure.awsInternalNlb: 'awsLoadBalancerController' is set with 'eksAutoMode': an Auto Mode cluster's NLBs are ` +
            `made by Auto Mode's own load balancing (loadBalancerClass eks.amazonaws.com/nlb), not by the AWS Load Balancer ` +
            `Controller or the in-tree controller. Remove 'awsLoadBalancerController'.`,
        );
      }
      // EKS UG `automode/auto-configure-nlb.adoc`: scheme and target type are supported; the type
      // and internal annotations are not (loadBalancerClass replaces them, and is the default).
      return GatewayExposure.internalLoadBalancer({
        'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
        'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
      });
    }
    return GatewayExposure.internalLoadBalancer(
      (options.awsLoadBalancerController ?? true)
        ? {
            'service.beta.kubernetes.io/aws-load-balancer-type': 'external',
            'service.beta.kubernetes.io/aws-load-balancer-nlb-target-type': 'ip',
            'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal',
          }
        : {
            'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb',
            'service.beta.kubernetes.io/aws-load-balancer-internal': 'true',
          },
    );
  }

  /** An internet-facing load balancer (GKE: `gke-l7-regional-external-managed`). Requires TLS. */
  public static external(serviceAnnotations: Record<string, string> = {}): GatewayExposure {
    return new GatewayExposure(GatewayExposureKind.EXTERNAL, serviceAnnotations);
  }

  /** The exposure. */
  public readonly kind: GatewayExposureKind;
  /** Annotations for the implementation's generated Service (Istio). */
  public readonly serviceAnnotations: Readonly<Record<string, string>>;

  private constructor(kind: GatewayExposureKind, serviceAnnotations: Record<string, string>) {
    this.kind = kind;
    this.serviceAnnotations = { ...serviceAnnotations };
  }
}

/** GKE managed gateway classes (GKE Inference Gateway docs). */
export const GKE_GATEWAY_CLASSES = {
  /** Regional internal application load balancer. */
  internal: 'gke-l7-rilb',
  /** Regional external application load balancer. */
  external: 'gke-l7-regional-external-managed',
} as const;

// ---------------------------------------------------------------------------------------------
// Platform: CRDs and the implementation (platform stack)
// ---------------------------------------------------------------------------------------------

/** How the Gateway API and Inference Extension CRDs get into the cluster. */
export enum GatewayCrdInstall {
  /**
   * Applied by this construct from the pinned upstream release assets
   * ({@link GATEWAY_CRD_BUNDLES}), fetched by Terraform's `http` data source at plan time and
   * applied with server-side apply (`kubernetes_manifest`), protected from destroy: deleting a
   * CRD deletes every InferencePool and HTTPRoute with it (NVIDIA/aicr#2214).
   */
  UPSTREAM_RELEASE = 'upstream-release',
  /**
   * The cluster provides them: GKE installs the GA Gateway API and InferencePool CRDs itself
   * from 1.34.0-gke.1626000 when the Gateway API is enabled on the cluster; or a cluster admin
   * manages them.
   */
  CLUSTER_MANAGED = 'cluster-managed',
}

/**
 * The inference-gateway platform as workload constructs see it. Implemented by
 * {@link InferenceGatewayPlatform}.
 */
export interface IInferenceGatewayPlatform extends IConstruct {
  /** The Gateway API implementation. */
  readonly implementation: GatewayImplementation;
}

/** Properties of an {@link InferenceGatewayPlatform}. */
export interface InferenceGatewayPlatformProps {
  /** The Gateway API implementation. */
  readonly implementation: GatewayImplementation;
  /**
   * How the CRDs are installed.
   * @default GatewayCrdInstall.CLUSTER_MANAGED on GKE, GatewayCrdInstall.UPSTREAM_RELEASE otherwise
   */
  readonly crds?: GatewayCrdInstall;
}

/**
 * The cluster-wide part of the inference gateway: the Gateway API and Inference Extension
 * CRDs and the Gateway API implementation (Istio with the inference extension, or nothing on
 * GKE, whose controller is managed). Put it in the platform stack; the gateways, pools and
 * routes go in a workloads stack that depends on it (passing the platform orders the stacks).
 *
 * @see https://gateway-api-inference-extension.sigs.k8s.io/
 * @example
 * const gatewayPlatform = new InferenceGatewayPlatform(platformStack, 'InferenceGateway', {
 *   implementation: GatewayImplementation.istio(),
 * });
 */
export class InferenceGatewayPlatform extends Construct implements IInferenceGatewayPlatform {
  /** The implementation. */
  public readonly implementation: GatewayImplementation;
  /** How the CRDs are installed. */
  public readonly crdInstall: GatewayCrdInstall;
  /** The CRD `kubernetes_manifest`s (one `for_each` resource per bundle), with UPSTREAM_RELEASE. */
  public readonly crds: Manifest[] = [];
  /** The Istio releases (`base`, `istiod`), with Istio. */
  public readonly releases: Release[] = [];

  constructor(scope: Construct, id: string, props: InferenceGatewayPlatformProps) {
    super(scope, id);
    if (!(props?.implementation instanceof GatewayImplementation)) {
      throw new ValidationError(
        `'implementation' must be a GatewayImplementation, got ${JSON.stringify(props?.implementation) ?? 'undefined'}: ` +
          `set it to GatewayImplementation.istio() or GatewayImplementation.gke().`,
        this,
      );
    }
    this.implementation = props.implementation;
    const gke = this.implementation.kind === GatewayImplementationKind.GKE;
    this.crdInstall =
      props.crds ?? (gke ? GatewayCrdInstall.CLUSTER_MANAGED : GatewayCrdInstall.UPSTREAM_RELEASE);
    if (!gke) {
      Validate.k8sDnsLabel(this, 'implementation namespace', this.implementation.namespace, {
        what: 'a namespace',
      });
    }
    if (this.crdInstall === GatewayCrdInstall.UPSTREAM_RELEASE) {
      this.crds.push(
        this.crdBundle('GatewayApiCrds', GATEWAY_CRD_BUNDLES.gatewayApi),
        this.crdBundle('InferenceExtensionCrds', GATEWAY_CRD_BUNDLES.inferenceExtension),
      );
      registerCrdInstaller(this, ['gateway.networking.k8s.io', 'inference.networking.k8s.io']);
    }
    if (!gke) {
      const base = this.release('IstioBase', 'istio-base', GATEWAY_HELM_CHARTS.istioBase, {}, this.crds);
      const istiod = this.release(
        'Istiod',
        'istiod',
        GATEWAY_HELM_CHARTS.istiod,
        // The istiod chart's Deployment reads top-level `env` (`pilot.env` is the istioctl
        // IstioOperator form; Helm would drop it silently): istio/istio tag 1.29.2,
        // manifests/charts/istio-control/istio-discovery/templates/deployment.yaml.
        { env: { ENABLE_GATEWAY_API_INFERENCE_EXTENSION: 'true' } },
        [base],
      );
      this.releases.push(base, istiod);
      registerCrdInstaller(this, ['networking.istio.io', 'security.istio.io']);
    }
  }

  private crdBundle(id: string, bundle: CrdBundleVersion): Manifest {
    const body = fetchedManifestDocuments(this, id, bundle.url);
    // One resource per document, keyed by kind and name (Gateway API's bundle also carries a
    // ValidatingAdmissionPolicy and its binding under the same name); a generated 'status'
    // stanza is dropped (the API server owns it).
    const documents = TerraformIterator.fromMap(
      Token.asAnyMap(
        `\${{ for m in ${body} : "\${m.kind}/\${m.metadata.name}" => { for k, v in m : k => v if k != "status" } }}`,
      ),
    );
    return new Manifest(this, id, {
      forEach: documents,
      manifest: documents.value,
      lifecycle: { preventDestroy: true },
    });
  }

  private release(
    id: string,
    name: string,
    chart: HelmChartVersion,
    values: Record<string, unknown>,
    dependsOn: ITerraformDependable[],
  ): Release {
    return new Release(this, id, {
      name,
      namespace: this.implementation.namespace,
      createNamespace: true,
      repository: chart.repository,
      chart: chart.chart,
      version: chart.version,
      values: Object.keys(values).length ? [toYaml(values)] : undefined,
      timeout: 600,
      atomic: true,
      cleanupOnFail: true,
      dependsOn: dependsOn.length ? dependsOn : undefined,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Endpoint picker
// ---------------------------------------------------------------------------------------------

/** What the picker does when it cannot be reached (InferencePool `endpointPickerRef.failureMode`). */
export enum FailureMode {
  /**
   * The gateway routes the request to a pool endpoint without the picker's choice: clients keep
   * getting answers (without cache affinity or queue awareness, and without flow control).
   */
  FAIL_OPEN = 'FailOpen',
  /** The gateway rejects the request (5xx) while no picker answers. */
  FAIL_CLOSE = 'FailClose',
}

// ---------------------------------------------------------------------------------------------
// InferencePool (workloads stack)
// ---------------------------------------------------------------------------------------------

/**
 * What every endpoint picker takes, behind a gateway ({@link InferencePoolProps}) or in front of
 * its own Envoy (`StandaloneInferencePoolProps`): the backend, the scheduling profile, the
 * picker's replicas and resources, flow control and metrics.
 */
export interface EndpointPickerOptions {
  /** The model server behind the pool ({@link ModelServerBackend.of}). */
  readonly backend: IInferenceBackend;
  /**
   * The picker's scheduling profile (LoRA affinity is added when the backend serves adapters).
   * @default SchedulingProfile.default()
   */
  readonly schedulingProfile?: SchedulingProfile;
  /**
   * Picker replicas. Above 1 the chart runs them active-passive with leader election, so a
   * restart does not leave the pool without a picker (a single picker answers 500 while it is
   * replaced, GIE #572); a PodDisruptionBudget keeps one up during node drains.
   * @default 2
   */
  readonly eppReplicas?: number;
  /**
   * Buffer requests in the picker (flow control). Required when the backend may scale to zero
   * and the pool carries traffic: requests wait while the first pod loads instead of failing.
   * @default - on, with a 240 s request TTL, when the backend may scale to zero; off otherwise
   */
  readonly flowControl?: FlowControlOptions | false;
  /**
   * CPU request of a picker replica.
   * @default '8' (the chart's default)
   */
  readonly eppCpu?: string;
  /**
   * Memory request of a picker replica, GiB (the limit is twice this).
   * @default 8 (the chart's default)
   */
  readonly eppMemoryGiB?: number;
  /**
   * The monitoring stack: the picker's ServiceMonitor gets its selector labels.
   * @default - the picker's metrics are not scraped (unless Managed Prometheus collects them)
   */
  readonly monitoring?: IMonitoringStack;
  /**
   * How the picker's metrics are collected.
   * @default MetricsCollection.prometheusOperator()
   */
  readonly metricsCollection?: MetricsCollection;
}

/** Properties of an {@link InferencePool}. */
export interface InferencePoolProps extends EndpointPickerOptions {
  /** The inference-gateway platform (orders the stacks, picks provider-specific objects). */
  readonly platform: IInferenceGatewayPlatform;
  /**
   * Name of the InferencePool and the Helm release; the picker is `<name>-epp`.
   * @default - the backend's name
   */
  readonly name?: string;
  /**
   * What the gateway does when the picker is unreachable. FailOpen keeps serving (degraded
   * routing) during a picker outage; the API's own default, FailClose, turns it into errors.
   * Terraform owns the value: nothing reverts it behind your back (dynamo#14811).
   * @default FailureMode.FAIL_OPEN
   */
  readonly failureMode?: FailureMode;
  /**
   * Send the endpoint picker's OpenTelemetry traces (request routing, endpoint scoring) to this
   * collector, sampled like the model servers (the chart's `router.tracing`: llm-d-router v0.10.0
   * `config/charts/routerlib/values.yaml` and `templates/_deployment.yaml`).
   * @default - the picker exports no traces
   */
  readonly tracing?: ITraceCollector;
}

/**
 * An InferencePool (`inference.networking.k8s.io/v1`) over one model server's pods with its
 * endpoint picker, installed as one release of the pinned `llm-d-router-gateway` chart: the
 * pool, the picker Deployment (more than one replica, a PodDisruptionBudget), its Service, RBAC,
 * its `EndpointPickerConfig` (the typed {@link SchedulingProfile}) and a ServiceMonitor or
 * Managed Prometheus PodMonitoring.
 *
 * The InferencePool is a custom resource: the pool cannot share a stack with the
 * {@link InferenceGatewayPlatform} that installs its CRD.
 *
 * @example
 * const stable = new InferencePool(workloads, 'Llama8BPool', {
 *   backend: ModelServerBackend.of(llama8b), platform: gatewayPlatform, monitoring,
 * });
 */
export class InferencePool extends Construct {
  /**
   * PromQL that is above 0 while the picker holds requests for a pool (flow control), the
   * activation signal for scaling the pool's server from zero.
   */
  public static activationQueryFor(namespace: string, poolName: string, managedPrometheus = false): string {
    return `sum(${metricSelector(
      'llm_d_epp_flow_control_queue_size',
      [`namespace="${namespace}"`, `inference_pool="${poolName}"`],
      managedPrometheus,
    )})`;
  }

  /** The Helm release (pool, picker, config, monitoring objects). */
  public readonly resource: Release;
  /** The picker's PodDisruptionBudget (with more than one replica). */
  public readonly eppDisruptionBudget?: PodDisruptionBudgetV1;
  /** Name of the InferencePool. */
  public readonly poolName: string;
  /** Namespace of the pool. */
  public readonly namespace: string;
  /** Name of the picker Deployment and Service. */
  public readonly eppName: string;
  /** The backend. */
  public readonly backend: IInferenceBackend;
  /** The platform. */
  public readonly platform: IInferenceGatewayPlatform;
  /** Flow control in effect, if on. */
  public readonly flowControl?: FlowControlOptions;
  /** The failure mode in effect. */
  public readonly failureMode: FailureMode;
  /** The rendered `EndpointPickerConfig`. */
  public readonly endpointPickerConfig: Record<string, unknown>;
  /** The activation query for the backend's autoscaler (see {@link InferencePool.activationQueryFor}). */
  public readonly activationQuery: string;

  constructor(scope: Construct, id: string, props: InferencePoolProps) {
    super(scope, id);
    const b = props.backend;
    this.backend = b;
    this.platform = props.platform;
    this.namespace = b.namespace;
    this.poolName = props.name ?? b.name;
    // The chart truncates the release name to 40 characters before appending '-epp'.
    Validate.k8sDnsLabel(this, 'name', this.poolName, {
      maxLength: 40,
      what: 'an InferencePool name (the chart appends -epp)',
    });
    this.eppName = `${this.poolName}-epp`;
    assertCrdInOtherStack(this, 'inference.networking.k8s.io', 'InferencePool');
    dependOnStackOf(this, props.platform);
    if (props.monitoring) {
      dependOnStackOf(this, props.monitoring);
    }
    validateEppBackend(this, b, 'the InferencePool would select no pods (or, worse, every pod)');

    if (
      props.platform.implementation.kind === GatewayImplementationKind.GKE &&
      b.engine === InferenceEngineType.TRITON_TENSORRT_LLM
    ) {
      throw new ValidationError(
        `'backend' ${b.name} is a Triton + TensorRT-LLM server behind GKE's gateway: the HealthCheckPolicy the pinned ` +
          `${GATEWAY_HELM_CHARTS.llmdRouterGateway.chart} chart (${GATEWAY_HELM_CHARTS.llmdRouterGateway.version}) renders ` +
          `for the pool asks '${GKE_POOL_HEALTH_CHECK_PATH}' on port ${b.targetPort}, set by no chart value, which ` +
          `Triton (/v2/health/ready) and its OpenAI frontend (/health/ready) do not answer: the load balancer would mark ` +
          `every pod unhealthy (a second policy for the pool would conflict with the chart's). Use ` +
          `GatewayImplementation.istio() or a StandaloneInferencePool, or serve the model with ServingEngine.VLLM or ` +
          `ServingEngine.SGLANG, which answer ${GKE_POOL_HEALTH_CHECK_PATH}.`,
        this,
      );
    }
    const profile = schedulingProfileOf(this, props.schedulingProfile);
    const replicas = props.eppReplicas ?? 2;
    Validate.integer(this, 'eppReplicas', replicas, { min: 1, max: 10 });
    this.failureMode = props.failureMode ?? FailureMode.FAIL_OPEN;
    Validate.oneOf(this, 'failureMode', this.failureMode, Object.values(FailureMode));
    if (replicas === 1) {
      Warnings.add(
        this,
        'k8s-epp-single-replica',
        `'eppReplicas' is 1: while the endpoint picker restarts the gateway cannot route this pool ` +
          `(${this.failureMode}: ${
            this.failureMode === FailureMode.FAIL_CLOSE ? 'clients get 5xx' : 'routing degrades'
          }; GIE #572). Use 2 or more.`,
      );
    }
    const epp = eppSettings(
      this,
      props,
      "the gateway alerts, the pool's dashboard panels and a scale-from-zero activation query",
    );
    this.flowControl = epp.flowControl;

    this.endpointPickerConfig = profile.render(eppRenderOptions(b, this.flowControl));
    this.activationQuery = InferencePool.activationQueryFor(
      this.namespace,
      this.poolName,
      epp.collection.managed,
    );
    const eppSelector = { 'llm-d-router-gateway': this.eppName };
    // The picker runs in the server's namespace and scrapes every pod's metrics.
    b.allowIngressFromPods?.(eppSelector);
    const gke = props.platform.implementation.kind === GatewayImplementationKind.GKE;
    if (gke && b.allowIngressFromCidrs) {
      const sources = props.platform.implementation.loadBalancerSourceCidrs();
      if (sources.length) {
        b.allowIngressFromCidrs(sources);
      } else {
        Warnings.add(
          this,
          'k8s-gke-gateway-network-policy',
          `backend '${b.name}' has a NetworkPolicy, but the GKE gateway's proxy-only subnet is unknown: where ` +
            `NetworkPolicy is enforced (Dataplane V2) the load balancer's connections are refused. Pass ` +
            `GatewayImplementation.gke({ proxyOnlySubnetCidr }) or admit the subnet with networkPolicy.clientCidrs.`,
        );
      }
    }
    const values = {
      provider: { name: gke ? 'gke' : 'istio' },
      router: {
        modelServers: eppModelServersValues(b),
        inferencePool: { create: true, failureMode: this.failureMode },
        epp: eppValues({
          replicas,
          settings: epp,
          endpointPickerConfig: this.endpointPickerConfig,
          selector: eppSelector,
        }),
        ...(props.tracing
          ? {
              tracing: {
                enabled: true,
                otelExporterEndpoint: Validate.string(
                  this,
                  'tracing.otlpGrpcEndpoint',
                  props.tracing.otlpGrpcEndpoint,
                ),
                sampling: {
                  sampler: 'parentbased_traceidratio',
                  samplerArg: String(
                    Validate.number(this, 'tracing.samplingRatio', props.tracing.samplingRatio, {
                      min: 0,
                      max: 1,
                    }),
                  ),
                },
              },
            }
          : {}),
        monitoring: eppMonitoringValues(epp, this.poolName, props.monitoring),
      },
    };
    const release = addEppRelease(this, {
      name: this.poolName,
      namespace: this.namespace,
      chart: GATEWAY_HELM_CHARTS.llmdRouterGateway,
      values,
      replicas,
      eppName: this.eppName,
      selector: eppSelector,
    });
    this.resource = release.resource;
    this.eppDisruptionBudget = release.eppDisruptionBudget;
  }
}

/**
 * Adapts a model server to {@link IInferenceBackend}. Reads the server's public members; pass
 * what the server does not expose.
 */
export interface ModelServerBackendSource extends IConstruct {
  /** Deployment name (`<name>-<engine id>`, for example `<name>-vllm`). */
  readonly deploymentName: string;
  /**
   * The server's engine (`ModelServer.engine`): its `id` picks the metrics the endpoint picker
   * reads (`vllm`, `sglang`) or refuses the server (`triton`, see {@link ModelServerBackend.of}).
   * @default - read from the `deploymentName` suffix (`-vllm`, `-sglang`, `-triton`), else vLLM
   */
  readonly engine?: {
    /** The engine's id (`IServingEngine.id`), for example `vllm`. */
    readonly id: string;
    /**
     * The metrics the engine declares (`IServingEngine.metrics`): for an id other than `vllm`,
     * `sglang` or `triton`, their names tell which engine's metrics the picker reads.
     * @default - not known: an unknown id is taken for vLLM, with a warning
     */
    readonly metrics?: Pick<EngineMetrics, 'queueDepth' | 'kvCacheUsage'>;
  };
  /** Namespace. */
  readonly namespace: string;
  /** `--served-model-name`. */
  readonly servedModelName: string;
  /** Pod selector labels, when the server exposes them. */
  readonly podSelectorLabels?: Readonly<Record<string, string>>;
  /** Labels selecting exactly the server's pods (`ModelServer.selectorLabels`). */
  readonly selectorLabels?: Readonly<Record<string, string>>;
  /** The engine's HTTP API port on the pods (`ModelServer.targetPort`). */
  readonly targetPort?: number;
  /** The port serving `/metrics` on the pods (`ModelServer.metricsPort`). */
  readonly metricsPort?: number;
  /** Whether the server may scale to zero, when it exposes it. */
  readonly scalesToZero?: boolean;
  /** The server's KEDA ScaledObject, if it autoscales (`idleReplicaCount: 0` means it may scale to zero). */
  readonly scaledObject?: Manifest;
  /** Names of the LoRA adapters the server loads (`ModelServer.loraAdapterNames`), when it exposes them. */
  readonly loraAdapterNames?: readonly string[];
  /** The server's NetworkPolicy, if any (`ModelServer.networkPolicy`). */
  readonly networkPolicy?: unknown;
  /** Widens the server's NetworkPolicy (`ModelServer.allowIngressFromCidrs`). */
  allowIngressFromCidrs?(cidrs: readonly string[]): void;
  /** Widens the server's NetworkPolicy (`ModelServer.allowIngressFromNamespaces`). */
  allowIngressFromNamespaces?(namespaces: readonly string[]): void;
  /** Widens the server's NetworkPolicy (`ModelServer.allowIngressFromPods`). */
  allowIngressFromPods?(labels: Readonly<Record<string, string>>, options?: PodIngressOptions): void;
}

/** Options of {@link ModelServerBackend.of}. */
export interface ModelServerBackendOptions {
  /**
   * LoRA adapter names the server loads.
   * @default - the server's `loraAdapterNames` (a {@link ModelServer}'s `loraAdapters`), else none
   */
  readonly loraAdapterNames?: string[];
  /**
   * Whether the server's autoscaler may take it to zero.
   * @default - the server's `scalesToZero`, else whether its ScaledObject has `idleReplicaCount: 0`
   */
  readonly mayScaleToZero?: boolean;
}

/** Builds {@link IInferenceBackend}s from the library's model servers. */
export class ModelServerBackend {
  /**
   * The backend of a {@link ModelServer}: its pods (`app.kubernetes.io/name` = engine,
   * `app.kubernetes.io/instance` = name, as the server labels them), port 8000, its served model
   * name and engine (vLLM or SGLang; for an engine of your own, the one whose queue and KV-cache
   * gauges its `metrics` declare, else vLLM with warning `k8s-backend-engine-metrics`).
   *
   * A Triton + TensorRT-LLM server is refused: the routes and the endpoint picker speak the
   * OpenAI API, which Triton's port 8000 (KServe v2) does not serve; the error names the
   * alternatives.
   */
  public static of(
    server: ModelServerBackendSource,
    options: ModelServerBackendOptions = {},
  ): IInferenceBackend {
    const m = /^(.+)-(vllm|triton)$/.exec(server.deploymentName);
    const labels = server.podSelectorLabels ?? server.selectorLabels;
    if (!m && !labels) {
      throw new ValidationError(
        `ModelServerBackend.of: '${server.deploymentName}' is not a '<name>-vllm' or '<name>-triton' model server and ` +
          `exposes no podSelectorLabels; implement IInferenceBackend for it instead.`,
        server,
      );
    }
    // The engine id: ModelServer.engine, else the Deployment name's suffix. (The pool's default
    // name stays the Deployment name for engines other than vLLM, as before.)
    const engineId = server.engine?.id ?? /-(vllm|sglang|triton)$/.exec(server.deploymentName)?.[1];
    if (engineId === 'triton') {
      throw new ValidationError(
        `ModelServerBackend.of: '${server.deploymentName}' serves Triton + TensorRT-LLM, whose HTTP port ` +
          `${server.targetPort ?? MODEL_SERVER_HTTP_PORT} speaks the KServe v2 API (/v2/models/<model>/...), while an ` +
          `InferencePool's routes send the OpenAI paths (/v1/chat/completions, /v1/completions), the only paths its ` +
          `endpoint picker parses (others it refuses): every request would fail. ${TRITON_BEHIND_POOL_REFUSAL}`,
        server,
      );
    }
    const engine =
      engineId === 'sglang'
        ? InferenceEngineType.SGLANG
        : engineId === 'vllm' || engineId === undefined || server.engine === undefined
          ? InferenceEngineType.VLLM
          : customEngineFamily(server, server.engine);
    return {
      name: m ? m[1] : server.deploymentName,
      namespace: server.namespace,
      podSelectorLabels: labels ?? {
        'app.kubernetes.io/name': m![2],
        'app.kubernetes.io/instance': m![1],
      },
      targetPort: server.targetPort ?? MODEL_SERVER_HTTP_PORT,
      ...(server.metricsPort !== undefined &&
      server.metricsPort !== (server.targetPort ?? MODEL_SERVER_HTTP_PORT)
        ? { metricsPort: server.metricsPort }
        : {}),
      servedModelName: server.servedModelName,
      engine,
      mayScaleToZero:
        options.mayScaleToZero ??
        server.scalesToZero ??
        server.scaledObject?.manifestInput?.spec?.idleReplicaCount === 0,
      loraAdapterNames: [...(options.loraAdapterNames ?? server.loraAdapterNames ?? [])],
      ...(server.networkPolicy !== undefined && server.allowIngressFromCidrs
        ? { allowIngressFromCidrs: (cidrs: readonly string[]) => server.allowIngressFromCidrs!(cidrs) }
        : {}),
      ...(server.networkPolicy !== undefined && server.allowIngressFromNamespaces
        ? {
            allowIngressFromNamespaces: (namespaces: readonly string[]) =>
              server.allowIngressFromNamespaces!(namespaces),
          }
        : {}),
      ...(server.networkPolicy !== undefined && server.allowIngressFromPods
        ? {
            allowIngressFromPods: (labels: Readonly<Record<string, string>>, o?: PodIngressOptions) =>
              server.allowIngressFromPods!(labels, o),
          }
        : {}),
    };
  }
}

/** The HTTP port of the library's model servers. */
const MODEL_SERVER_HTTP_PORT = 8000;

/**
 * The queue and KV-cache gauges of the engines `ModelServer` serves behind a pool and the picker's
 * metrics extractor knows (`core-metrics-extractor` `defaultEngine`): the names
 * `ServingEngine.VLLM` and `ServingEngine.SGLANG` declare (docs/serving.md, the SGLang backend).
 */
const PICKER_ENGINE_METRICS: ReadonlyArray<{ type: InferenceEngineType; queue: string; kvCache: string }> = [
  { type: InferenceEngineType.VLLM, queue: 'vllm:num_requests_waiting', kvCache: 'vllm:kv_cache_usage_perc' },
  { type: InferenceEngineType.SGLANG, queue: 'sglang:num_queue_reqs', kvCache: 'sglang:token_usage' },
];

/** Servers already warned about their engine's metrics (one warning per server, not per pool). */
const WARNED_ENGINE_METRICS = new WeakSet<IConstruct>();

/**
 * The picker's engine for a server whose engine id is none the library knows: the family whose
 * queue gauge (and KV-cache gauge, if the engine declares one) the engine declares; else vLLM,
 * as before, with warning `k8s-backend-engine-metrics` (the picker would read vLLM gauges the
 * engine does not export, and route without load signals).
 */
function customEngineFamily(
  server: ModelServerBackendSource,
  engine: NonNullable<ModelServerBackendSource['engine']>,
): InferenceEngineType {
  const m = engine.metrics;
  const family = m
    ? PICKER_ENGINE_METRICS.find(
        (f) =>
          m.queueDepth?.name === f.queue &&
          (m.kvCacheUsage === undefined || m.kvCacheUsage.name === f.kvCache),
      )
    : undefined;
  if (family) return family.type;
  if (!WARNED_ENGINE_METRICS.has(server)) {
    WARNED_ENGINE_METRICS.add(server);
    const declared = m
      ? `declares ${[m.queueDepth?.name, m.kvCacheUsage?.name].filter((n) => n !== undefined).join(' and ')}`
      : 'declares no metrics';
    Warnings.add(
      server,
      'k8s-backend-engine-metrics',
      `ModelServerBackend.of: engine '${engine.id}' of '${server.deploymentName}' ${declared}, none of the gauges the ` +
        `endpoint picker reads (vLLM: vllm:num_requests_waiting, vllm:kv_cache_usage_perc; SGLang: sglang:num_queue_reqs, ` +
        `sglang:token_usage). It is taken for vLLM: if it does not export vLLM's gauges, the picker scores every pod ` +
        `without queue or KV-cache load. Declare the metrics of the family it exports in the engine's 'metrics', or ` +
        `implement IInferenceBackend with the InferenceEngineType whose metrics it exports; suppress this warning if ` +
        `it exports vLLM's.`,
    );
  }
  return InferenceEngineType.VLLM;
}

/**
 * What to do instead of putting a Triton + TensorRT-LLM `ModelServer` behind an InferencePool.
 * Triton's OpenAI-compatible frontend (github.com/triton-inference-server/server tag v2.67.0,
 * f72de073, `python/openai/openai_frontend/main.py`: `--openai-port` default 9000,
 * `routers/observability.py`: `/health/ready` and `/metrics`) runs Triton in-process and, per
 * `python/openai/README.md` ("Model Parallelism Support"), not in TensorRT-LLM leader mode, which
 * `ModelServer` uses for more than one GPU.
 */
const TRITON_BEHIND_POOL_REFUSAL =
  `Serve the model with ServingEngine.VLLM or ServingEngine.SGLANG behind the pool, or call Triton through its ` +
  `Service with the KServe v2 API (no gateway). A deployment of your own running Triton's OpenAI-compatible ` +
  `frontend (server/python/openai, port 9000) can join a pool as an IInferenceBackend with targetPort 9000 and ` +
  `engine InferenceEngineType.TRITON_TENSORRT_LLM (Istio or a StandaloneInferencePool; not GKE).`;

// ---------------------------------------------------------------------------------------------
// Gateway and routes (workloads stack)
// ---------------------------------------------------------------------------------------------

/** TLS for the gateway's listener. */
export interface GatewayTls {
  /**
   * A `kubernetes.io/tls` Secret in the gateway's namespace holding the certificate and key
   * (for example written by cert-manager).
   */
  readonly secretName: string;
}

/** Properties of an {@link InferenceGateway}. */
export interface InferenceGatewayProps {
  /** The platform (implementation and CRDs). */
  readonly platform: IInferenceGatewayPlatform;
  /**
   * Name of the Gateway.
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Namespace of the Gateway (must exist).
   * @default 'default'
   */
  readonly namespace?: string;
  /**
   * Who can reach the listener.
   * @default GatewayExposure.internalLoadBalancer() on GKE (gke-l7-rilb), GatewayExposure.cluster() otherwise
   */
  readonly exposure?: GatewayExposure;
  /**
   * TLS termination with a certificate from a Secret (listener `https` on 443). Required with
   * external exposure.
   * @default - plain HTTP on port 80 (a warning unless the exposure is cluster-internal)
   */
  readonly tls?: GatewayTls;
  /**
   * The monitoring stack: with Istio the gateway's Envoy pods are scraped (a PodMonitor), so
   * the gateway 5xx alert and the gateway dashboard panels have data.
   * @default - the gateway's own metrics are not scraped
   */
  readonly monitoring?: IMonitoringStack;
  /**
   * How the gateway's metrics are collected (Istio).
   * @default MetricsCollection.prometheusOperator()
   */
  readonly metricsCollection?: MetricsCollection;
}

/** One pool serving a client-facing model name, with its share of the traffic. */
export interface ModelVariant {
  /** The pool. */
  readonly pool: InferencePool;
  /**
   * Integer weight (Gateway API `backendRefs[].weight`, 0 to 1,000,000): the pool gets
   * weight / sum of weights of the requests. 0 drains a pool while keeping it warm, which is
   * how a rollback looks.
   */
  readonly weight: number;
}

/**
 * What a client-facing model's route takes on either kind of backend: the options
 * {@link InferenceModelOptions} (pools) and {@link ServiceModelOptions} (Services) share.
 */
export interface ModelRouteOptions {
  /**
   * The model name clients send; every variant's server must answer to it
   * (`--served-model-name`).
   * @default - the first variant's served model name
   */
  readonly modelName?: string;
  /**
   * Host names the route answers (HTTPRoute `hostnames`, at most 16). Two models on one gateway
   * need distinct host names: the OpenAI paths are the same for every model.
   * @default - every host name of the listener
   */
  readonly hostnames?: string[];
  /**
   * Request timeout at the gateway, seconds: HTTPRoute `timeouts.request` with Istio. On GKE,
   * Services get it as the backend service timeout of a `GCPBackendPolicy` (default 30 s
   * otherwise; a completion on a CPU runs for minutes), while pools time out after the 300 s of
   * the `GCPBackendPolicy` their pinned chart renders (llm-d-router v0.10.0, set by no chart
   * value): {@link InferenceGateway.addModel} on GKE accepts 300 only. With pools it must exceed
   * the pools' flow-control TTL, or requests held during a scale-from-zero time out first.
   * @default 300
   */
  readonly requestTimeoutSeconds?: number;
  /**
   * Path prefixes routed: at most 64, each absolute, at most 1024 characters, without `//` or a
   * `.` / `..` segment (what the HTTPRoute API accepts).
   * @default ['/v1/chat/completions', '/v1/completions']
   */
  readonly paths?: string[];
}

/** Options of {@link InferenceGateway.addModel}. */
export interface InferenceModelOptions extends ModelRouteOptions {
  /** The pools serving the model, with weights (at most 16: HTTPRoute backends per rule). */
  readonly variants: ModelVariant[];
}

/** A client-facing model on an {@link InferenceGateway}: one HTTPRoute with weighted pools. */
export class InferenceModelRoute extends Construct {
  /** The HTTPRoute. */
  public readonly resource: Manifest;
  /** The model name clients send. */
  public readonly modelName: string;
  /** The variants. */
  public readonly variants: readonly ModelVariant[];
  /** Host names, if set. */
  public readonly hostnames: readonly string[];
  /**
   * Every model name clients may send on this route: {@link modelName} and the LoRA adapters the
   * pools carrying traffic serve. The route matches paths, not names (the pinned charts route on
   * the pool, not on the request body), so each name reaches the pools, whose engines answer for
   * the base model or load the adapter; the picker prefers pods with the adapter loaded (LoRA
   * affinity).
   */
  public readonly modelNames: readonly string[];

  /** @internal */
  constructor(
    scope: InferenceGateway,
    id: string,
    modelName: string,
    options: InferenceModelOptions,
    routeName: string,
    timeoutSeconds: number,
  ) {
    super(scope, id);
    this.modelName = modelName;
    this.variants = [...options.variants];
    this.hostnames = [...(options.hostnames ?? [])];
    const carrying = options.variants.find((v) => v.weight > 0) ?? options.variants[0];
    this.modelNames = [modelName, ...carrying.pool.backend.loraAdapterNames];
    const gke = scope.platform.implementation.kind === GatewayImplementationKind.GKE;
    this.resource = httpRoute(this, scope, {
      routeName,
      namespace: options.variants[0].pool.namespace,
      hostnames: this.hostnames,
      paths: options.paths,
      backendRefs: options.variants.map((v) => ({
        group: 'inference.networking.k8s.io',
        kind: 'InferencePool',
        name: v.pool.poolName,
        weight: v.weight,
      })),
      // GKE takes timeouts from the GCPBackendPolicy the chart renders for the pool.
      timeoutSeconds: gke ? undefined : timeoutSeconds,
    });
    this.node.defaultChild = this.resource;
  }
}

/** What {@link httpRoute} renders. */
interface HttpRouteOptions {
  readonly routeName: string;
  readonly namespace: string;
  readonly hostnames: readonly string[];
  readonly paths?: string[];
  readonly backendRefs: Array<Record<string, unknown>>;
  readonly timeoutSeconds?: number;
}

/** The HTTPRoute (construct id `Resource`) sending the OpenAI paths from the gateway to the backends. */
function httpRoute(scope: Construct, gateway: InferenceGateway, o: HttpRouteOptions): Manifest {
  const paths = o.paths ?? ['/v1/chat/completions', '/v1/completions'];
  return new Manifest(scope, 'Resource', {
    manifest: {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: o.routeName, namespace: o.namespace, labels: { ...MANAGED_BY } },
      spec: {
        parentRefs: [
          {
            group: 'gateway.networking.k8s.io',
            kind: 'Gateway',
            name: gateway.gatewayName,
            namespace: gateway.namespace,
          },
        ],
        ...(o.hostnames.length ? { hostnames: [...o.hostnames] } : {}),
        rules: [
          {
            matches: paths.map((value) => ({ path: { type: 'PathPrefix', value } })),
            backendRefs: o.backendRefs,
            ...(o.timeoutSeconds !== undefined ? { timeouts: { request: `${o.timeoutSeconds}s` } } : {}),
          },
        ],
      },
    },
  });
}

/** One Service serving a client-facing model, with its share of the traffic. */
export interface ServiceVariant {
  /** The server, reached through its Service (a {@link LlamaCppServer}). */
  readonly backend: IServiceBackend;
  /**
   * Integer weight (Gateway API `backendRefs[].weight`, 0 to 1,000,000): the Service gets
   * weight / sum of weights of the requests; 0 drains it.
   */
  readonly weight: number;
}

/** Options of {@link InferenceGateway.addServiceModel}. */
export interface ServiceModelOptions extends ModelRouteOptions {
  /** The Services serving the model, with weights (at most 16: HTTPRoute backends per rule). */
  readonly variants: ServiceVariant[];
}

/**
 * A client-facing model on an {@link InferenceGateway} served by plain Services (no endpoint
 * picker): one HTTPRoute with weighted Service backends and, on GKE, per Service a
 * `HealthCheckPolicy` on the server's health path (GKE's default health check asks `/`) and a
 * `GCPBackendPolicy` with the request timeout.
 */
export class ServiceModelRoute extends Construct {
  /** The HTTPRoute. */
  public readonly resource: Manifest;
  /** The model name clients send. */
  public readonly modelName: string;
  /** The variants. */
  public readonly variants: readonly ServiceVariant[];
  /** Host names, if set. */
  public readonly hostnames: readonly string[];
  /** GKE's HealthCheckPolicy per Service (GKE only). */
  public readonly healthCheckPolicies: Manifest[] = [];
  /** GKE's GCPBackendPolicy per Service (GKE only). */
  public readonly backendPolicies: Manifest[] = [];

  /** @internal */
  constructor(
    scope: InferenceGateway,
    id: string,
    modelName: string,
    options: ServiceModelOptions,
    routeName: string,
    timeoutSeconds: number,
  ) {
    super(scope, id);
    this.modelName = modelName;
    this.variants = [...options.variants];
    this.hostnames = [...(options.hostnames ?? [])];
    const gke = scope.platform.implementation.kind === GatewayImplementationKind.GKE;
    const namespace = options.variants[0].backend.namespace;
    this.resource = httpRoute(this, scope, {
      routeName,
      namespace,
      hostnames: this.hostnames,
      paths: options.paths,
      backendRefs: options.variants.map((v) => ({
        group: '',
        kind: 'Service',
        name: v.backend.serviceName,
        port: v.backend.servicePort,
        weight: v.weight,
      })),
      timeoutSeconds: gke ? undefined : timeoutSeconds,
    });
    this.node.defaultChild = this.resource;
    if (gke) {
      // networking.gke.io/v1 (GoogleCloudPlatform/gke-gateway-api apis/networking/v1
      // healthcheck_types.go and gcpbackendpolicy_types.go): one policy of each kind per Service.
      for (const v of options.variants) {
        const b = v.backend;
        const targetRef = { group: '', kind: 'Service', name: b.serviceName };
        const labels = { ...MANAGED_BY };
        this.healthCheckPolicies.push(
          new Manifest(this, `HealthCheckPolicy-${b.serviceName}`, {
            manifest: {
              apiVersion: 'networking.gke.io/v1',
              kind: 'HealthCheckPolicy',
              metadata: { name: b.serviceName, namespace, labels },
              spec: {
                targetRef,
                default: {
                  config: { type: 'HTTP', httpHealthCheck: { requestPath: b.healthCheckPath } },
                },
              },
            },
          }),
        );
        this.backendPolicies.push(
          new Manifest(this, `BackendPolicy-${b.serviceName}`, {
            manifest: {
              apiVersion: 'networking.gke.io/v1',
              kind: 'GCPBackendPolicy',
              metadata: { name: b.serviceName, namespace, labels },
              spec: { targetRef, default: { timeoutSec: timeoutSeconds } },
            },
          }),
        );
      }
    }
  }
}

/** Per app: the GKE gateway whose Service routes own each Service's policies (`namespace/name`). */
const GKE_POLICY_OWNERS = new WeakMap<IConstruct, Map<string, InferenceGateway>>();

function gkePolicyOwners(gateway: InferenceGateway): Map<string, InferenceGateway> {
  const root = gateway.node.root;
  let owners = GKE_POLICY_OWNERS.get(root);
  if (!owners) {
    owners = new Map();
    GKE_POLICY_OWNERS.set(root, owners);
  }
  return owners;
}

/**
 * The backend timeout of an InferencePool behind GKE's gateway: the GCPBackendPolicy the pinned
 * llm-d-router-gateway chart renders for the pool carries `timeoutSec: 300`, set by no value
 * (github.com/llm-d/llm-d-router tag v0.10.0, 0b43c187,
 * `config/charts/llm-d-router-gateway/templates/gke.yaml`), and its HTTPRoute leaves
 * `timeouts` out on GKE (`templates/httproute.yaml`, `values.yaml`: "Unused when provider.name is
 * gke").
 */
const GKE_POOL_TIMEOUT_SECONDS = 300;

/** `ModelRouteOptions.requestTimeoutSeconds` by default (documented there as `@default 300`). */
const DEFAULT_REQUEST_TIMEOUT_SECONDS = 300;

/**
 * The path of the HealthCheckPolicy the pinned llm-d-router-gateway chart renders for a pool on
 * GKE with `router.modelServers.protocol: http`: `requestPath: /health` on the first target port,
 * set by no value (github.com/llm-d/llm-d-router tag v0.10.0, 71f4f099,
 * `config/charts/llm-d-router-gateway/templates/gke.yaml`). vLLM and SGLang answer it; Triton does
 * not (`/v2/health/ready`, `/v2/health/live`).
 */
const GKE_POOL_HEALTH_CHECK_PATH = '/health';

const PATH_PREFIX = /^\/[A-Za-z0-9._~/-]*$/;
/** A path the HTTPRoute API refuses: an empty segment, or a `.` or `..` segment. */
const DOT_SEGMENT = /\/\/|\/\.\.?(?:\/|$)/;
/**
 * Limits of the Gateway API v1.5.1 HTTPRoute CRD (standard channel): `rules[].backendRefs` and
 * `hostnames` MaxItems 16, `rules[].matches` MaxItems 64, a PathPrefix value MaxLength 1024 (with
 * the CEL rules of HTTPPathMatch: no '//', '/./', '/../', trailing '/.' or '/..').
 */
const MAX_ROUTE_BACKENDS = 16;
const MAX_ROUTE_HOSTNAMES = 16;
const MAX_ROUTE_MATCHES = 64;
const MAX_PATH_LENGTH = 1024;
const HOSTNAME = /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * A Gateway (`gateway.networking.k8s.io/v1`) for LLM traffic, internal by default, and the
 * models it serves: each {@link InferenceGateway.addModel} is one HTTPRoute sending the
 * OpenAI-compatible paths to one or more {@link InferencePool}s with integer weights. A canary
 * is a small weight; a rollback sets it to 0 (the pool stays warm) — never a reload.
 *
 * @example
 * const gateway = new InferenceGateway(workloads, 'Gateway', { platform: gatewayPlatform });
 * gateway.addModel('Llama8B', { variants: [{ pool: stable, weight: 90 }, { pool: canary, weight: 10 }] });
 */
export class InferenceGateway extends Construct {
  /** The Gateway. */
  public readonly resource: Manifest;
  /** Name of the Gateway. */
  public readonly gatewayName: string;
  /** Namespace of the Gateway. */
  public readonly namespace: string;
  /** The platform. */
  public readonly platform: IInferenceGatewayPlatform;
  /** The exposure in effect. */
  public readonly exposure: GatewayExposure;
  /** The gateway class. */
  public readonly gatewayClassName: string;
  /** The PodMonitor (or Managed Prometheus PodMonitoring) of the gateway's Envoy pods, with Istio and monitoring. */
  public readonly podMonitor?: Manifest;
  private readonly models: Array<{ readonly modelName: string; readonly hostnames: readonly string[] }> = [];
  private readonly serviceBackends = new Set<string>();
  private readonly routeNamespaces = new Set<string>();

  constructor(scope: Construct, id: string, props: InferenceGatewayProps) {
    super(scope, id);
    this.platform = props.platform;
    this.gatewayName = props.name ?? nameFromId(id);
    Validate.k8sDnsLabel(this, 'name', this.gatewayName, { what: 'a Gateway name' });
    this.namespace = props.namespace ?? 'default';
    Validate.k8sDnsLabel(this, 'namespace', this.namespace, { what: 'a namespace' });
    assertCrdInOtherStack(this, 'gateway.networking.k8s.io', 'Gateway');
    dependOnStackOf(this, props.platform);
    const gke = props.platform.implementation.kind === GatewayImplementationKind.GKE;
    this.exposure =
      props.exposure ?? (gke ? GatewayExposure.internalLoadBalancer() : GatewayExposure.cluster());
    const kind = this.exposure.kind;
    if (gke && kind === GatewayExposureKind.CLUSTER) {
      throw new ValidationError(
        `'exposure' GatewayExposure.cluster() is not available with GKE's managed gateway classes (they provision a ` +
          `Google Cloud load balancer). Use GatewayExposure.internalLoadBalancer() (gke-l7-rilb) or external().`,
        this,
      );
    }
    // Gateway API v1 GatewayInfrastructure.annotations: qualified-name keys (as annotation keys),
    // at most 8 entries, values at most 4096 characters (sigs.k8s.io/gateway-api apis/v1/gateway_types.go).
    const infraAnnotations = Validate.stringMap(
      this,
      'exposure annotations',
      this.exposure.serviceAnnotations,
    );
    for (const [k, v] of Object.entries(infraAnnotations)) {
      Validate.k8sLabelKey(this, 'exposure annotations', k);
      Validate.string(this, `exposure annotations['${k}']`, v, { allowEmpty: true, maxLength: 4096 });
    }
    if (Object.keys(infraAnnotations).length > 8) {
      throw new ValidationError(
        `'exposure' carries ${Object.keys(infraAnnotations).length} Service annotations; the Gateway API allows at most 8 ` +
          `(spec.infrastructure.annotations). Drop some.`,
        this,
        'number-range',
      );
    }
    if (gke && Object.keys(this.exposure.serviceAnnotations).length) {
      throw new ValidationError(
        `'exposure' carries Service annotations, but GKE's managed gateway creates no Service: drop them.`,
        this,
      );
    }
    if (kind === GatewayExposureKind.EXTERNAL && !props.tls) {
      throw new ValidationError(
        `'exposure' is external but no 'tls' is given: prompts and completions would cross the internet in clear text. ` +
          `Give 'tls: { secretName }' (a kubernetes.io/tls Secret in '${this.namespace}').`,
        this,
      );
    }
    if (!props.tls && kind !== GatewayExposureKind.CLUSTER) {
      Warnings.add(
        this,
        'k8s-gateway-plaintext',
        `no 'tls': the gateway's load balancer listens on plain HTTP port 80 inside the network. Give 'tls: { secretName }'.`,
      );
    }
    if (props.tls) {
      Validate.k8sDnsSubdomain(this, 'tls.secretName', props.tls.secretName, { what: 'a Secret name' });
    }
    this.gatewayClassName = gke
      ? kind === GatewayExposureKind.EXTERNAL
        ? GKE_GATEWAY_CLASSES.external
        : GKE_GATEWAY_CLASSES.internal
      : 'istio';
    if (kind !== GatewayExposureKind.CLUSTER) {
      addDerivedLoadBalancerCost(
        this,
        gke
          ? kind === GatewayExposureKind.EXTERNAL
            ? DerivedLoadBalancerKind.GCP_EXTERNAL_ALB
            : DerivedLoadBalancerKind.GCP_INTERNAL_ALB
          : loadBalancerOfService(this.exposure.serviceAnnotations),
        `Gateway '${this.namespace}/${this.gatewayName}' (${this.gatewayClassName})`,
      );
    }

    const annotations: Record<string, string> = {};
    if (!gke && kind === GatewayExposureKind.CLUSTER) {
      // Istio's generated Service is a LoadBalancer unless told otherwise.
      annotations['networking.istio.io/service-type'] = 'ClusterIP';
    }
    const serviceAnnotations = { ...this.exposure.serviceAnnotations };
    const listener = props.tls
      ? {
          name: 'https',
          protocol: 'HTTPS',
          port: 443,
          tls: {
            mode: 'Terminate',
            certificateRefs: [{ kind: 'Secret', group: '', name: props.tls.secretName }],
          },
        }
      : { name: 'http', protocol: 'HTTP', port: 80 };
    this.resource = new Manifest(this, 'Resource', {
      manifest: {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'Gateway',
        metadata: {
          name: this.gatewayName,
          namespace: this.namespace,
          labels: { ...MANAGED_BY },
          ...(Object.keys(annotations).length ? { annotations } : {}),
        },
        spec: {
          gatewayClassName: this.gatewayClassName,
          ...(Object.keys(serviceAnnotations).length
            ? { infrastructure: { annotations: serviceAnnotations } }
            : {}),
          listeners: [
            {
              ...listener,
              allowedRoutes: {
                namespaces: {
                  from: 'Selector',
                  selector: {
                    matchExpressions: [
                      {
                        key: 'kubernetes.io/metadata.name',
                        operator: 'In',
                        values: Lazy.listValue({
                          produce: () =>
                            this.routeNamespaces.size ? [...this.routeNamespaces].sort() : [this.namespace],
                        }),
                      },
                    ],
                  },
                },
              },
            },
          ],
        },
      },
    });
    this.node.defaultChild = this.resource;

    if (!gke && props.monitoring) {
      dependOnStackOf(this, props.monitoring);
    }
    const collection = props.metricsCollection ?? MetricsCollection.prometheusOperator();
    raiseDeferredDeprecations(this, collection);
    if (!gke && (props.monitoring || collection.managed)) {
      this.podMonitor = this.addEnvoyPodMonitor(collection, props.monitoring);
    }
  }

  /**
   * Serves a client-facing model from one or more pools with integer weights (an HTTPRoute in
   * the pools' namespace). Checks at synth: weights are integers from 0 to 1,000,000 with a
   * positive sum; every pool is behind this gateway's platform, in one namespace, answers to
   * the model name and serves the same LoRA adapters as the others carrying traffic; a pool
   * carrying traffic that may scale to zero buffers requests (flow control) for less than the
   * route's timeout; on GKE the timeout is the pools' fixed 300 s; host names do not collide with
   * another model's.
   *
   * Each pool's server NetworkPolicy admits the gateway on its HTTP API port: with Istio the
   * gateway's namespace (where its Envoy pods run), when it differs from the pools'; on GKE the
   * proxy-only subnet and Google's health-check ranges, which each {@link InferencePool} admits.
   */
  public addModel(id: string, options: InferenceModelOptions): InferenceModelRoute {
    const variants = options.variants ?? [];
    if (variants.length === 0) {
      throw new ValidationError(`addModel('${id}'): 'variants' is empty: give at least one pool.`, this);
    }
    if (variants.length > MAX_ROUTE_BACKENDS) {
      throw new ValidationError(
        `addModel('${id}'): 'variants' lists ${variants.length} pools; an HTTPRoute rule takes at most ` +
          `${MAX_ROUTE_BACKENDS} backends. Drop drained (weight 0) pools, or serve fewer variants at once.`,
        this,
      );
    }
    const modelName = options.modelName ?? variants[0].pool.backend.servedModelName;
    let total = 0;
    const seen = new Set<InferencePool>();
    for (const [i, v] of variants.entries()) {
      const where = `addModel('${id}'): 'variants[${i}]'`;
      this.checkWeight(where, v.weight);
      total += v.weight;
      if (seen.has(v.pool)) {
        throw new ValidationError(`${where} repeats pool '${v.pool.poolName}': list each pool once.`, this);
      }
      seen.add(v.pool);
      if (v.pool.platform !== this.platform) {
        throw new ValidationError(
          `${where}: pool '${v.pool.poolName}' belongs to the gateway platform '${v.pool.platform.node.path}', not to ` +
            `'${this.platform.node.path}' of this gateway: its picker is not wired to this gateway's implementation.`,
          this,
        );
      }
      if (v.pool.namespace !== variants[0].pool.namespace) {
        throw new ValidationError(
          `${where}: pool '${v.pool.poolName}' is in namespace '${v.pool.namespace}', but '${variants[0].pool.poolName}' is in ` +
            `'${variants[0].pool.namespace}': an HTTPRoute reaches pools in its own namespace only. Put the variants in one namespace.`,
          this,
        );
      }
      if (v.pool.backend.servedModelName !== modelName) {
        throw new ValidationError(
          `${where}: pool '${v.pool.poolName}' serves '${v.pool.backend.servedModelName}', not '${modelName}': its share of ` +
            `the requests would fail with 404 (model does not exist). Set the server's servedModelName to '${modelName}'.`,
          this,
        );
      }
      if (v.weight > 0 && v.pool.backend.mayScaleToZero && !v.pool.flowControl) {
        throw new ValidationError(
          `${where}: pool '${v.pool.poolName}' carries weight ${v.weight} and may scale to zero, but it has no request ` +
            `buffering (flowControl: false): requests arriving at zero replicas fail with 503 instead of waiting for the ` +
            `first pod. Turn flow control on for the pool, keep at least one replica, or give it weight 0.`,
          this,
        );
      }
    }
    this.checkTotalWeight('addModel', id, total);
    const carrying = variants.filter((v) => v.weight > 0);
    const adapters = (v: ModelVariant) => [...v.pool.backend.loraAdapterNames].sort().join(',');
    for (const v of carrying) {
      if (adapters(v) !== adapters(carrying[0])) {
        throw new ValidationError(
          `addModel('${id}'): pools '${carrying[0].pool.poolName}' and '${v.pool.poolName}' both carry traffic but serve ` +
            `different LoRA adapters ([${adapters(carrying[0])}] vs [${adapters(v)}]): a request for an adapter landing on ` +
            `the pool without it fails with 404. Serve the same adapters on both.`,
          this,
        );
      }
    }
    const timeout = options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS;
    Validate.integer(this, `addModel('${id}').requestTimeoutSeconds`, timeout, { min: 1, max: 3600 });
    const gke = this.platform.implementation.kind === GatewayImplementationKind.GKE;
    if (gke && timeout !== GKE_POOL_TIMEOUT_SECONDS) {
      throw new ValidationError(
        `addModel('${id}'): 'requestTimeoutSeconds' (${timeout}) cannot be applied on GKE: a pool's backend timeout is the ` +
          `GCPBackendPolicy its llm-d-router-gateway chart (${GATEWAY_HELM_CHARTS.llmdRouterGateway.version}) renders with ` +
          `timeoutSec ${GKE_POOL_TIMEOUT_SECONDS}, which no chart value changes, and GKE's gateway takes no HTTPRoute ` +
          `timeout. Leave 'requestTimeoutSeconds' unset (${GKE_POOL_TIMEOUT_SECONDS} s), or choose the timeout with ` +
          `GatewayImplementation.istio().`,
        this,
      );
    }
    for (const v of carrying) {
      const ttl = v.pool.flowControl?.requestTtlSeconds;
      if (ttl !== undefined && ttl >= timeout) {
        throw new ValidationError(
          gke
            ? `addModel('${id}'): pool '${v.pool.poolName}' holds requests up to ${ttl} s (flowControl.requestTtlSeconds) but ` +
                `the GKE load balancer times out after ${timeout} s (the chart's GCPBackendPolicy): held requests would ` +
                `time out at the gateway first. Lower the TTL below ${timeout}.`
            : `addModel('${id}'): pool '${v.pool.poolName}' holds requests up to ${ttl} s (flowControl.requestTtlSeconds) but the ` +
                `route times out after ${timeout} s: held requests would time out at the gateway first (504). Raise ` +
                `'requestTimeoutSeconds' above ${ttl} or lower the TTL.`,
          this,
        );
      }
    }
    const { routeName, hostnames } = this.routeMatch('addModel', id, modelName, options);
    // Istio's Envoy pods run in the Gateway's namespace and connect to the pods the picker
    // chooses; GKE's load balancer connects from the ranges each InferencePool admitted.
    if (!gke && variants[0].pool.namespace !== this.namespace) {
      for (const v of variants) v.pool.backend.allowIngressFromNamespaces?.([this.namespace]);
    } else if (!gke) {
      // Same namespace: admitted already unless the server set allowSameNamespace: false; then
      // admit the Gateway's own Envoy pods by the label Istio puts on them, to the HTTP API port.
      for (const v of variants) {
        v.pool.backend.allowIngressFromPods?.(this.istioGatewayPodLabels(), { metrics: false });
      }
    }
    this.routeNamespaces.add(variants[0].pool.namespace);
    const route = new InferenceModelRoute(this, id, modelName, options, routeName, timeout);
    this.models.push({ modelName, hostnames });
    return route;
  }

  /**
   * Serves a client-facing model from servers reached through their Services, with integer
   * weights: an HTTPRoute with Service backends in the servers' namespace, for engines an
   * endpoint picker cannot score (a {@link LlamaCppServer}: llama.cpp exports no KV-cache gauge).
   * The gateway balances requests over the Service's endpoints without looking at queues.
   *
   * Each server's NetworkPolicy admits the gateway: with Istio the gateway's namespace (where
   * its Envoy pods run), on GKE the proxy-only subnet and Google's health-check ranges. On GKE
   * each Service also gets a HealthCheckPolicy on the server's health path and a
   * GCPBackendPolicy carrying the request timeout.
   *
   * Checks at synth, besides those of {@link addModel} (weights, host names, paths, the
   * timeout): the Services are in one namespace, each answers to the model name, none carrying
   * traffic may scale to zero (nothing buffers requests in front of a Service), and a Service is
   * on one route of the gateway only and, on GKE, of one gateway only (GKE attaches one policy of
   * each kind per Service, named after it).
   */
  public addServiceModel(id: string, options: ServiceModelOptions): ServiceModelRoute {
    const variants = options.variants ?? [];
    if (variants.length === 0) {
      throw new ValidationError(
        `addServiceModel('${id}'): 'variants' is empty: give at least one server.`,
        this,
      );
    }
    if (variants.length > MAX_ROUTE_BACKENDS) {
      throw new ValidationError(
        `addServiceModel('${id}'): 'variants' lists ${variants.length} servers; an HTTPRoute rule takes at most ` +
          `${MAX_ROUTE_BACKENDS} backends. Drop drained (weight 0) servers, or serve fewer variants at once.`,
        this,
      );
    }
    const modelName = options.modelName ?? variants[0].backend.servedModelName;
    const namespace = variants[0].backend.namespace;
    let total = 0;
    const seen = new Set<string>();
    for (const [i, v] of variants.entries()) {
      const where = `addServiceModel('${id}'): 'variants[${i}]'`;
      const b = v.backend;
      this.checkWeight(where, v.weight);
      total += v.weight;
      const key = `${b.namespace}/${b.serviceName}`;
      if (seen.has(key) || this.serviceBackends.has(key)) {
        throw new ValidationError(
          `${where}: Service '${key}' is already a backend ${seen.has(key) ? 'of this model' : 'of another model on this gateway'}: ` +
            `list each Service once (GKE attaches one health check and one backend policy per Service).`,
          this,
        );
      }
      seen.add(key);
      if (b.namespace !== namespace) {
        throw new ValidationError(
          `${where}: Service '${b.serviceName}' is in namespace '${b.namespace}', but '${variants[0].backend.serviceName}' is in ` +
            `'${namespace}': an HTTPRoute reaches Services in its own namespace only. Put the variants in one namespace.`,
          this,
        );
      }
      if (b.servedModelName !== modelName) {
        throw new ValidationError(
          `${where}: Service '${b.serviceName}' serves '${b.servedModelName}', not '${modelName}': its share of the requests ` +
            `would fail with 404 (model does not exist). Set the server's servedModelName to '${modelName}'.`,
          this,
        );
      }
      if (v.weight > 0 && b.mayScaleToZero) {
        throw new ValidationError(
          `${where}: Service '${b.serviceName}' carries weight ${v.weight} and may scale to zero, but nothing buffers requests in ` +
            `front of a Service: requests arriving at zero replicas fail with 503. Keep at least one replica ` +
            `(autoscaling.scaleToZero: false) or give it weight 0.`,
          this,
        );
      }
    }
    this.checkTotalWeight('addServiceModel', id, total);
    const timeout = options.requestTimeoutSeconds ?? DEFAULT_REQUEST_TIMEOUT_SECONDS;
    Validate.integer(this, `addServiceModel('${id}').requestTimeoutSeconds`, timeout, { min: 1, max: 3600 });
    const { routeName, hostnames } = this.routeMatch('addServiceModel', id, modelName, options);
    const gke = this.platform.implementation.kind === GatewayImplementationKind.GKE;
    if (gke) {
      // The policies are named after the Service: a second gateway's would collide (AlreadyExists).
      const owners = gkePolicyOwners(this);
      for (const v of variants) {
        const key = `${v.backend.namespace}/${v.backend.serviceName}`;
        const owner = owners.get(key);
        if (owner !== undefined && owner !== this) {
          throw new ValidationError(
            `addServiceModel('${id}'): Service '${key}' is already a backend of gateway '${owner.namespace}/` +
              `${owner.gatewayName}' on GKE, which attaches its HealthCheckPolicy and GCPBackendPolicy '${v.backend.serviceName}' ` +
              `to it: GKE takes one policy of each kind per Service, and the second pair could not be created. ` +
              `Serve the model from one gateway, or give this gateway a server of its own.`,
            this,
          );
        }
      }
      for (const v of variants) owners.set(`${v.backend.namespace}/${v.backend.serviceName}`, this);
    }
    const sources = gke ? this.platform.implementation.loadBalancerSourceCidrs() : [];
    for (const v of variants) {
      const b = v.backend;
      if (gke && b.allowIngressFromCidrs) {
        if (sources.length) {
          b.allowIngressFromCidrs(sources);
        } else {
          Warnings.add(
            this,
            'k8s-gke-gateway-network-policy',
            `Service '${b.serviceName}' has a NetworkPolicy, but the GKE gateway's proxy-only subnet is unknown: where ` +
              `NetworkPolicy is enforced (Dataplane V2) the load balancer's connections are refused. Pass ` +
              `GatewayImplementation.gke({ proxyOnlySubnetCidr }) or admit the subnet with networkPolicy.clientCidrs.`,
          );
        }
      }
      if (!gke && b.allowIngressFromNamespaces && b.namespace !== this.namespace) {
        // Istio deploys the Gateway's Envoy pods in the Gateway's namespace (its own namespace is
        // admitted already, unless the server turned that off).
        b.allowIngressFromNamespaces([this.namespace]);
      } else if (!gke && b.namespace === this.namespace) {
        b.allowIngressFromPods?.(this.istioGatewayPodLabels(), { metrics: false });
      }
      this.serviceBackends.add(`${b.namespace}/${b.serviceName}`);
    }
    this.routeNamespaces.add(namespace);
    const route = new ServiceModelRoute(this, id, modelName, options, routeName, timeout);
    this.models.push({ modelName, hostnames });
    return route;
  }

  private checkWeight(where: string, weight: number): void {
    if (!Token.isUnresolved(weight) && (!Number.isInteger(weight) || weight < 0 || weight > 1_000_000)) {
      throw new ValidationError(
        `${where}.weight (${weight}) must be an integer from 0 to 1000000 (Gateway API backendRef weight); use whole ` +
          `numbers such as 90 and 10.`,
        this,
      );
    }
  }

  private checkTotalWeight(method: string, id: string, total: number): void {
    if (total === 0) {
      throw new ValidationError(
        `${method}('${id}'): every variant has weight 0, so no request could be routed. Give at least one a positive weight.`,
        this,
      );
    }
  }

  /** Checks the route's paths, host names (distinct from every other model's) and id; names the route. */
  /**
   * The label Istio's automated deployment puts on a Gateway's Envoy pods
   * (istio/istio@1.29.2 manifests/charts/istio-control/istio-discovery/files/kube-gateway.yaml:
   * `gateway.networking.k8s.io/gateway-name: <Gateway name>`).
   */
  private istioGatewayPodLabels(): Record<string, string> {
    return { 'gateway.networking.k8s.io/gateway-name': this.gatewayName };
  }

  private routeMatch(
    method: string,
    id: string,
    modelName: string,
    options: ModelRouteOptions,
  ): { routeName: string; hostnames: string[] } {
    // The HTTPRoute CRD's limits (MAX_ROUTE_MATCHES, MAX_ROUTE_HOSTNAMES, MAX_PATH_LENGTH).
    const paths = Validate.array<string>(this, `${method}('${id}') paths`, options.paths ?? []);
    if (paths.length > MAX_ROUTE_MATCHES) {
      throw new ValidationError(
        `${method}('${id}'): 'paths' lists ${paths.length}; an HTTPRoute rule takes at most ${MAX_ROUTE_MATCHES} matches. Use fewer, ` +
          `shorter prefixes (such as '/v1/').`,
        this,
      );
    }
    for (const p of paths) {
      if (
        typeof p !== 'string' ||
        !PATH_PREFIX.test(p) ||
        p.length > MAX_PATH_LENGTH ||
        DOT_SEGMENT.test(p)
      ) {
        throw new ValidationError(
          `${method}('${id}'): path '${p}' must be an absolute path prefix such as '/v1/chat/completions': at most ${MAX_PATH_LENGTH} ` +
            `characters of letters, digits and . _ ~ / -, without '//' or a '.' or '..' segment (the HTTPRoute API ` +
            `refuses them).`,
          this,
        );
      }
    }
    const hostnames = Validate.array<string>(this, `${method}('${id}') hostnames`, options.hostnames ?? []);
    if (hostnames.length > MAX_ROUTE_HOSTNAMES) {
      throw new ValidationError(
        `${method}('${id}'): 'hostnames' lists ${hostnames.length}; an HTTPRoute takes at most ${MAX_ROUTE_HOSTNAMES}. Use a wildcard ` +
          `such as '*.llm.example.com', or split the model over two gateways.`,
        this,
      );
    }
    for (const h of hostnames) {
      if (typeof h !== 'string' || (!Token.isUnresolved(h) && (!HOSTNAME.test(h) || h.length > 253))) {
        throw new ValidationError(
          `${method}('${id}'): hostname '${h}' must be a lower-case DNS name, optionally starting with '*.', without a port.`,
          this,
        );
      }
    }
    for (const other of this.models) {
      const overlap =
        other.hostnames.length === 0 ||
        hostnames.length === 0 ||
        other.hostnames.some((h) => hostnames.includes(h));
      if (overlap) {
        throw new ValidationError(
          `${method}('${id}'): model '${modelName}' and model '${other.modelName}' match the same host names on this gateway ` +
            `(the OpenAI paths are the same for every model), so one route would shadow the other. Give both distinct ` +
            `'hostnames', or put the second model behind another gateway.`,
          this,
        );
      }
    }
    if (this.node.tryFindChild(id)) {
      throw new ValidationError(
        `${method}('${id}'): a model with this id is already on the gateway: use another id.`,
        this,
      );
    }
    const routeName = `${this.gatewayName}-${nameFromId(id)}`;
    Validate.k8sDnsLabel(this, `${method}('${id}'): route name`, routeName, {
      what: 'an HTTPRoute name (<gateway>-<model id>)',
    });
    return { routeName, hostnames };
  }

  private addEnvoyPodMonitor(collection: MetricsCollection, monitoring?: IMonitoringStack): Manifest {
    // Istio labels the Envoy pods it deploys for a Gateway with the Gateway's name; their
    // Envoy serves its statistics (istio_requests_total, ...) on port 'http-envoy-prom'.
    const selector = { 'gateway.networking.k8s.io/gateway-name': this.gatewayName };
    const name = `${this.gatewayName}-gateway`;
    if (collection.managed) {
      return new Manifest(this, 'PodMonitoring', {
        manifest: {
          apiVersion: 'monitoring.googleapis.com/v1',
          kind: 'PodMonitoring',
          metadata: { name, namespace: this.namespace, labels: { ...MANAGED_BY } },
          spec: {
            selector: { matchLabels: selector },
            endpoints: [
              {
                port: 'http-envoy-prom',
                path: '/stats/prometheus',
                interval: `${collection.scrapeIntervalSeconds}s`,
              },
            ],
          },
        },
      });
    }
    assertCrdInOtherStack(this, 'monitoring.coreos.com', 'PodMonitor');
    return new Manifest(this, 'PodMonitor', {
      manifest: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: {
          name,
          namespace: this.namespace,
          labels: { ...MANAGED_BY, ...(monitoring?.selectorLabels ?? {}) },
        },
        spec: {
          selector: { matchLabels: selector },
          namespaceSelector: { matchNames: [this.namespace] },
          podMetricsEndpoints: [{ port: 'http-envoy-prom', path: '/stats/prometheus', interval: '15s' }],
        },
      },
    });
  }
}
