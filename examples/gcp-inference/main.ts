/**
 * gcp-inference: LLM serving on GKE: Llama 3.1 8B (AWQ, INT8) on L4 and 70B (FP8) on Spot H100,
 * each pool sized from its model and scaling from zero, behind one GKE Inference Gateway, with
 * Managed Prometheus autoscaling, alert policies, traces, logs and budgets per team.
 *
 * Three stacks, applied in order (each depends on the previous one):
 *
 * - `gcp-inference` (Google Cloud): L4 pools (g2) serving Llama 3.1 8B in AWQ and in INT8
 *   (W8A8), an H100 pool (a3-highgpu, Spot) serving Llama 3.1 70B in FP8, each sized by the core
 *   sizing arithmetic and scaling from zero; Artifact Registry with pull-through caches of Docker
 *   Hub, GHCR and NVIDIA NGC and a model bucket the serving pods read through Workload Identity;
 *   Cloud Monitoring alert policies for vLLM and GPUs over Managed Prometheus; a Google service
 *   account KEDA queries Managed Prometheus with; a billing budget and budgets per team; Cloud
 *   Logging retention, exclusions and log-based alerts; the Cloud Trace grant of the collector.
 *   The cluster has the Gateway API enabled and the region a proxy-only subnet, for GKE
 *   Inference Gateway's internal load balancer.
 * - `gcp-inference-platform` (in-cluster): KEDA with Workload Identity, the `llm` namespace and
 *   its service account, an OpenTelemetry Collector exporting to Cloud Trace. GKE runs the GPU driver, device plugin and DCGM exporter itself
 *   (Google-managed drivers, managed DCGM), so no NVIDIA chart is installed; GKE also installs
 *   the Gateway API and InferencePool CRDs (1.34.0-gke.1626000 and later).
 * - `gcp-inference-workloads` (in-cluster custom resources): the three vLLM servers, each with a
 *   PodMonitoring for Managed Prometheus, a KEDA ScaledObject on queue depth that queries
 *   Managed Prometheus and an InferencePool with its endpoint picker, behind one GKE Inference
 *   Gateway (managed class `gke-l7-rilb`, internal, TLS from the `llm-gateway-tls` Secret),
 *   each model on its own host name under `llm.internal.acme-ml.example`.
 *
 * The Kubernetes and Helm providers of the in-cluster stacks are configured from the cluster's
 * outputs (cross-stack references) and a short-lived Google access token: plan and apply in one
 * CI job. No credentials are needed to synthesize it.
 */
import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { App, Fn, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  ACCELERATOR_NODE_LABEL,
  Accelerator,
  Capacity,
  CostEstimate,
  ModelSpec,
  Quantization,
  ServiceLevelObjective,
  SizingResult,
  SloIndicator,
  Tags,
  TeamBudgets,
  sizeModel,
} from '../../lib/core';
import {
  ArtifactRegistry,
  BudgetAlarm,
  GatewayApiChannel,
  GcpPrincipal,
  GkeCluster,
  GkeNetwork,
  LogManagement,
  Monitoring,
  TeamBudgetAlarms,
  TraceExportGrant,
} from '../../lib/gcp';
import {
  GatewayImplementation,
  GpuNodeImage,
  GpuPlatform,
  IMAGES,
  InferenceGateway,
  InferenceGatewayPlatform,
  InferencePool,
  MetricsCollection,
  ModelServer,
  ModelServerBackend,
  PodSecurityLevel,
  ENDPOINT_PICKER_POD_SECURITY_LEVEL,
  TraceBackend,
  TraceCollector,
  WeightsSource,
  imageRef,
  podSecurityLabels,
} from '../../lib/k8s';

