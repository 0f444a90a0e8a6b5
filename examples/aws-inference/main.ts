/**
 * aws-inference: EKS inference pools sized from the models they serve: Llama 3.1 70B in AWQ on
 * L40S (g6e) and Llama 3.1 8B in INT8 on A10G (g5), both scaling from zero, and Llama 3.1 405B
 * in BF16 across two p5.48xlarge per replica (tensor parallel 8 x pipeline parallel 2, a
 * LeaderWorkerSet over EFA in a cluster placement group, from zero nodes); an ECR registry
 * with pull-through caches and a model bucket; Amazon Managed Prometheus alerting, SLOs and
 * cost-allocation rules; traces to X-Ray; container logs in CloudWatch Logs with alarms; a budget.
 *
 * Three stacks, applied in order:
 * - `aws-inference`: the AWS resources above.
 * - `aws-inference-platform`: in-cluster operators on the EKS cluster (the AWS Load Balancer
 *   Controller, whose IAM role and Pod Identity association live in `aws-inference`; NVIDIA
 *   device plugin and dcgm-exporter, KEDA, kube-prometheus-stack remote-writing to the AMP workspace through the
 *   collector's Pod Identity role; the Gateway API and Inference Extension CRDs and Istio with
 *   the inference extension). These install CRDs. Also OpenCost (GPU-aware list prices), an
 *   OpenTelemetry Collector exporting to X-Ray and Fluent Bit shipping to CloudWatch Logs.
 * - `aws-inference-workloads`: the two model servers (vLLM), streaming their weights from the
 *   registry's model bucket under a Pod Identity role, autoscaled by KEDA on queue depth; an
 *   InferencePool with its endpoint picker per server, behind one inference gateway on an
 *   internal NLB (IP targets, created by the AWS Load Balancer Controller; TLS from the
 *   `llm-gateway-tls` Secret), each model on its own host name under `llm.internal.acme-ml.example`.
 * The Kubernetes and Helm providers of the last two are configured from the cluster's outputs
 * (cross-stack references) and authenticate with `aws eks get-token`.
 *
 * Synthesizes with no credentials: the provider is configured with plain values and no data
 * source is read at synth time.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { App, TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import {
  AwsLoadBalancerController,
  BudgetAlarm,
  EksCluster,
  GpuNetwork,
  ContainerLogs,
  InferenceNodeGroup,
  Monitoring,
  PullThroughCache,
  Registry,
  TraceExportRole,
} from '../../lib/aws';
import {
  Accelerator,
  Capacity,
  ModelSpec,
  Quantization,
  ServiceLevelObjective,
  SizingResult,
  SloIndicator,
  sizeModel,
  Tags,
} from '../../lib/core';
import { EksClusterStack, ampRemoteWritingMonitoring } from '../shared/cluster-stacks';
import {
  GatewayExposure,
  GatewayImplementation,
  GpuNodeImage,
  GpuPlatform,
  InferenceGateway,
  InferenceGatewayPlatform,
  InferencePool,
  LogDestination,
  LogShipper,
  ModelServer,
  ModelServerBackend,
  OpenCost,
  PodSecurityLevel,
  ENDPOINT_PICKER_POD_SECURITY_LEVEL,
  ServingFabric,
  TraceBackend,
  TraceCollector,
  WeightsSource,
  gpuHourlyPriceOf,
  podSecurityLabels,
} from '../../lib/k8s';

const REGION = 'us-west-2';
/** Namespace and service account of the model servers (the Pod Identity role is bound to them). */
const SERVING = { namespace: 'llm', serviceAccount: 'model-server' };
/**
 * Namespace and service account of the multi-node server: its pods add IPC_LOCK for EFA, which
 * Pod Security "restricted" refuses, so they get a namespace of their own.
 */
const MULTI_NODE = { namespace: 'llm-multinode', serviceAccount: 'model-server' };
/** Tag of the vLLM image with the EFA installer and aws-ofi-nccl, built into the registry's `serving/vllm`. */
const VLLM_EFA_TAG = 'v0.31.0-efa';
/** DNS suffix of the models' host names on the internal gateway (a private hosted zone you own). */
const SERVING_DOMAIN = 'llm.internal.acme-ml.example';
/** The namespace label that names the owning team (cost allocation). */
const TEAM_LABEL = 'team';

