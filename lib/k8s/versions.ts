/**
 * Every Helm chart and container image the Kubernetes module deploys, pinned in one place.
 *
 * Each pin names the release it was read from (`source`) and the day it was last checked
 * against the project's release tags (`checked`). Override a pin per construct when needed
 * (`ModelServerProps.image`); bump it here, with both fields, for everyone.
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

/** Where a pin was read and when it was last checked. */
export interface PinProvenance {
  /** URL of the release (tag, release page or chart file at the tag) the version was read from. */
  readonly source: string;
  /** Day the pin was last checked against the project's release tags, `YYYY-MM-DD`. */
  readonly checked: string;
}

/** A Helm chart pinned by this library, with its provenance. */
export interface PinnedHelmChart extends HelmChartVersion, PinProvenance {}

/** An image pinned by this library, with its provenance. */
export interface PinnedImage extends ImageVersion, PinProvenance {}

/** Names of the pinned Helm charts. */
export type HelmChartName =
  | 'gpuOperator'
  | 'nvidiaDevicePlugin'
  | 'dcgmExporter'
  | 'awsEfaDevicePlugin'
  | 'keda'
  | 'jobSet'
  | 'kueue'
  | 'kubePrometheusStack'
  | 'leaderWorkerSet';

/** The Helm charts, pinned. */
export const HELM_CHARTS: Readonly<Record<HelmChartName, PinnedHelmChart>> = {
  /** NVIDIA GPU Operator v26.7.0 (bundles device plugin v0.20.0 and dcgm-exporter 4.6.0-4.8.3). */
  gpuOperator: {
    repository: 'https://helm.ngc.nvidia.com/nvidia',
    chart: 'gpu-operator',
    version: 'v26.7.0',
    source: 'https://github.com/NVIDIA/gpu-operator/releases/tag/v26.7.0',
    checked: '2026-12-03',
  },
  /** Standalone NVIDIA device plugin 0.20.0 (`deployments/helm/nvidia-device-plugin/Chart.yaml` at v0.20.0). */
  nvidiaDevicePlugin: {
    repository: 'https://nvidia.github.io/k8s-device-plugin',
    chart: 'nvidia-device-plugin',
    version: '0.20.0',
    source: 'https://github.com/NVIDIA/k8s-device-plugin/releases/tag/v0.20.0',
    checked: '2026-12-03',
  },
  /** Standalone dcgm-exporter chart 4.8.2 (release 4.5.3-4.8.2). */
  dcgmExporter: {
    repository: 'https://nvidia.github.io/dcgm-exporter/helm-charts',
    chart: 'dcgm-exporter',
    version: '4.8.2',
    source: 'https://github.com/NVIDIA/dcgm-exporter/releases/tag/4.5.3-4.8.2',
    checked: '2026-12-03',
  },
  /**
   * AWS EFA device plugin from eks-charts: chart v0.5.30, plugin v0.5.20 (eks-charts versions
   * carry a `v` prefix).
   */
  awsEfaDevicePlugin: {
    repository: 'https://aws.github.io/eks-charts',
    chart: 'aws-efa-k8s-device-plugin',
    version: 'v0.5.30',
    source: 'https://github.com/aws/eks-charts/blob/bfe91c4b/stable/aws-efa-k8s-device-plugin/Chart.yaml',
    checked: '2026-12-03',
  },
  /** KEDA 2.20.2. */
  keda: {
    repository: 'https://kedacore.github.io/charts',
    chart: 'keda',
    version: '2.20.2',
    source: 'https://github.com/kedacore/charts/releases/tag/v2.20.2',
    checked: '2026-12-03',
  },
  /** JobSet 0.12.0 from the Kubernetes OCI registry. */
  jobSet: {
    repository: 'oci://registry.k8s.io/jobset/charts',
    chart: 'jobset',
    version: '0.12.0',
    source: 'https://github.com/kubernetes-sigs/jobset/releases/tag/v0.12.0',
    checked: '2026-12-03',
  },
  /** Kueue 0.19.2 from the Kubernetes OCI registry (the last release that serves `v1beta1` too). */
  kueue: {
    repository: 'oci://registry.k8s.io/kueue/charts',
    chart: 'kueue',
    version: '0.19.2',
    source: 'https://github.com/kubernetes-sigs/kueue/releases/tag/v0.19.2',
    checked: '2026-12-03',
  },
  /**
   * kube-prometheus-stack 88.5.3 (prometheus-operator v0.93.1). Newer majors (92.x) were
   * reported in December 2026 but no tag after 88.5.3 could be read to check the values keys
   * this library sets, so the pin stays until that check is made.
   */
  kubePrometheusStack: {
    repository: 'https://prometheus-community.github.io/helm-charts',
    chart: 'kube-prometheus-stack',
    version: '88.5.3',
    source: 'https://github.com/prometheus-community/helm-charts/releases/tag/kube-prometheus-stack-88.5.3',
    checked: '2026-12-03',
  },
  /**
   * LeaderWorkerSet v0.10.0 (controller `registry.k8s.io/lws/lws:v0.10.0`, API
   * `leaderworkerset.x-k8s.io/v1`) from the Kubernetes OCI registry, as its installation guide
   * installs it (`site/content/en/docs/installation/_index.md` at tag v0.10.0, commit 2161f38f:
   * `helm install lws oci://registry.k8s.io/lws/charts/lws --version=0.10.0 --namespace
   * lws-system`). Since v0.8.0 the CRDs ship in the chart's `crds/` directory: Helm installs them
   * on the first install and never upgrades them, so a later chart bump needs the CRDs applied
   * first (same guide, "Upgrade by Helm").
   */
  leaderWorkerSet: {
    repository: 'oci://registry.k8s.io/lws/charts',
    chart: 'lws',
    version: '0.10.0',
    source: 'https://github.com/kubernetes-sigs/lws/releases/tag/v0.10.0',
    checked: '2026-12-03',
  },
};