const PROJECT = 'acme-ml-serving';
const PROJECT_NUMBER = '210987654321';
const REGION = 'us-central1';
/** Namespace and Kubernetes service account of the model servers. */
const SERVING_NAMESPACE = 'llm';
const SERVING_SERVICE_ACCOUNT = 'vllm';
const MODEL_BUCKET = 'acme-serving-models';
/** DNS suffix of the models' host names on the internal gateway (a private zone you own). */
const SERVING_DOMAIN = 'llm.internal.acme-ml.example';
/**
 * The region's proxy-only subnet (internal application load balancers' Envoys): a /23 in the
 * network's 10.0.0.0/12, outside its pods (10.0.0.0/13), nodes (10.8.0.0/16) and services
 * (10.9.0.0/16) ranges.
 */
const PROXY_ONLY_CIDR = '10.10.0.0/23';
/** Namespace and Kubernetes service account of the OpenTelemetry Collector (the k8s defaults). */
const TRACING = { namespace: 'observability', serviceAccount: 'otel-collector' };

/** One served model: the sizing that shapes its node pool and server, and where it runs. */
interface ServedModel {
  /** Construct id of the node pool and the model server. */
  readonly id: string;
  /** Value of the pool's `model` node label (the server selects it). */
  readonly poolLabel: string;
  readonly sizing: SizingResult;
  /** Prefix of the weights in the model bucket, also the served model name. */
  readonly weightsPrefix: string;
  readonly maxNodes: number;
}

