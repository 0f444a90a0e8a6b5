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