/** The inference platform. */
export class AwsInferenceStack extends TerraformStack {
  public readonly cluster: EksCluster;
  public readonly registry: Registry;
  public readonly monitoring: Monitoring;
  public readonly containerLogs: ContainerLogs;
  public readonly llama70b: SizingResult;
  public readonly llama8b: SizingResult;
  public readonly llama405b: SizingResult;
  public readonly h100: InferenceNodeGroup;
  public readonly pools: InferenceNodeGroup[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: REGION });
    Tags.of(this).setCostAllocationTag('project', 'llm-serving');

    const network = new GpuNetwork(this, 'Network', {
      availabilityZones: ['us-west-2a', 'us-west-2b', 'us-west-2c'],
      // The multi-node pool's nodes share one AZ (EFA, cluster placement group).
      trainingAvailabilityZone: 'us-west-2a',
    });
    const cluster = (this.cluster = new EksCluster(this, 'Cluster', {
      network,
      clusterName: 'llm-serving',
      endpointPublicAccess: true,
      publicAccessCidrs: ['203.0.113.0/24'],
      // Enforce the model servers' NetworkPolicies (VPC CNI network policy agent).
      networkPolicy: true,
    }));

    const llama70b = (this.llama70b = sizeModel({
      model: ModelSpec.LLAMA_3_1_70B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L40S,
    }));
    const llama8b = (this.llama8b = sizeModel({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.INT8,
      accelerator: Accelerator.A10G,
    }));
    const l40s = cluster.addInferenceNodeGroup('L40S', {
      accelerator: Accelerator.L40S,
      sizing: llama70b,
      minNodes: 1,
      maxNodes: 6,
    });
    const a10g = cluster.addInferenceNodeGroup('A10G', {
      accelerator: Accelerator.A10G,
      sizing: llama8b,
      maxNodes: 8,
      capacity: Capacity.spot(),
    });
    // Llama 3.1 405B BF16 does not fit 8 x H100: 2 nodes of 8 (the vLLM Llama 3.1 blog layout).
    const llama405b = (this.llama405b = sizeModel({
      model: ModelSpec.LLAMA_3_1_405B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
      maxNodesPerReplica: 2,
    }));
    const h100 = (this.h100 = cluster.addInferenceNodeGroup('H100', {
      accelerator: Accelerator.H100,
      sizing: llama405b,
      maxNodes: 2 * llama405b.nodesPerReplica,
    }));
    this.pools = [l40s, a10g, h100];

    const registry = (this.registry = new Registry(this, 'Registry', {
      repositories: ['serving/vllm'],
      mutableTagFilters: ['latest'],
      pullThroughCaches: [
        PullThroughCache.ecrPublic(),
        PullThroughCache.kubernetes(),
        PullThroughCache.quay(),
      ],
    }));
    registry.grantPull(cluster.nodeRole);
    registry.grantReadModels(cluster.addWorkloadRole('ModelServer', SERVING));
    registry.grantReadModels(cluster.addWorkloadRole('MultiNodeModelServer', MULTI_NODE));

    const monitoring = (this.monitoring = new Monitoring(this, 'Monitoring', {
      cluster,
      emails: ['ml-oncall@example.com'],
      alertRules: { servingMatchers: ['namespace="llm"'] },
      // Error-budget alerts (multiwindow, multi-burn-rate) as AMP recording and alerting rules.
      slos: [
        new ServiceLevelObjective({
          name: 'llama-70b-availability',
          indicator: SloIndicator.AVAILABILITY,
          model: ModelSpec.LLAMA_3_1_70B.name,
          objectivePercent: 99.9,
          matchers: ['namespace="llm"'],
        }),
        new ServiceLevelObjective({
          name: 'llama-70b-ttft',
          indicator: SloIndicator.TIME_TO_FIRST_TOKEN,
          model: ModelSpec.LLAMA_3_1_70B.name,
          objectivePercent: 99,
          latencyThresholdSeconds: 1, // a bucket boundary of vllm:time_to_first_token_seconds
          matchers: ['namespace="llm"'],
        }),
      ],
      // Cost per model, namespace and team, recorded by the workspace from the remote-written
      // OpenCost, vLLM and kube-state-metrics series.
      costAllocation: { teamLabel: TEAM_LABEL, servingMatchers: ['namespace="llm"'] },
    }));
    new BudgetAlarm(this, 'Budget', { emails: ['finops@example.com'], topic: monitoring.topic });

    // Traces: the collector's Pod Identity role, allowed to write X-Ray segments only.
    new TraceExportRole(this, 'TraceExport', { cluster });
    // Logs: a KMS-encrypted log group with 30 days of retention, the shipper's Pod Identity role
    // and an alarm per engine failure pattern (CUDA OOM, NCCL errors) to the on-call topic.
    this.containerLogs = new ContainerLogs(this, 'ContainerLogs', {
      cluster,
      retentionDays: 30,
      topic: monitoring.topic,
    });

    new TerraformOutput(this, 'pools', {
      value: {
        l40s: {
          instance_types: l40s.instanceTypes,
          gpus_per_node: l40s.gpusPerNode,
          tensor_parallel_size: llama70b.tensorParallelSize,
        },
        a10g: {
          instance_types: a10g.instanceTypes,
          gpus_per_node: a10g.gpusPerNode,
          tensor_parallel_size: llama8b.tensorParallelSize,
        },
        h100: {
          instance_types: h100.instanceTypes,
          gpus_per_node: h100.gpusPerNode,
          nodes_per_replica: h100.nodesPerReplica,
          tensor_parallel_size: llama405b.tensorParallelSize,
          pipeline_parallel_size: llama405b.pipelineParallelSize,
        },
      },
    });
  }
}