export class GcpInferenceStack extends TerraformStack {
  /** The GKE cluster (its outputs configure the in-cluster stacks' providers). */
  public readonly cluster: GkeCluster;
  /** The registry (pull-through cache the servers pull vLLM from). */
  public readonly registry: ArtifactRegistry;
  /** The Google service account KEDA's operator impersonates to query Managed Prometheus. */
  public readonly kedaServiceAccount: ServiceAccount;
  /** The served models. */
  public readonly models: ServedModel[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new GoogleProvider(this, 'google', {
      project: PROJECT,
      region: REGION,
      ...BudgetAlarm.providerSettings(PROJECT),
    });
    Tags.of(this).setCostAllocationTag('cost-center', 'llm-serving');

    // GKE Inference Gateway: a proxy-only subnet in the region for the internal load balancer's
    // proxies, which reach the model servers (8000) and the endpoint pickers (9002).
    const network = new GkeNetwork(this, 'Network', {
      project: PROJECT,
      region: REGION,
      name: 'serve',
      proxyOnlySubnet: { cidr: PROXY_ONLY_CIDR },
    });
    const cluster = (this.cluster = new GkeCluster(this, 'Cluster', {
      network,
      clusterName: 'serve',
      nodeLocations: ['us-central1-a', 'us-central1-b', 'us-central1-c'],
      masterAuthorizedNetworks: [{ cidrBlock: '203.0.113.0/24', displayName: 'ci-runners' }],
      gatewayApi: GatewayApiChannel.STANDARD,
    }));
    const llama8bAwq = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
    });
    const llama8bInt8 = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.INT8,
      accelerator: Accelerator.L4,
    });
    const llama70bFp8 = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.FP8,
      accelerator: Accelerator.H100,
    });

    this.models = [
      {
        id: 'L4Awq',
        poolLabel: 'llama-3-1-8b-awq',
        sizing: llama8bAwq,
        weightsPrefix: 'llama-3.1-8b-awq',
        maxNodes: 6,
      },
      {
        id: 'L4Int8',
        poolLabel: 'llama-3-1-8b-int8',
        sizing: llama8bInt8,
        weightsPrefix: 'llama-3.1-8b-int8',
        maxNodes: 4,
      },
      {
        id: 'H100Fp8',
        poolLabel: 'llama-3-1-70b-fp8',
        sizing: llama70bFp8,
        weightsPrefix: 'llama-3.1-70b-fp8',
        maxNodes: 3,
      },
    ];
    for (const m of this.models) {
      cluster.addInferenceNodePool(m.id, {
        accelerator: m.sizing.accelerator,
        sizing: m.sizing,
        ...(m.id === 'H100Fp8' ? { minNodes: 0, capacity: Capacity.spot() } : {}),
        maxNodes: m.maxNodes,
        labels: { model: m.poolLabel },
      });
    }

    const registry = (this.registry = new ArtifactRegistry(this, 'Registry', {
      location: REGION,
      repositoryId: 'serving',
      modelBucket: { bucketName: MODEL_BUCKET },
    }));
    // The serving pods' Kubernetes service account reads the weights (Workload Identity
    // Federation for GKE: the KSA is the IAM principal, no Google service account needed).
    registry.modelBucket!.grantRead(
      GcpPrincipal.kubernetesServiceAccount({
        projectNumber: PROJECT_NUMBER,
        project: PROJECT,
        workloadIdentityPool: cluster.workloadIdentityPool,
        namespace: SERVING_NAMESPACE,
        serviceAccount: SERVING_SERVICE_ACCOUNT,
      }),
    );

    // KEDA queries Managed Prometheus as this Google service account (TriggerAuthentication
    // podIdentity gcp): read-only monitoring access, impersonated by KEDA's operator through
    // Workload Identity.
    this.kedaServiceAccount = new ServiceAccount(this, 'KedaServiceAccount', {
      accountId: 'keda-operator',
      displayName: 'KEDA operator: queries Managed Prometheus for autoscaling',
    });
    new ProjectIamMember(this, 'KedaMonitoringViewer', {
      project: PROJECT,
      role: 'roles/monitoring.viewer',
      member: `serviceAccount:${this.kedaServiceAccount.email}`,
    });
    const keda = GpuPlatform.KEDA_OPERATOR_SERVICE_ACCOUNT;
    new ServiceAccountIamMember(this, 'KedaWorkloadIdentity', {
      serviceAccountId: this.kedaServiceAccount.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `serviceAccount:${cluster.workloadIdentityPool}[${keda.namespace}/${keda.name}]`,
    });
    const alerts = new Monitoring(this, 'Alerts', {
      project: PROJECT,
      emails: ['llm-oncall@example.com'],
      alertRules: { servingMatchers: [`namespace="${SERVING_NAMESPACE}"`] },
      // Error-budget alerts (multiwindow, multi-burn-rate), computed inline by Cloud Monitoring.
      slos: [
        new ServiceLevelObjective({
          name: 'llama-8b-availability',
          indicator: SloIndicator.AVAILABILITY,
          model: 'llama-3.1-8b-awq',
          objectivePercent: 99.9,
          matchers: [`namespace="${SERVING_NAMESPACE}"`],
        }),
      ],
    });
    new BudgetAlarm(this, 'Budget', {
      billingAccount: '012345-6789AB-CDEF01',
      project: PROJECT,
      projectNumber: PROJECT_NUMBER,
      emails: ['llm-oncall@example.com'],
    });
    // Budgets per team, filtered on the `team` billing label (GKE cost allocation, on in
    // GkeCluster, breaks the cluster's cost down by namespace and label in the billing export).
    new TeamBudgetAlarms(this, 'TeamBudgets', {
      budgets: TeamBudgets.declare({
        teams: [
          { team: 'search', monthlyLimitUsd: 15_000, emails: ['search-leads@example.com'] },
          { team: 'assistant', monthlyLimitUsd: 30_000, emails: ['assistant-leads@example.com'] },
        ],
      }),
      billingAccount: '012345-6789AB-CDEF01',
      project: PROJECT,
      projectNumber: PROJECT_NUMBER,
    });

    // Traces: the collector's Kubernetes service account may write spans to Cloud Trace
    // (Workload Identity, no Google service account).
    new TraceExportGrant(this, 'TraceExport', {
      project: PROJECT,
      principal: GcpPrincipal.kubernetesServiceAccount({
        projectNumber: PROJECT_NUMBER,
        project: PROJECT,
        workloadIdentityPool: cluster.workloadIdentityPool,
        ...TRACING,
      }),
    });
    // Logs: GKE ships container logs and events to Cloud Logging; 30 days of retention, probe
    // and scrape access lines dropped, and an alert policy per engine failure pattern (CUDA OOM,
    // NCCL errors, crash loops) in the serving namespace, to the on-call channels.
    new LogManagement(this, 'Logs', {
      project: PROJECT,
      retentionDays: 30,
      namespaces: [SERVING_NAMESPACE],
      notificationChannelIds: alerts.channels.map((c) => c.id),
    });

    new TerraformOutput(this, 'vllm_image', {
      value: registry.imageUrl('docker-hub', imageRef(IMAGES.vllm)),
    });
    new TerraformOutput(this, 'sizing', {
      value: [llama8bAwq, llama8bInt8, llama70bFp8].map((s) => ({
        model: s.model.name,
        quantization: s.quantization.id,
        accelerator: s.accelerator.id,
        gpus_per_replica: s.gpusPerReplica,
      })),
    });
    new TerraformOutput(this, 'monthly_cost_estimate', { value: CostEstimate.of(this).renderTable() });
  }
}

