/**
 * Every Helm chart and container image the Kubernetes module deploys, pinned in one place.
 *
 * Source: `reference/kubernetes.md` §5 (images) and §6 (charts), versions as of Aug 2026.
 * Entries marked VERIFY in their doc comment are not confirmed by the reference; check them
 * before a production rollout and override them per construct when needed.
 */

/** A pinned Helm chart: where it lives, its name and version. */
export interface HelmChartVersion {
  /** Chart repository URL, `https://...` or an OCI registry path `oci://...`. */
  readonly repository: string;
  /** Chart name inside the repository. */
  readonly chart: string;
  /** Exact chart version (never a range). */
  readonly version: string;
}

/** A pinned container image. */
export interface ImageVersion {
  /** Registry and repository, for example `vllm/vllm-openai`. */
  readonly repository: string;
  /** Exact tag (never `latest`). */
  readonly tag: string;
}

/** Names of the pinned Helm charts. */
export type HelmChartName =
  | 'gpuOperator'
  | 'nvidiaDevicePlugin'
  | 'dcgmExporter'
  | 'awsEfaDevicePlugin'
  | 'keda'
  | 'jobSet'
  | 'kueue'
  | 'kubePrometheusStack';

/** The Helm charts, pinned. */
export const HELM_CHARTS: Readonly<Record<HelmChartName, HelmChartVersion>> = {
  /** NVIDIA GPU Operator v26.7.0 (reference §6; bundles device plugin v0.20.0 and dcgm-exporter 4.6.0-4.8.3). */
  gpuOperator: {
    repository: 'https://helm.ngc.nvidia.com/nvidia',
    chart: 'gpu-operator',
    version: 'v26.7.0',
  },
  /**
   * Standalone NVIDIA device plugin. VERIFY: the reference only states that GPU Operator
   * v26.7.0 bundles device plugin v0.20.0; this pins the standalone chart at the same version
   * (the chart version follows the plugin version).
   */
  nvidiaDevicePlugin: {
    repository: 'https://nvidia.github.io/k8s-device-plugin',
    chart: 'nvidia-device-plugin',
    version: '0.20.0',
  },
  /** Standalone dcgm-exporter chart 4.8.2 (reference §4, §6). */
  dcgmExporter: {
    repository: 'https://nvidia.github.io/dcgm-exporter/helm-charts',
    chart: 'dcgm-exporter',
    version: '4.8.2',
  },
  /**
   * AWS EFA device plugin from eks-charts. VERIFY: not in the reference; v0.5.10 is the
   * minimum the project brief names (eks-charts versions carry a `v` prefix).
   */
  awsEfaDevicePlugin: {
    repository: 'https://aws.github.io/eks-charts',
    chart: 'aws-efa-k8s-device-plugin',
    version: 'v0.5.10',
  },
  /** KEDA 2.20.2 (reference §4, §6). */
  keda: {
    repository: 'https://kedacore.github.io/charts',
    chart: 'keda',
    version: '2.20.2',
  },
  /** JobSet 0.12.0 from the Kubernetes OCI registry (reference §6). */
  jobSet: {
    repository: 'oci://registry.k8s.io/jobset/charts',
    chart: 'jobset',
    version: '0.12.0',
  },
  /** Kueue 0.19.2 from the Kubernetes OCI registry (reference §3.1, §6). */
  kueue: {
    repository: 'oci://registry.k8s.io/kueue/charts',
    chart: 'kueue',
    version: '0.19.2',
  },
  /** kube-prometheus-stack 88.5.3 (reference §4, §6). */
  kubePrometheusStack: {
    repository: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '88.5.3',
  },
};

/** Names of the pinned images. */
export type ImageName = 'vllm' | 'tritonTensorRtLlm' | 'dcgmExporter' | 'awsCli' | 'googleCloudCli';

/** The container images, pinned. */
export const IMAGES: Readonly<Record<ImageName, ImageVersion>> = {
  /**
   * vLLM OpenAI-compatible server. `--shutdown-timeout` needs v0.18+ (reference §7, §14.10).
   * VERIFY: v0.23.0 is inferred from the KServe preset `vllm/vllm-openai-cpu:v0.23.0` (reference §2);
   * confirm the GPU tag before rollout.
   */
  vllm: { repository: 'vllm/vllm-openai', tag: 'v0.23.0' },
  /**
   * Triton Inference Server with the TensorRT-LLM backend (reference §5: tags 24.08, 25.04,
   * 25.12, 26.03 seen in public code). Engines must be built with the same TensorRT-LLM version.
   */
  tritonTensorRtLlm: { repository: 'nvcr.io/nvidia/tritonserver', tag: '26.03-trtllm-python-py3' },
  /** dcgm-exporter, the standalone chart's default image (reference §5). */
  dcgmExporter: { repository: 'nvcr.io/nvidia/k8s/dcgm-exporter', tag: '4.5.3-4.8.2-distroless' },
  /**
   * AWS CLI for the `s3://` weight-fetch init container. VERIFY: not in the reference; any
   * AWS CLI v2 tag works (`aws s3 sync`).
   */
  awsCli: { repository: 'amazon/aws-cli', tag: '2.22.35' },
  /**
   * Google Cloud CLI for the `gs://` weight-fetch init container. VERIFY: not in the
   * reference; any recent `-slim` tag works (`gcloud storage rsync`).
   */
  googleCloudCli: { repository: 'google/cloud-sdk', tag: '502.0.0-slim' },
};