/** Names of the pinned images. */
export type ImageName =
  | 'vllm'
  | 'tritonTensorRtLlm'
  | 'dcgmExporter'
  | 'awsCli'
  | 'googleCloudCli'
  | 'sglang'
  | 'pause'
  | 'mlflow'
  | 'llamaCppServer'
  | 'llamaCppServerCuda';

/** The container images, pinned. */
export const IMAGES: Readonly<Record<ImageName, PinnedImage>> = {
  /**
   * vLLM OpenAI-compatible server v0.31.0 (v0.23.0 before: it predates security fixes).
   * `--shutdown-timeout` needs v0.18+; from v0.20 the server needs a UID with a passwd entry
   * (or `HOME`/`USER` set) when it runs as non-root.
   */
  vllm: {
    repository: 'vllm/vllm-openai',
    tag: 'v0.31.0',
    source: 'https://github.com/vllm-project/vllm/releases/tag/v0.31.0',
    checked: '2026-12-03',
  },
  /**
   * Triton Inference Server 26.03 (v2.67.0) with the TensorRT-LLM backend. Engines must be
   * built with the same TensorRT-LLM version, so this pin moves only with the engines users
   * build: 26.07 (v2.71.0) is the newest release.
   */
  tritonTensorRtLlm: {
    repository: 'nvcr.io/nvidia/tritonserver',
    tag: '26.03-trtllm-python-py3',
    source: 'https://github.com/triton-inference-server/server/releases/tag/v2.67.0',
    checked: '2026-12-03',
  },
  /** dcgm-exporter, the standalone chart's default image (`deployment/values.yaml` at 4.5.3-4.8.2). */
  dcgmExporter: {
    repository: 'nvcr.io/nvidia/k8s/dcgm-exporter',
    tag: '4.5.3-4.8.2-distroless',
    source: 'https://github.com/NVIDIA/dcgm-exporter/blob/4.5.3-4.8.2/deployment/values.yaml',
    checked: '2026-12-03',
  },
  /** AWS CLI v2 for the `s3://` weight-fetch init container (`aws s3 sync`). */
  awsCli: {
    repository: 'amazon/aws-cli',
    tag: '2.36.7',
    source: 'https://github.com/aws/aws-cli/releases/tag/2.36.7',
    checked: '2026-12-03',
  },
  /**
   * Google Cloud CLI for the `gs://` weight-fetch init container (`gcloud storage rsync`), from
   * the registry Google documents (`:VERSION-slim` tags). Google removes image versions older
   * than one year from its Cloud CLI image repositories ("Package retention policy" in
   * https://github.com/GoogleCloudPlatform/cloud-sdk-docker/blob/master/README.md, read
   * 2026-12-03): this pin must move at least yearly. The
   * former pin, Docker Hub `google/cloud-sdk:502.0.0-slim`, was older than that.
   */
  googleCloudCli: {
    repository: 'gcr.io/google.com/cloudsdktool/google-cloud-cli',
    tag: '573.0.0-slim',
    source: 'https://github.com/GoogleCloudPlatform/cloud-sdk-docker/blob/47328f70/README.md',
    checked: '2026-12-03',
  },
  /**
   * SGLang v0.5.20, the CUDA image from Docker Hub (`-cu130` tags are the CUDA 13 builds). The image defines no non-root user (`docker/Dockerfile` has no `USER`):
   * `SglangEngine` runs it as UID 1000 with `HOME` and `USER` set.
   */
  sglang: {
    repository: 'lmsysorg/sglang',
    tag: 'v0.5.20',
    source: 'https://github.com/sgl-project/sglang/releases/tag/v0.5.20',
    checked: '2026-12-03',
  },
  /**
   * The Kubernetes pause image 3.10 (the sandbox image of Kubernetes 1.31+, `build/pause`): the
   * main container of `ImagePrePuller`, which only has to stay alive. It runs as UID 65535.
   */
  pause: {
    repository: 'registry.k8s.io/pause',
    tag: '3.10',
    source: 'https://github.com/kubernetes/kubernetes/blob/v1.31.0/build/pause/CHANGELOG.md',
    checked: '2026-12-03',
  },
  /**
   * MLflow 3.16.1, the `-full` variant (`docker/Dockerfile.full`: `pip install
   * mlflow[extras,azure,db,gateway,genai,auth]`, so psycopg2, boto3, google-cloud-storage and the
   * basic-auth app are in it; the plain tag has none of them, `docker/README.md`; `-full` exists
   * from v3.9.0). The base is `python:3.11-slim` with no `USER`: `MlflowServer` runs it as UID
   * 1000 with `HOME=/tmp`. 3.16.0 was the current release on 2026-09-12 and 3.16.1 its patch.
   * The `mlflow server` flags the library passes were checked against the click definitions in
   * `mlflow/cli/__init__.py` and `mlflow/utils/cli_args.py` (mlflow/mlflow commits 00747dbb and
   * 004d7de0).
   */
  mlflow: {
    repository: 'ghcr.io/mlflow/mlflow',
    tag: 'v3.16.1-full',
    source: 'https://github.com/mlflow/mlflow/releases/tag/v3.16.1',
    checked: '2026-12-03',
  },
  /**
   * llama.cpp `llama-server` for CPU nodes, build b9994: the `server-b<build>` tag that
   * ggml-org/llama.cpp's `.github/workflows/docker.yml` pushes for every master build (CPU
   * variant: no type suffix). The tag was seen pinned, with its digest, by public consumers of
   * the image in 2026; the release is https://github.com/ggml-org/llama.cpp/releases/tag/b9994.
   * The image's entrypoint is `/app/llama-server`; it defines no user (`LlamaCppEngine` runs it
   * as UID 1000).
   */
  llamaCppServer: {
    repository: 'ghcr.io/ggml-org/llama.cpp',
    tag: 'server-b9994',
    source: 'https://github.com/ggml-org/llama.cpp/releases/tag/b9994',
    checked: '2026-12-03',
  },
  /** The CUDA build of the same llama.cpp release (`server-cuda-b<build>`), for layers offloaded to a GPU. */
  llamaCppServerCuda: {
    repository: 'ghcr.io/ggml-org/llama.cpp',
    tag: 'server-cuda-b9994',
    source: 'https://github.com/ggml-org/llama.cpp/releases/tag/b9994',
    checked: '2026-12-03',
  },
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
export type GatewayHelmChartName = 'llmdRouterGateway' | 'istioBase' | 'istiod' | 'llmdRouterStandalone';

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
   * Istio control plane; with the chart value `env.ENABLE_GATEWAY_API_INFERENCE_EXTENSION=true` it
   * accepts InferencePool backends and programs Envoy's ext_proc filter towards the EPP
   * (istio.io/latest/docs/tasks/traffic-management/ingress/gateway-api-inference-extension,
   * checked 2026-12-03).
   */
  istiod: {
    repository: 'https://istio-release.storage.googleapis.com/charts',
    chart: 'istiod',
    version: '1.29.2',
  },
  /**
   * llm-d-router v0.10.0, standalone mode: the endpoint picker with an Envoy proxy in front of
   * it (a sidecar in the EPP pod, or its own Deployment and Service), no Gateway API. With
   * `router.inferencePool.create: false` the EPP selects the model-server pods itself
   * (`--endpoint-selector`), so no CRD is needed. Envoy comes from the chart's `envoy` preset
   * (`docker.io/envoyproxy/envoy:distroless-v1.33.2` at this tag). Published by the same
   * `hack/push-chart.sh` (`CHART=llm-d-router-standalone`, `make helm-push-standalone`) with the
   * release tag as version. Source: github.com/llm-d/llm-d-router tag v0.10.0 (71f4f099),
   * `config/charts/llm-d-router-standalone`, `config/charts/README.md` ("Standalone Mode"),
   * `.github/ISSUE_TEMPLATE/new-release.md`; checked 2026-12-03.
   */
  llmdRouterStandalone: {
    repository: 'oci://ghcr.io/llm-d/charts',
    chart: 'llm-d-router-standalone',
    version: 'v0.10.0',
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

// ---------------------------------------------------------------------------------------------
// Operations pins (issue 12: traces, logs, cost). Kept in their own block: each entry names its
// source and the date it was checked.
// ---------------------------------------------------------------------------------------------

/** Names of the pinned operations charts. */
export type OpsHelmChartName = 'openTelemetryCollector' | 'openCost' | 'fluentBit' | 'tempo' | 'loki';

/** The operations Helm charts (traces, logs, cost), pinned. */
export const OPS_HELM_CHARTS: Readonly<Record<OpsHelmChartName, PinnedHelmChart>> = {
  /**
   * OpenTelemetry Collector chart 0.170.0 (collector 0.158.0, `appVersion` in its Chart.yaml). Newer
   * chart releases (0.184.0) were announced by December 2026, but 0.170.0 is the newest tag whose
   * values.yaml and templates could be read to check the keys this library sets.
   */
  openTelemetryCollector: {
    repository: 'https://open-telemetry.github.io/opentelemetry-helm-charts',
    chart: 'opentelemetry-collector',
    version: '0.170.0',
    source:
      'https://github.com/open-telemetry/opentelemetry-helm-charts/releases/tag/opentelemetry-collector-0.170.0',
    checked: '2026-12-03',
  },
  /**
   * OpenCost chart 2.5.17 (OpenCost 1.120.1, `appVersion` in its Chart.yaml; the chart's default
   * image is pinned by digest). The newest chart tag that could be read to check its values keys.
   */
  openCost: {
    repository: 'https://opencost.github.io/opencost-helm-chart',
    chart: 'opencost',
    version: '2.5.17',
    source: 'https://github.com/opencost/opencost-helm-chart/releases/tag/opencost-2.5.17',
    checked: '2026-12-03',
  },
  /** Fluent Bit chart 0.58.1 (Fluent Bit 5.1.1, `appVersion` in its Chart.yaml), a DaemonSet. */
  fluentBit: {
    repository: 'https://fluent.github.io/helm-charts',
    chart: 'fluent-bit',
    version: '0.58.1',
    source: 'https://github.com/fluent/helm-charts/releases/tag/fluent-bit-0.58.1',
    checked: '2026-12-03',
  },
  /**
   * Grafana Tempo single-binary chart 2.2.4 (Tempo 2.10.8, `appVersion` in its Chart.yaml), from
   * grafana-community/helm-charts, where Grafana moved its Tempo charts in January 2026
   * (grafana/helm-charts `charts/tempo` is deprecated since 1.24.4). Single binary, not
   * `tempo-distributed` 3.x: that chart runs Tempo 3.0, whose ingest path needs a Kafka-compatible
   * queue, and about ten Deployments, for the few spans per request a sampled LLM service sends.
   */
  tempo: {
    repository: 'https://grafana-community.github.io/helm-charts',
    chart: 'tempo',
    version: '2.2.4',
    source: 'https://github.com/grafana-community/helm-charts/tree/tempo-2.2.4/charts/tempo',
    checked: '2026-12-03',
  },
  /**
   * Grafana Loki chart 18.11.0 (Loki 3.7.6, `appVersion` in its Chart.yaml), from
   * grafana-community/helm-charts, where the OSS chart moved in March 2026 (grafana/loki
   * `production/helm/loki` is now for Grafana Enterprise Logs only, per its README).
   */
  loki: {
    repository: 'https://grafana-community.github.io/helm-charts',
    chart: 'loki',
    version: '18.11.0',
    source: 'https://github.com/grafana-community/helm-charts/tree/loki-18.11.0/charts/loki',
    checked: '2026-12-03',
  },
};

/** Names of the pinned operations images. */
export type OpsImageName = 'openTelemetryCollectorContrib';

/** The operations images, pinned. */
export const OPS_IMAGES: Readonly<Record<OpsImageName, PinnedImage>> = {
  /**
   * The collector's contrib distribution 0.158.0, the `appVersion` of the pinned chart. The
   * contrib build carries the `awsxray` and `googlecloud` exporters; the chart has no default
   * image, so it is set explicitly (`image.repository`).
   */
  openTelemetryCollectorContrib: {
    repository: 'otel/opentelemetry-collector-contrib',
    tag: '0.158.0',
    source:
      'https://github.com/open-telemetry/opentelemetry-helm-charts/blob/opentelemetry-collector-0.170.0/charts/opentelemetry-collector/Chart.yaml',
    checked: '2026-12-03',
  },
};

// Training schedulers (issue 13 §4). Each entry names its source and the date it was checked.

/** A pinned upstream release manifest (a multi-document YAML applied as is, never vendored). */
export interface PinnedManifestBundle extends PinProvenance {
  /** Project and version, for messages and docs. */
  readonly name: string;
  /** URL of the manifest at the release tag. */
  readonly url: string;
}

/**
 * The Kubeflow MPI Operator v0.8.0 (`kubeflow.org/v2beta1` MPIJob): the release's single-file
 * install, which holds the `mpi-operator` Namespace, the MPIJob CRD, RBAC and the controller
 * Deployment (image `mpioperator/mpi-operator:0.8.0`). The project ships no Helm chart.
 */
export const MPI_OPERATOR: PinnedManifestBundle = {
  name: 'Kubeflow MPI Operator v0.8.0',
  url: 'https://raw.githubusercontent.com/kubeflow/mpi-operator/v0.8.0/deploy/v2beta1/mpi-operator.yaml',
  source: 'https://github.com/kubeflow/mpi-operator/releases/tag/v0.8.0',
  checked: '2026-12-03',
};

/** Names of the pinned Slinky (Slurm on Kubernetes) charts. */
export type SlurmHelmChartName = 'slurmOperatorCrds' | 'slurmOperator';

/**
 * SchedMD's Slinky slurm-operator v1.2.1 (API `slinky.slurm.net/v1beta1`), the newest release
 * tag on 2026-12-03 (tag v1.2.1, commit 87313dac). The installation guide (`docs/installation.md`
 * at the tag) installs the two charts from `oci://ghcr.io/slinkyproject/charts`: the CRDs first,
 * then the operator and its admission webhook. The operator chart leaves its image tags empty and
 * uses its own chart version (`helm/slurm-operator/Chart.yaml`: version and appVersion 1.2.1), so
 * the chart pin pins the operator and webhook images too.
 */
export const SLURM_HELM_CHARTS: Readonly<Record<SlurmHelmChartName, PinnedHelmChart>> = {
  /** The six CRDs (`helm/slurm-operator-crds`, CRDs under `templates/`, so Helm upgrades them). */
  slurmOperatorCrds: {
    repository: 'oci://ghcr.io/slinkyproject/charts',
    chart: 'slurm-operator-crds',
    version: '1.2.1',
    source: 'https://github.com/SlinkyProject/slurm-operator/blob/v1.2.1/helm/slurm-operator-crds/Chart.yaml',
    checked: '2026-12-03',
  },
  /** The operator (`ghcr.io/slinkyproject/slurm-operator:1.2.1`) and webhook (`slurm-operator-webhook:1.2.1`). */
  slurmOperator: {
    repository: 'oci://ghcr.io/slinkyproject/charts',
    chart: 'slurm-operator',
    version: '1.2.1',
    source: 'https://github.com/SlinkyProject/slurm-operator/blob/v1.2.1/helm/slurm-operator/Chart.yaml',
    checked: '2026-12-03',
  },
};

// ---------------------------------------------------------------------------------------------
// GPU failure remediation pins (issue 12 §5, issue 13 §5). Kept in their own block: each entry
// names its source and the date it was checked.
// ---------------------------------------------------------------------------------------------

/** Names of the pinned remediation charts. */
export type RemediationHelmChartName = 'nvSentinel' | 'certManager';

/** The GPU-remediation Helm charts (NVSentinel and its cert-manager prerequisite), pinned. */
export const REMEDIATION_HELM_CHARTS: Readonly<Record<RemediationHelmChartName, PinnedHelmChart>> = {
  /**
   * NVIDIA NVSentinel v1.14.0, the umbrella chart `nvsentinel` from GitHub's OCI registry (the
   * release workflow packages `distros/kubernetes/nvsentinel` with the tag as chart version and
   * rewrites `global.image.tag` to the tag, `distros/kubernetes/Makefile` target `helm-publish`).
   * v1.14.0 was released on 2026-07-13 (the `chore(fern): register v1.14.0` commit 1abd31d that
   * moved the README's install command to it); the values keys this library sets were read at
   * 26d39eb, the last commit of `main` before that registration. NVIDIA's documentation site lists
   * releases up to v1.31.0 by December 2026, but no later chart source could be read here to check
   * the keys: bump this pin only with `test/consumers/chart-value-keys.ts` re-checked.
   */
  nvSentinel: {
    repository: 'oci://ghcr.io/nvidia',
    chart: 'nvsentinel',
    version: 'v1.14.0',
    source: 'https://github.com/NVIDIA/NVSentinel/releases/tag/v1.14.0',
    checked: '2026-12-03',
  },
  /**
   * cert-manager v1.21.1 (2026-07-29), the newest release tag: NVSentinel's MongoDB store issues
   * its TLS certificates through cert-manager (`docs/configuration/mongodb-store.md` at 26d39eb:
   * "cert-manager must be installed in the cluster before deploying mongodb-store"). Its pods run
   * non-root with every capability dropped and RuntimeDefault seccomp
   * (`deploy/charts/cert-manager/values.yaml` at v1.21.1, 24e33194).
   */
  certManager: {
    repository: 'https://charts.jetstack.io',
    chart: 'cert-manager',
    version: 'v1.21.1',
    source: 'https://github.com/cert-manager/cert-manager/releases/tag/v1.21.1',
    checked: '2026-12-03',
  },
};

/** Names of the pinned Slurm daemon images. */
export type SlurmImageName = 'slurmctld' | 'slurmd' | 'login' | 'slurmdbd';

/**
 * The Slurm daemon images SchedMD builds for Slinky, at the defaults of the `slurm` chart of the
 * pinned release (`helm/slurm/values.yaml` at tag v1.2.1: `26.05-ubuntu26.04`, Slurm 26.05; the
 * operator chart asks for Slurm 25.11 or newer, `slinky.slurm.net/minimum-slurm-version`).
 * The daemons of one cluster must run the same Slurm version: bump the four together.
 */
export const SLURM_IMAGES: Readonly<Record<SlurmImageName, PinnedImage>> = {
  /** The controller daemon (runs as the `slurm` user, UID 401). */
  slurmctld: {
    repository: 'ghcr.io/slinkyproject/slurmctld',
    tag: '26.05-ubuntu26.04',
    source: 'https://github.com/SlinkyProject/slurm-operator/blob/v1.2.1/helm/slurm/values.yaml',
    checked: '2026-12-03',
  },
  /** The compute-node daemon (runs as root in a privileged container). */
  slurmd: {
    repository: 'ghcr.io/slinkyproject/slurmd',
    tag: '26.05-ubuntu26.04',
    source: 'https://github.com/SlinkyProject/slurm-operator/blob/v1.2.1/helm/slurm/values.yaml',
    checked: '2026-12-03',
  },
  /** The login node (sshd, sackd and the Slurm client commands). */
  login: {
    repository: 'ghcr.io/slinkyproject/login',
    tag: '26.05-ubuntu26.04',
    source: 'https://github.com/SlinkyProject/slurm-operator/blob/v1.2.1/helm/slurm/values.yaml',
    checked: '2026-12-03',
  },
  /** The accounting daemon (runs as the `slurm` user, UID 401). */
  slurmdbd: {
    repository: 'ghcr.io/slinkyproject/slurmdbd',
    tag: '26.05-ubuntu26.04',
    source: 'https://github.com/SlinkyProject/slurm-operator/blob/v1.2.1/helm/slurm/values.yaml',
    checked: '2026-12-03',
  },
};

/** Names of the pinned remediation images. */
export type RemediationImageName = 'dcgm';

/** The images of the preflight checks, pinned. */
export const REMEDIATION_IMAGES: Readonly<Record<RemediationImageName, PinnedImage>> = {
  /**
   * DCGM 4.6.0 (`dcgmi`, `nv-hostengine`), the image and tag the pinned GPU Operator v26.7.0 runs
   * as its standalone host engine (`deployments/gpu-operator/values.yaml`, `dcgm.repository`,
   * `dcgm.image`, `dcgm.version`), so the preflight's `dcgmi` client matches the host engine.
   */
  dcgm: {
    repository: 'nvcr.io/nvidia/cloud-native/dcgm',
    tag: '4.6.0-1-ubuntu24.04',
    source: 'https://github.com/NVIDIA/gpu-operator/blob/v26.7.0/deployments/gpu-operator/values.yaml',
    checked: '2026-12-03',
  },
};

// GKE GPUDirect (issue 9 §2, issue 11 §2). Google publishes these as single-file manifests on the
// default branch of GoogleCloudPlatform/container-engine-accelerators (its tags stop in 2022) and
// GKE's guides apply them from there: pinned here to one commit of that branch.

/** The commit of GoogleCloudPlatform/container-engine-accelerators the GPUDirect manifests are pinned to (2026-06-11). */
export const GKE_ACCELERATORS_COMMIT = '992db81257553607f1477945f1b3219632991829';

const gkeAccelerators = (path: string): string =>
  `https://raw.githubusercontent.com/GoogleCloudPlatform/container-engine-accelerators/${GKE_ACCELERATORS_COMMIT}/${path}`;

/** Names of the pinned GKE GPUDirect manifests. */
export type GkeGpuDirectManifestName =
  'ncclTcpxInstaller' | 'ncclTcpxoInstaller' | 'ncclRdmaInstaller' | 'nriDeviceInjector';

/**
 * The GKE GPUDirect node-side installers, each a privileged DaemonSet in `kube-system` that
 * selects its nodes by `cloud.google.com/gke-accelerator` (read at the pinned commit).
 */
export const GKE_GPUDIRECT_MANIFESTS: Readonly<Record<GkeGpuDirectManifestName, PinnedManifestBundle>> = {
  /** GPUDirect-TCPX NCCL plugin v3.1.9 for `a3-highgpu-8g` (`nccl-plugin-gpudirecttcpx-dev:v3.1.9`; nodes `nvidia-h100-80gb`). */
  ncclTcpxInstaller: {
    name: 'GKE nccl-tcpx-installer (nccl-plugin-gpudirecttcpx v3.1.9)',
    url: gkeAccelerators('gpudirect-tcpx/nccl-tcpx-installer.yaml'),
    source: `https://github.com/GoogleCloudPlatform/container-engine-accelerators/blob/${GKE_ACCELERATORS_COMMIT}/gpudirect-tcpx/nccl-tcpx-installer.yaml`,
    checked: '2026-12-03',
  },
  /**
   * GPUDirect-TCPXO NCCL plugin v1.0.15 for `a3-megagpu-8g` (nodes `nvidia-h100-mega-80gb`). Its
   * pre-installation init container runs the image `ubuntu` without a tag (upstream's choice,
   * inside the pinned file): it only runs `nsenter` into the host.
   */
  ncclTcpxoInstaller: {
    name: 'GKE nccl-tcpxo-installer (nccl-plugin-gpudirecttcpx v1.0.15)',
    url: gkeAccelerators('gpudirect-tcpxo/nccl-tcpxo-installer.yaml'),
    source: `https://github.com/GoogleCloudPlatform/container-engine-accelerators/blob/${GKE_ACCELERATORS_COMMIT}/gpudirect-tcpxo/nccl-tcpxo-installer.yaml`,
    checked: '2026-12-03',
  },
  /** gIB (GPUDirect RDMA) NCCL plugin v1.1.1 for `a3-ultragpu-8g` and `a4-highgpu-8g` (nodes `nvidia-h200-141gb`, `nvidia-b200`). */
  ncclRdmaInstaller: {
    name: 'GKE nccl-rdma-installer (nccl-plugin-gib v1.1.1)',
    url: gkeAccelerators('gpudirect-rdma/nccl-rdma-installer.yaml'),
    source: `https://github.com/GoogleCloudPlatform/container-engine-accelerators/blob/${GKE_ACCELERATORS_COMMIT}/gpudirect-rdma/nccl-rdma-installer.yaml`,
    checked: '2026-12-03',
  },
  /**
   * The NRI device injector (image `gcr.io/gke-release/nri-device-injector` by digest) that
   * TCPX and TCPXO pods need to get GPU devices into their RxDM sidecar (nodes `nvidia-h100-80gb`,
   * `nvidia-h100-mega-80gb`, RTX PRO 6000).
   */
  nriDeviceInjector: {
    name: 'GKE NRI device injector',
    url: gkeAccelerators('nri_device_injector/nri-device-injector.yaml'),
    source: `https://github.com/GoogleCloudPlatform/container-engine-accelerators/blob/${GKE_ACCELERATORS_COMMIT}/nri_device_injector/nri-device-injector.yaml`,
    checked: '2026-12-03',
  },
};

/** Names of the pinned GKE GPUDirect sidecar images. */
export type GkeGpuDirectImageName = 'tcpxRxdm' | 'tcpxoRxdm';

/**
 * The Receive Data Path Manager (RxDM, `tcpgpudmarxd`) every TCPX / TCPXO pod runs as a sidecar,
 * each the version Google pairs with the NCCL plugin {@link GKE_GPUDIRECT_MANIFESTS} installs
 * (an RxDM and a plugin of different releases are not supported together).
 */
export const GKE_GPUDIRECT_IMAGES: Readonly<Record<GkeGpuDirectImageName, PinnedImage>> = {
  /**
   * RxDM v2.0.12 for GPUDirect-TCPX (`a3-highgpu-8g`), the one paired with the plugin v3.1.9
   * (Cluster Toolkit `modules/compute/gke-node-pool/gpu_direct.tf`: `rxdm_version = "v2.0.12" #
   * matching nccl-tcpx-installer version v3.1.9`; the pinned commit's `gpudirect-tcpx/nccl-test-latest.yaml`
   * runs it).
   */
  tcpxRxdm: {
    repository: 'us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpx/tcpgpudmarxd-dev',
    tag: 'v2.0.12',
    source: `https://github.com/GoogleCloudPlatform/container-engine-accelerators/blob/${GKE_ACCELERATORS_COMMIT}/gpudirect-tcpx/nccl-test-latest.yaml`,
    checked: '2026-12-03',
  },
  /**
   * RxDM ("TCPXO-daemon") v1.0.21 for GPUDirect-TCPXO (`a3-megagpu-8g`), the release paired
   * with the plugin v1.0.15 (`gpudirect-tcpxo/README.md`, release of Jan 9, 2026, at the pinned
   * commit, whose last change bumped it: "bump tcpxo-daemon version to 1.0.21 and remove
   * deprecated flags").
   */
  tcpxoRxdm: {
    repository: 'us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/tcpgpudmarxd-dev',
    tag: 'v1.0.21',
    source: `https://github.com/GoogleCloudPlatform/container-engine-accelerators/blob/${GKE_ACCELERATORS_COMMIT}/gpudirect-tcpxo/README.md`,
    checked: '2026-12-03',
  },
};