/**
 * A stack of in-cluster resources: the Kubernetes and Helm providers point at the cluster of
 * `infra` (cross-stack references to its endpoint and CA certificate) with the access token of
 * the identity running Terraform. `infra.cluster.kubernetesProviderConfig()` gives the same
 * host and CA with an exec block instead (as the EKS examples use theirs), but needs
 * `gke-gcloud-auth-plugin` where Terraform runs; the token needs nothing beyond the credentials
 * (docs/gcp.md, "Configuring the Kubernetes and Helm providers").
 */
class InClusterStack extends TerraformStack {
  constructor(scope: Construct, id: string, infra: GcpInferenceStack) {
    super(scope, id);
    new GoogleProvider(this, 'google', { project: PROJECT, region: REGION });
    const client = new DataGoogleClientConfig(this, 'ClientConfig');
    const kubernetes = {
      host: infra.cluster.endpoint, // already `https://<endpoint>`
      clusterCaCertificate: Fn.base64decode(infra.cluster.clusterCaCertificate),
      token: client.accessToken,
    };
    new KubernetesProvider(this, 'Kubernetes', kubernetes);
    new HelmProvider(this, 'Helm', { kubernetes });
    this.addDependency(infra);
  }
}

/**
 * KEDA (with Workload Identity to the infra stack's Google service account), the serving
 * namespace and its service account. GKE-managed drivers ship the device plugin and GKE's DCGM
 * package exports GPU metrics to Managed Prometheus, so no NVIDIA chart and no dcgm-exporter.
 */
export class GcpInferencePlatformStack extends InClusterStack {
  /** The GPU platform (KEDA only on GKE). */
  public readonly gpu: GpuPlatform;
  /** The serving pods' Kubernetes service account. */
  public readonly servingServiceAccount: ServiceAccountV1;
  /** GKE Inference Gateway (managed controller and CRDs: nothing installed). */
  public readonly gatewayPlatform: InferenceGatewayPlatform;
  /** The OpenTelemetry Collector exporting to Cloud Trace. */
  public readonly traces: TraceCollector;

  constructor(scope: Construct, id: string, infra: GcpInferenceStack) {
    super(scope, id, infra);
    this.gpu = new GpuPlatform(this, 'Gpu', {
      nodeImage: GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN,
      dcgmExporter: false,
      kedaServiceAccountAnnotations: { 'iam.gke.io/gcp-service-account': infra.kedaServiceAccount.email },
      jobSet: false,
      kueue: false,
    });
    this.gatewayPlatform = new InferenceGatewayPlatform(this, 'InferenceGateway', {
      // The load balancer's proxies connect from this subnet: each InferencePool admits it (and
      // Google's health checks) to its model server's NetworkPolicy, enforced by Dataplane V2.
      implementation: GatewayImplementation.gke({
        proxyOnlySubnetCidr: infra.cluster.network.proxyOnlySubnetCidr,
      }),
    });
    const ns = new NamespaceV1(this, 'ServingNamespace', {
      // The model servers meet "restricted", the endpoint pickers (chart without securityContext
      // values) "baseline": enforce baseline, audit and warn at restricted.
      metadata: {
        name: SERVING_NAMESPACE,
        labels: podSecurityLabels(ENDPOINT_PICKER_POD_SECURITY_LEVEL, PodSecurityLevel.RESTRICTED),
      },
    });
    this.servingServiceAccount = new ServiceAccountV1(this, 'ServingServiceAccount', {
      metadata: { name: SERVING_SERVICE_ACCOUNT, namespace: ns.metadata.name },
    });
    // Spans from the model servers and endpoint pickers to Cloud Trace (10% of new traces).
    this.traces = new TraceCollector(this, 'Traces', {
      backends: [TraceBackend.googleCloudTrace({ project: PROJECT })],
      namespace: TRACING.namespace,
      releaseName: TRACING.serviceAccount,
    });
  }
}