/** Adds this example's stacks to `app`. */
export function build(app: App): TerraformStack[] {
  const infra = new AwsInferenceStack(app, 'aws-inference');

  const platform = new EksClusterStack(app, 'aws-inference-platform', infra.cluster);
  platform.addDependency(infra);
  const monitoring = ampRemoteWritingMonitoring(platform, infra.monitoring, {
    prometheusStorageGiB: 50,
    // Cost per 1,000 tokens on the serving dashboard, from the catalogue's dated prices.
    gpuHourlyPrices: infra.pools.map((p) => gpuHourlyPriceOf(p.instanceType)),
    // The workspace records the cost series; kube-state-metrics exports the team label.
    costAllocation: { teamLabel: TEAM_LABEL, recordingRules: false },
  });
  // OpenCost's custom pricing holds one GPU price per cluster: with three GPU types every GPU is
  // priced at the highest (warning k8s-opencost-one-gpu-price) until a billing export is set.
  new OpenCost(platform, 'OpenCost', {
    monitoring,
    gpuHourlyPrices: infra.pools.map((p) => gpuHourlyPriceOf(p.instanceType)),
    clusterId: infra.cluster.clusterName,
  });
  // Spans from the model servers and endpoint pickers to X-Ray (10% of new traces).
  const traces = new TraceCollector(platform, 'Traces', {
    backends: [TraceBackend.awsXRay({ region: REGION })],
    monitoring,
  });
  // Container logs to the CloudWatch log group of the infrastructure stack.
  new LogShipper(platform, 'Logs', {
    destinations: [
      LogDestination.cloudWatch({ region: REGION, logGroupName: infra.containerLogs.logGroupName }),
    ],
    monitoring,
  });

  const gpu = new GpuPlatform(platform, 'Gpu', {
    nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, // AL2023 NVIDIA AMI: driver and toolkit preinstalled
    monitoring,
    jobSet: false,
    kueue: false,
    efa: true,
    leaderWorkerSet: true,
  });

  // Provisions the gateway's internal NLB (IP targets) from its Service annotations.
  new AwsLoadBalancerController(platform, 'LoadBalancerController', { cluster: infra.cluster });
  const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', {
    implementation: GatewayImplementation.istio(),
  });

  const workloads = new EksClusterStack(app, 'aws-inference-workloads', infra.cluster);
  workloads.addDependency(platform);
  const ns = new NamespaceV1(workloads, 'ServingNamespace', {
    // The model servers meet "restricted", the endpoint pickers (chart without securityContext
    // values) "baseline": enforce baseline, audit and warn at restricted.
    metadata: {
      name: SERVING.namespace,
      labels: podSecurityLabels(ENDPOINT_PICKER_POD_SECURITY_LEVEL, PodSecurityLevel.RESTRICTED),
    },
  });
  new ServiceAccountV1(workloads, 'ModelServerAccount', {
    metadata: { name: SERVING.serviceAccount, namespace: SERVING.namespace },
    dependsOn: [ns],
  });
  const models = `s3://${infra.registry.modelBucket!.bucket}`;
  const gateway = new InferenceGateway(workloads, 'Gateway', {
    platform: gatewayPlatform,
    name: 'llm-gateway',
    namespace: SERVING.namespace,
    // An internal NLB with IP targets, made by the AWS Load Balancer Controller installed above.
    exposure: GatewayExposure.awsInternalNlb(),
    tls: { secretName: 'llm-gateway-tls' },
    monitoring,
  });
  for (const [id, sizing, weights, maxReplicas] of [
    ['Llama70B', infra.llama70b, 'llama-3.1-70b-instruct-awq', 6],
    ['Llama8B', infra.llama8b, 'llama-3.1-8b-instruct-w8a8', 8],
  ] as const) {
    const server = new ModelServer(workloads, id, {
      model: sizing.model,
      quantization: sizing.quantization,
      accelerator: sizing.accelerator,
      weights: WeightsSource.bucket(`${models}/${weights}/`),
      namespace: SERVING.namespace,
      serviceAccountName: SERVING.serviceAccount,
      autoscaling: { maxReplicas },
      monitoring,
      platform: gpu,
      tracing: traces,
    });
    const pool = new InferencePool(workloads, `${id}Pool`, {
      backend: ModelServerBackend.of(server),
      platform: gatewayPlatform,
      monitoring,
      tracing: traces,
    });
    gateway.addModel(id, {
      variants: [{ pool, weight: 1 }],
      hostnames: [`${server.servedModelName.replace(/\./g, '-')}.${SERVING_DOMAIN}`],
    });
  }

  // Llama 3.1 405B across two p5.48xlarge per replica: a LeaderWorkerSet group over EFA. EFA pods
  // add IPC_LOCK, outside "baseline": the namespace enforces "privileged" and audits and warns at
  // "restricted", so anything else that loosens a pod shows up.
  const multiNodeNs = new NamespaceV1(workloads, 'MultiNodeNamespace', {
    metadata: {
      name: MULTI_NODE.namespace,
      labels: podSecurityLabels(PodSecurityLevel.PRIVILEGED, PodSecurityLevel.RESTRICTED),
    },
  });
  new ServiceAccountV1(workloads, 'MultiNodeModelServerAccount', {
    metadata: { name: MULTI_NODE.serviceAccount, namespace: MULTI_NODE.namespace },
    dependsOn: [multiNodeNs],
  });
  const llama405b = new ModelServer(workloads, 'Llama405B', {
    model: infra.llama405b.model,
    quantization: infra.llama405b.quantization,
    accelerator: infra.llama405b.accelerator,
    maxNodesPerReplica: infra.llama405b.nodesPerReplica,
    fabric: ServingFabric.efa({ devicesPerNode: infra.h100.efaDevicesPerNode }),
    image: { repository: infra.registry.repositories['serving/vllm'].repositoryUrl, tag: VLLM_EFA_TAG },
    weights: WeightsSource.bucket(`${models}/llama-3.1-405b-instruct/`),
    namespace: MULTI_NODE.namespace,
    serviceAccountName: MULTI_NODE.serviceAccount,
    // 756 GiB read from S3 by both nodes: measure the rate and set it to size the probes tighter.
    weightsLoadMiBPerSecond: 500,
    autoscaling: { maxReplicas: infra.h100.maxNodes / infra.llama405b.nodesPerReplica },
    monitoring,
    platform: gpu,
    networkPolicy: { clientNamespaces: [SERVING.namespace] },
    tracing: traces,
  });
  const llama405bPool = new InferencePool(workloads, 'Llama405BPool', {
    backend: ModelServerBackend.of(llama405b),
    platform: gatewayPlatform,
    monitoring,
    tracing: traces,
  });
  gateway.addModel('Llama405B', {
    variants: [{ pool: llama405bPool, weight: 1 }],
    hostnames: [`${llama405b.servedModelName.replace(/\./g, '-')}.${SERVING_DOMAIN}`],
  });
  return [infra, platform, workloads];
}

if (require.main === module) {
  const app = new App();
  build(app);
  app.synth();
}