/** `repository:tag` of an image. */
export function imageRef(image: ImageVersion): string {
  return `${image.repository}:${image.tag}`;
}

// ---------------------------------------------------------------------------------------------
// Inference gateway pins (issue 8 §2). Kept in their own block: each entry names its source and
// the date it was checked.
// ---------------------------------------------------------------------------------------------

/** Names of the pinned inference-gateway charts. */
export type GatewayHelmChartName = 'llmdRouterGateway' | 'istioBase' | 'istiod';

/** The inference-gateway Helm charts, pinned. */
export const GATEWAY_HELM_CHARTS: Readonly<Record<GatewayHelmChartName, HelmChartVersion>> = {
  /**
   * llm-d-router v0.10.0, gateway mode: one release per InferencePool renders the
   * InferencePool (`inference.networking.k8s.io/v1`), the endpoint picker (EPP) Deployment,
   * Service, RBAC, its EndpointPickerConfig ConfigMap and a ServiceMonitor or PodMonitoring.
   * Published by `hack/push-chart.sh` with the release tag as chart version and the EPP image
   * `ghcr.io/llm-d/llm-d-router-endpoint-picker:v0.10.0` as default.
   * Source: github.com/llm-d/llm-d-router tag v0.10.0, `config/charts/llm-d-router-gateway`,
   * `config/charts/README.md`; checked 2026-12-03.
   */
  llmdRouterGateway: {
    repository: 'oci://ghcr.io/llm-d/charts',
    chart: 'llm-d-router-gateway',
    version: 'v0.10.0',
  },
  /**
   * Istio CRDs and cluster-wide resources. 1.29.2 is the Istio version the llm-d gateway guide
   * installs with the inference extension enabled (llm-d.ai/docs/resources/gateway/istio,
   * checked 2026-12-03). The release is applied before `istiod`.
   */
  istioBase: {
    repository: 'https://istio-release.storage.googleapis.com/charts',
    chart: 'base',
    version: '1.29.2',
  },
  /**
   * Istio control plane; with `pilot.env.ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true` it
   * accepts InferencePool backends and programs Envoy's ext_proc filter towards the EPP
   * (istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api-inference-extension,
   * checked 2026-12-03).
   */
  istiod: {
    repository: 'https://istio-release.storage.googleapis.com/charts',
    chart: 'istiod',
    version: '1.29.2',
  },
};

/** A pinned upstream release asset holding CustomResourceDefinitions (applied, never vendored). */
export interface CrdBundleVersion {
  /** Project and version, for messages and docs. */
  readonly name: string;
  /** Release asset URL (a multi-document YAML of CRDs). */
  readonly url: string;
}

/** Names of the pinned CRD bundles. */
export type CrdBundleName = 'gatewayApi' | 'inferenceExtension';

/** The CRD bundles the inference gateway needs, pinned. */
export const GATEWAY_CRD_BUNDLES: Readonly<Record<CrdBundleName, CrdBundleVersion>> = {
  /**
   * Gateway API v1.5.1, standard channel (Gateway, GatewayClass, HTTPRoute, GRPCRoute,
   * ReferenceGrant, BackendTLSPolicy): the version llm-d-router v0.10.0 installs
   * (`deploy/components/crds-gateway-api/kustomization.yaml` at tag v0.10.0; checked 2026-12-03).
   */
  gatewayApi: {
    name: 'Gateway API v1.5.1 (standard channel)',
    url: 'https://github.com/kubernetes-sigs/gateway-api/releases/download/v1.5.1/standard-install.yaml',
  },
  /**
   * Gateway API Inference Extension v1.5.0, v1 APIs only (`InferencePool`,
   * `inference.networking.k8s.io/v1`): the version llm-d-router v0.10.0 is tested with
   * (`deploy/components/crds-gie/kustomization.yaml` at tag v0.10.0; checked 2026-12-03).
   */
  inferenceExtension: {
    name: 'Gateway API Inference Extension v1.5.0 (v1 manifests)',
    url: 'https://github.com/kubernetes-sigs/gateway-api-inference-extension/releases/download/v1.5.0/v1-manifests.yaml',
  },
};

/** A pinned image split as the llm-d-router chart takes it (`registry`, `repository`, `tag`). */
export interface RegistryImageVersion {
  /** Registry host and organisation, for example `ghcr.io/llm-d`. */
  readonly registry: string;
  /** Repository inside the registry. */
  readonly repository: string;
  /** Exact tag (never `latest` or `main`). */
  readonly tag: string;
}

/** The inference-gateway images, pinned. */
export const GATEWAY_IMAGES: Readonly<Record<'endpointPicker', RegistryImageVersion>> = {
  /**
   * The llm-d-router endpoint picker (EPP) of release v0.10.0, the image `hack/push-chart.sh`
   * writes into the released chart (the chart source defaults to `main`, pulled `Always`).
   * Source: github.com/llm-d/llm-d-router tag v0.10.0, `hack/push-chart.sh`; checked 2026-12-03.
   */
  endpointPicker: { registry: 'ghcr.io/llm-d', repository: 'llm-d-router-endpoint-picker', tag: 'v0.10.0' },
};