/**
 * The three vLLM servers: weights from the model bucket, one pool each, metrics collected by
 * Managed Prometheus (PodMonitoring) and KEDA scaling on queue depth read from Managed Prometheus;
 * an InferencePool per server behind one internal GKE Inference Gateway.
 */
export class GcpInferenceWorkloadsStack extends InClusterStack {
  /** The model servers by pool id. */
  public readonly servers: Record<string, ModelServer> = {};
  /** The internal inference gateway. */
  public readonly gateway: InferenceGateway;

  constructor(scope: Construct, id: string, infra: GcpInferenceStack, platform: GcpInferencePlatformStack) {
    super(scope, id, infra);
    this.addDependency(platform);
    const metricsCollection = MetricsCollection.managedPrometheus({ project: PROJECT });
    const image = {
      repository: infra.registry.imageUrl('docker-hub', IMAGES.vllm.repository),
      tag: IMAGES.vllm.tag,
    };
    for (const m of infra.models) {
      this.servers[m.id] = new ModelServer(this, m.id, {
        model: m.sizing.model,
        quantization: m.sizing.quantization,
        accelerator: m.sizing.accelerator,
        weights: WeightsSource.bucket(`gs://${MODEL_BUCKET}/${m.weightsPrefix}/`),
        name: m.poolLabel,
        // Two servers run Llama 3.1 8B: distinct served names keep their queues (model_name) apart.
        servedModelName: m.weightsPrefix,
        namespace: SERVING_NAMESPACE,
        serviceAccountName: SERVING_SERVICE_ACCOUNT,
        nodeSelector: { [ACCELERATOR_NODE_LABEL]: m.sizing.accelerator.labelValue, model: m.poolLabel },
        image,
        metricsCollection,
        platform: platform.gpu,
        // Each pool's machine type holds one replica (sized from the same SizingResult).
        autoscaling: { maxReplicas: m.maxNodes },
        tracing: platform.traces,
      });
    }
    this.gateway = new InferenceGateway(this, 'Gateway', {
      platform: platform.gatewayPlatform,
      name: 'llm-gateway',
      namespace: SERVING_NAMESPACE,
      tls: { secretName: 'llm-gateway-tls' },
    });
    for (const m of infra.models) {
      const pool = new InferencePool(this, `${m.id}Pool`, {
        backend: ModelServerBackend.of(this.servers[m.id]),
        platform: platform.gatewayPlatform,
        metricsCollection,
        tracing: platform.traces,
      });
      this.gateway.addModel(m.id, {
        variants: [{ pool, weight: 1 }],
        hostnames: [`${m.poolLabel}.${SERVING_DOMAIN}`],
      });
    }
  }
}

/** Adds this example's stacks to `app`: infrastructure, in-cluster platform, workloads. */
export function build(app: App): TerraformStack[] {
  const infra = new GcpInferenceStack(app, 'gcp-inference');
  const platform = new GcpInferencePlatformStack(app, 'gcp-inference-platform', infra);
  const workloads = new GcpInferenceWorkloadsStack(app, 'gcp-inference-workloads', infra, platform);
  return [infra, platform, workloads];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
