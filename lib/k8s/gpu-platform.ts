import { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ITerraformDependable, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { ACCELERATOR_NODE_LABEL, Validate, ValidationError, Warnings } from '../core';
import { IGpuPlatform, IMonitoringStack } from './interfaces';
import {
  MANAGED_BY,
  assertDnsLabel,
  dependOnStackOf,
  gpuToleration,
  registerCrdInstaller,
  toYaml,
} from './private/common';
import { PodSecurityLevel, podSecurityLabels } from './pod-security';
import { dcgmCountersCsv } from './private/dcgm';
import { AppliedBundle, applyManifestBundle } from './private/manifest-bundle';
import { HELM_CHARTS, HelmChartVersion, IMAGES, MPI_OPERATOR } from './versions';

const DCGM_COUNTERS_CONFIGMAP = 'dcgm-exporter-counters';
const JOBSET_NAMESPACE = 'jobset-system';
const KUEUE_NAMESPACE = 'kueue-system';
/** The namespace LeaderWorkerSet's installation guide uses (`--namespace lws-system`). */
const LWS_NAMESPACE = 'lws-system';

/** What the GPU nodes' OS image already ships. Decides what the platform installs. */
export enum GpuNodeImage {
  /**
   * Driver, container toolkit and device plugin are part of the node (for example Bottlerocket
   * NVIDIA variants, GKE with automatic driver installation). Nothing else is installed for
   * the GPUs; dcgm-exporter still runs.
   */
  DRIVER_TOOLKIT_AND_DEVICE_PLUGIN = 'driver-toolkit-device-plugin',
  /**
   * Driver and container toolkit are preinstalled (for example the EKS AL2023 / AL2 NVIDIA
   * AMIs): only the device plugin is added (or the GPU Operator with `driver.enabled=false`
   * and `toolkit.enabled=false`).
   */
  DRIVER_AND_TOOLKIT = 'driver-toolkit',
  /** A plain OS image (typical on-prem): the GPU Operator installs the driver and toolkit. */
  NO_GPU_SOFTWARE = 'none',
}

/** How the GPUs are managed in-cluster. */
export enum GpuManagement {
  /** The standalone NVIDIA device plugin and the standalone dcgm-exporter chart. */
  DEVICE_PLUGIN = 'device-plugin',
  /** The NVIDIA GPU Operator (driver, toolkit, device plugin, GFD, DCGM exporter as needed). */
  GPU_OPERATOR = 'gpu-operator',
}

/** Properties of a {@link GpuPlatform}. */
export interface GpuPlatformProps {
  /** What the GPU nodes' image ships; see {@link GpuNodeImage}. */
  readonly nodeImage: GpuNodeImage;
  /**
   * Device plugin or GPU Operator.
   * @default GpuManagement.GPU_OPERATOR when the image has no GPU software, otherwise GpuManagement.DEVICE_PLUGIN
   */
  readonly management?: GpuManagement;
  /**
   * The monitoring stack: dcgm-exporter's ServiceMonitor gets its `release` label, and the
   * charts are installed after it (the ServiceMonitor CRD comes from it).
   * @default - dcgm-exporter runs without a ServiceMonitor (and a warning is raised)
   */
  readonly monitoring?: IMonitoringStack;
  /**
   * Install the AWS EFA device plugin (`vpc.amazonaws.com/efa` resources) on EFA nodes.
   * @default false
   */
  readonly efa?: boolean;
  /**
   * Install dcgm-exporter (the standalone chart, or the GPU Operator's). Turn it off where the
   * platform exports DCGM metrics itself, for example GKE's managed DCGM package (GkeCluster
   * `dcgmMonitoring`, Google-managed drivers) feeding Managed Prometheus.
   * @default true
   */
  readonly dcgmExporter?: boolean;
  /**
   * Install KEDA (needed by ModelServer autoscaling).
   * @default true
   */
  readonly keda?: boolean;
  /**
   * Annotations on the KEDA operator's Kubernetes service account
   * ({@link GpuPlatform.KEDA_OPERATOR_SERVICE_ACCOUNT}), giving KEDA the cloud identity its
   * pod-identity TriggerAuthentications use: on GKE
   * `{ 'iam.gke.io/gcp-service-account': '<gsa>@<project>.iam.gserviceaccount.com' }` (Workload
   * Identity to a Google service account with `roles/monitoring.viewer`, for autoscaling on
   * Managed Prometheus); on EKS with IRSA `{ 'eks.amazonaws.com/role-arn': '...' }`.
   * @default - none
   */
  readonly kedaServiceAccountAnnotations?: Record<string, string>;
  /**
   * Install JobSet (needed by TrainingJob).
   * @default true
   */
  readonly jobSet?: boolean;
  /**
   * Install Kueue (needed by TrainingQueues).
   * @default true
   */
  readonly kueue?: boolean;
  /**
   * Install LeaderWorkerSet (needed by a ModelServer whose replica spans several nodes,
   * `maxNodesPerReplica` above 1): the controller, its webhook and the
   * `leaderworkerset.x-k8s.io` CRD, in the `lws-system` namespace.
   * @default false
   */
  readonly leaderWorkerSet?: boolean;
  /**
   * Install the Kubeflow MPI Operator ({@link MPI_OPERATOR}: the MPIJob CRD, its RBAC and the
   * controller in namespace `mpi-operator`), needed by MpiJob and NcclTest. Installed before
   * Kueue so that Kueue manages MPIJobs.
   * @default false
   */
  readonly mpiOperator?: boolean;
  /**
   * Run DCGM's host engine as its own DaemonSet (GPU Operator `dcgm.enabled`, Service
   * `nvidia-dcgm` on port 5555 with `internalTrafficPolicy: Local`, so a client reaches the host
   * engine of its own node) instead of embedded in dcgm-exporter. NVSentinel's GPU health monitor
   * and the preflight DCGM diagnostics connect to it ({@link GpuPlatform.dcgmHostEngineAddress}).
   * Needs `management` GPU_OPERATOR.
   * @see https://github.com/NVIDIA/gpu-operator/blob/v26.7.0/assets/state-dcgm/0500_service.yaml
   * @default false
   */
  readonly standaloneDcgm?: boolean;
  /**
   * Export DCGM profiling metrics (`DCGM_FI_PROF_*`: tensor-core and DRAM activity). Some GPUs
   * and environments do not support them and the exporter fails (reference §14.7).
   * @default true
   */
  readonly profilingMetrics?: boolean;
  /**
   * Namespace of the NVIDIA components (created).
   * @default 'nvidia-gpu'
   */
  readonly namespace?: string;
}

/** A Kubernetes service account by namespace and name. */
export interface KubernetesServiceAccountRef {
  /** Namespace. */
  readonly namespace: string;
  /** Name. */
  readonly name: string;
}

/** A GPU platform chart, as used by {@link GpuPlatform.releases}. */
export type GpuPlatformComponent =
  | 'nvidia-device-plugin'
  | 'gpu-operator'
  | 'dcgm-exporter'
  | 'aws-efa-device-plugin'
  | 'keda'
  | 'jobset'
  | 'kueue'
  | 'lws';

/**
 * The in-cluster GPU platform: the NVIDIA device plugin or GPU Operator (driver and toolkit
 * only where the node image lacks them), the EFA device plugin when asked, dcgm-exporter with
 * the counters the alert rules need and a ServiceMonitor the monitoring stack selects, KEDA,
 * JobSet and Kueue, and LeaderWorkerSet when asked (multi-node model servers). All Helm releases,
 * pinned in `versions.ts`.
 *
 * These charts install CRDs: put the GpuPlatform in a "platform" stack and the custom
 * resources that use them (ModelServer autoscaling, TrainingJob, TrainingQueues) in a later
 * stack. Passing the platform to those constructs orders the stacks for you.
 *
 * @see https://docs.nvidia.com/datacenter/cloud-native/gpu-operator/latest/getting-started.html
 * @example
 * const monitoring = new MonitoringStack(platformStack, 'Monitoring', {});
 * new GpuPlatform(platformStack, 'Gpu', { nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT, monitoring, efa: true });
 */
export class GpuPlatform extends Construct implements IGpuPlatform {
  /**
   * The KEDA operator's Kubernetes service account (chart `serviceAccount.operator.name`, pinned
   * in the values), for Workload Identity or IRSA bindings made outside the cluster.
   */
  public static readonly KEDA_OPERATOR_SERVICE_ACCOUNT: KubernetesServiceAccountRef = {
    namespace: 'keda',
    name: 'keda-operator',
  };

  /** Whether KEDA is installed. */
  public readonly kedaInstalled: boolean;
  /** Whether dcgm-exporter is installed. */
  public readonly dcgmExporterInstalled: boolean;
  /** Annotations on the KEDA operator's service account (`kedaServiceAccountAnnotations`). */
  public readonly kedaServiceAccountAnnotations: Readonly<Record<string, string>>;
  /** Whether JobSet is installed. */
  public readonly jobSetInstalled: boolean;
  /** Whether Kueue is installed. */
  public readonly kueueInstalled: boolean;
  /** Whether LeaderWorkerSet is installed. */
  public readonly leaderWorkerSetInstalled: boolean;
  /** Whether the MPI Operator is installed. */
  public readonly mpiOperatorInstalled: boolean;
  /** Namespace of the NVIDIA components. */
  public readonly namespace: string;
  /**
   * `host:port` of the standalone DCGM host engine (`standaloneDcgm`), for example
   * `nvidia-dcgm.nvidia-gpu.svc:5555`; absent when DCGM runs embedded in dcgm-exporter.
   */
  public readonly dcgmHostEngineAddress?: string;
  /** The management mode in effect. */
  public readonly management: GpuManagement;
  /** The Helm releases, by component. */
  public readonly releases: Partial<Record<GpuPlatformComponent, Release>> = {};
  /**
   * The namespaces this construct creates for KEDA, JobSet and Kueue (by name), labelled with
   * the Pod Security level their pinned charts' pods meet ("restricted").
   */
  public readonly namespaces: Record<string, NamespaceV1> = {};
  /**
   * The NVIDIA namespace, when something is deployed into it (the GPU Operator, the device
   * plugin or dcgm-exporter); absent otherwise, for example on GKE with Google-managed drivers
   * and `dcgmExporter: false`.
   */
  public readonly resource?: NamespaceV1;

  constructor(scope: Construct, id: string, props: GpuPlatformProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.oneOf(this, 'nodeImage', props.nodeImage, Object.values(GpuNodeImage));
    if (props.management !== undefined)
      Validate.oneOf(this, 'management', props.management, Object.values(GpuManagement));
    for (const b of [
      'efa',
      'dcgmExporter',
      'keda',
      'jobSet',
      'kueue',
      'leaderWorkerSet',
      'mpiOperator',
      'profilingMetrics',
      'standaloneDcgm',
    ] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    if (props.kedaServiceAccountAnnotations !== undefined) {
      const ann = Validate.stringMap(
        this,
        'kedaServiceAccountAnnotations',
        props.kedaServiceAccountAnnotations,
      );
      Object.keys(ann).forEach((k) => Validate.k8sLabelKey(this, 'kedaServiceAccountAnnotations', k));
    }
    this.namespace = props.namespace ?? 'nvidia-gpu';
    assertDnsLabel(this, 'namespace', this.namespace);
    this.management =
      props.management ??
      (props.nodeImage === GpuNodeImage.NO_GPU_SOFTWARE
        ? GpuManagement.GPU_OPERATOR
        : GpuManagement.DEVICE_PLUGIN);
    if (props.nodeImage === GpuNodeImage.NO_GPU_SOFTWARE && this.management === GpuManagement.DEVICE_PLUGIN) {
      throw new ValidationError(
        `'management' DEVICE_PLUGIN cannot work with 'nodeImage' NO_GPU_SOFTWARE: the device plugin needs the NVIDIA ` +
          `driver and container toolkit on the node. Use GpuManagement.GPU_OPERATOR (it installs them) or a GPU node image.`,
        this,
      );
    }
    if (props.standaloneDcgm && this.management !== GpuManagement.GPU_OPERATOR) {
      throw new ValidationError(
        `'standaloneDcgm' needs 'management' GPU_OPERATOR (it is the GPU Operator's \`dcgm.enabled\`), got '${this.management}'. ` +
          `Set management: GpuManagement.GPU_OPERATOR or drop standaloneDcgm.`,
        this,
      );
    }
    if (props.standaloneDcgm) this.dcgmHostEngineAddress = `nvidia-dcgm.${this.namespace}.svc:5555`;
    this.kedaInstalled = props.keda ?? true;
    this.jobSetInstalled = props.jobSet ?? true;
    this.kueueInstalled = props.kueue ?? true;
    this.leaderWorkerSetInstalled = props.leaderWorkerSet ?? false;
    this.mpiOperatorInstalled = props.mpiOperator ?? false;
    this.dcgmExporterInstalled = props.dcgmExporter ?? true;
    const kedaAnnotations = props.kedaServiceAccountAnnotations ?? {};
    this.kedaServiceAccountAnnotations = { ...kedaAnnotations };
    if (!this.kedaInstalled && Object.keys(kedaAnnotations).length) {
      throw new ValidationError(
        `'kedaServiceAccountAnnotations' is given but 'keda' is false: there is no KEDA service account to annotate. ` +
          `Enable keda or drop the annotations.`,
        this,
      );
    }
    const profiling = props.profilingMetrics ?? true;
    const monitoring = props.monitoring;
    if (monitoring) {
      dependOnStackOf(this, monitoring);
      if (!this.dcgmExporterInstalled) {
        Warnings.add(
          this,
          'k8s-dcgm-exporter-disabled',
          `'dcgmExporter' is false but a 'monitoring' stack is given: nothing exports DCGM metrics to its Prometheus, so ` +
            `its GPU alerts and dashboards see nothing. Keep dcgmExporter on, or read GPU metrics where the platform ` +
            `sends them (GKE managed DCGM: Managed Prometheus and the GCP Monitoring alert policies).`,
        );
      }
    } else if (this.dcgmExporterInstalled) {
      Warnings.add(
        this,
        'k8s-dcgm-unscraped',
        `no 'monitoring' given: dcgm-exporter runs without a ServiceMonitor, so the GPU alerts and dashboards see nothing.`,
      );
    }
    // Releases in the same stack as the monitoring chart wait for it (its CRDs).
    const monitoringRelease = monitoring?.node.defaultChild;
    const afterMonitoring: ITerraformDependable[] =
      monitoring &&
      TerraformStack.of(monitoring) === TerraformStack.of(this) &&
      monitoringRelease instanceof TerraformResource
        ? [monitoringRelease]
        : [];

    // The driver, toolkit and device-plugin pods and dcgm-exporter (SYS_ADMIN, hostPath) violate the
    // baseline Pod Security Standard: clusters enforcing it would reject them (GPU Operator install guide).
    // Created only when one of them is deployed: an empty privileged namespace is a place where any
    // pod may run privileged.
    const devicePlugin =
      this.management === GpuManagement.DEVICE_PLUGIN && props.nodeImage === GpuNodeImage.DRIVER_AND_TOOLKIT;
    const nvidiaComponents =
      this.management === GpuManagement.GPU_OPERATOR || devicePlugin || this.dcgmExporterInstalled;
    const namespace = nvidiaComponents
      ? new NamespaceV1(this, 'Namespace', {
          metadata: {
            name: this.namespace,
            labels: { ...MANAGED_BY, 'pod-security.kubernetes.io/enforce': 'privileged' },
          },
        })
      : undefined;
    this.resource = namespace;
    if (namespace) this.node.defaultChild = namespace;
    const inNamespace: ITerraformDependable[] = namespace ? [namespace] : [];

    const toleration = gpuToleration();
    const gpuNodeAffinity = {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: ACCELERATOR_NODE_LABEL, operator: 'Exists' }] },
            { matchExpressions: [{ key: 'nvidia.com/gpu.present', operator: 'In', values: ['true'] }] },
            {
              matchExpressions: [
                { key: 'feature.node.kubernetes.io/pci-10de.present', operator: 'In', values: ['true'] },
              ],
            },
          ],
        },
      },
    };
    // The exporter labels each GPU's series with the pod, namespace and container using it
    // (DCGM_EXPORTER_KUBERNETES). Prometheus would overwrite those with the exporter's own
    // target labels (or rename them exported_*): drop the target labels so the GPU -> pod
    // mapping the alert rules and dashboards rely on survives (reference §14.6).
    const serviceMonitor = monitoring
      ? {
          enabled: true,
          interval: '15s',
          honorLabels: true,
          relabelings: [{ action: 'labeldrop', regex: '^(pod|namespace|container)$' }],
          additionalLabels: { ...monitoring.selectorLabels },
        }
      : { enabled: false };

    const counters = this.dcgmExporterInstalled
      ? [
          new ConfigMapV1(this, 'DcgmCounters', {
            metadata: { name: DCGM_COUNTERS_CONFIGMAP, namespace: this.namespace, labels: { ...MANAGED_BY } },
            data: { 'dcgm-metrics.csv': dcgmCountersCsv(profiling) },
            dependsOn: inNamespace,
          }),
        ]
      : [];

    if (this.management === GpuManagement.GPU_OPERATOR) {
      const installDriver = props.nodeImage === GpuNodeImage.NO_GPU_SOFTWARE;
      this.releases['gpu-operator'] = this.release(
        'GpuOperator',
        'gpu-operator',
        HELM_CHARTS.gpuOperator,
        this.namespace,
        {
          driver: { enabled: installDriver },
          toolkit: { enabled: installDriver },
          devicePlugin: { enabled: props.nodeImage !== GpuNodeImage.DRIVER_TOOLKIT_AND_DEVICE_PLUGIN },
          ...(props.standaloneDcgm ? { dcgm: { enabled: true } } : {}),
          daemonsets: { tolerations: [toleration] },
          dcgmExporter: this.dcgmExporterInstalled
            ? {
                enabled: true,
                config: { name: DCGM_COUNTERS_CONFIGMAP },
                env: [
                  { name: 'DCGM_EXPORTER_COLLECTORS', value: '/etc/dcgm-exporter/dcgm-metrics.csv' },
                  { name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' },
                ],
                serviceMonitor,
              }
            : { enabled: false },
        },
        [...inNamespace, ...counters, ...afterMonitoring],
        900,
      );
      if (this.dcgmExporterInstalled) {
        this.releases['dcgm-exporter'] = this.releases['gpu-operator'];
      }
    } else {
      if (devicePlugin) {
        this.releases['nvidia-device-plugin'] = this.release(
          'DevicePlugin',
          'nvidia-device-plugin',
          HELM_CHARTS.nvidiaDevicePlugin,
          this.namespace,
          { tolerations: [toleration], affinity: gpuNodeAffinity },
          inNamespace,
        );
      }
      if (this.dcgmExporterInstalled) {
        this.releases['dcgm-exporter'] = this.release(
          'DcgmExporter',
          'dcgm-exporter',
          HELM_CHARTS.dcgmExporter,
          this.namespace,
          {
            image: { repository: IMAGES.dcgmExporter.repository, tag: IMAGES.dcgmExporter.tag },
            arguments: ['-f', '/etc/dcgm-exporter/custom/dcgm-metrics.csv'],
            extraConfigMapVolumes: [
              { name: 'custom-counters', configMap: { name: DCGM_COUNTERS_CONFIGMAP } },
            ],
            extraVolumeMounts: [
              { name: 'custom-counters', mountPath: '/etc/dcgm-exporter/custom', readOnly: true },
            ],
            // The chart's DaemonSet sets DCGM_EXPORTER_KUBERNETES=true (pod mapping) itself.
            serviceMonitor,
            tolerations: [toleration],
            affinity: gpuNodeAffinity,
          },
          [...inNamespace, ...counters, ...afterMonitoring],
        );
      }
    }

    if (props.efa ?? false) {
      this.releases['aws-efa-device-plugin'] = this.release(
        'EfaDevicePlugin',
        'aws-efa-k8s-device-plugin',
        HELM_CHARTS.awsEfaDevicePlugin,
        'kube-system',
        {
          tolerations: [
            toleration,
            { key: 'vpc.amazonaws.com/efa', operator: 'Exists', effect: 'NoSchedule' },
          ],
        },
        [],
      );
    }

    const crdGroups: string[] = [];
    if (this.management === GpuManagement.GPU_OPERATOR) {
      crdGroups.push('nvidia.com');
    }
    if (this.kedaInstalled) {
      const kedaValues = Object.keys(kedaAnnotations).length
        ? {
            serviceAccount: {
              operator: {
                name: GpuPlatform.KEDA_OPERATOR_SERVICE_ACCOUNT.name,
                annotations: kedaAnnotations,
              },
            },
          }
        : {};
      // kedacore/charts v2.20.2 (cbb9bb8c) keda/values.yaml: operator, metrics server and webhooks run
      // with runAsNonRoot, every capability dropped, no privilege escalation and RuntimeDefault seccomp.
      const ns = this.restrictedNamespace('KedaNamespace', 'keda');
      this.releases.keda = this.release('Keda', 'keda', HELM_CHARTS.keda, 'keda', kedaValues, [ns], 600);
      crdGroups.push('keda.sh');
    }
    if (this.jobSetInstalled) {
      // kubernetes-sigs/jobset v0.12.0 (f22e565a) charts/jobset/values.yaml: controller.podSecurityContext
      // runAsNonRoot + RuntimeDefault seccomp, controller.securityContext drops ALL, no escalation.
      const ns = this.restrictedNamespace('JobSetNamespace', JOBSET_NAMESPACE);
      this.releases.jobset = this.release(
        'JobSet',
        'jobset',
        HELM_CHARTS.jobSet,
        JOBSET_NAMESPACE,
        {},
        [ns],
        600,
      );
      crdGroups.push('jobset.x-k8s.io');
      // The chart's metrics Service (jobset-metrics-service: controller selector labels, port
      // 'https' 8443, secure controller-runtime endpoint) is always rendered, its ServiceMonitor
      // only with prometheus.enable and without the release label: scrape it from the monitoring
      // chart so jobset_failed_total (JobSetFailed alert, training dashboard) exists.
      monitoring?.addScrapeTarget({
        name: 'jobset-controller-manager',
        namespace: JOBSET_NAMESPACE,
        matchLabels: { 'app.kubernetes.io/name': 'jobset', 'app.kubernetes.io/component': 'controller' },
        port: 'https',
        scheme: 'https',
        serviceAccountAuth: true,
      });
    }
    let mpiOperator: AppliedBundle | undefined;
    if (this.mpiOperatorInstalled) {
      mpiOperator = applyManifestBundle(this, 'MpiOperator', MPI_OPERATOR.url);
      crdGroups.push('kubeflow.org');
    }
    if (this.kueueInstalled) {
      // Kueue manages JobSets (and MPIJobs) when their CRD exists at start-up: install it after them.
      const after: ITerraformDependable[] = [
        ...(this.releases.jobset ? [this.releases.jobset] : []),
        ...(mpiOperator ? [mpiOperator.objects] : []),
      ];
      // kubernetes-sigs/kueue v0.19.2 (8eab6877) charts/kueue/values.yaml: controllerManager.manager
      // podSecurityContext runAsNonRoot + RuntimeDefault seccomp, containerSecurityContext drops ALL,
      // no escalation (KueueViz, off by default, the same).
      const ns = this.restrictedNamespace('KueueNamespace', KUEUE_NAMESPACE);
      this.releases.kueue = this.release(
        'Kueue',
        'kueue',
        HELM_CHARTS.kueue,
        KUEUE_NAMESPACE,
        {},
        [ns, ...after],
        600,
      );
      crdGroups.push('kueue.x-k8s.io');
      // Kueue's own ServiceMonitor cannot carry the monitoring stack's release label: let the
      // monitoring chart scrape its secure metrics endpoint (kueue_pending_workloads, ...).
      monitoring?.addScrapeTarget({
        name: 'kueue-controller-manager',
        namespace: KUEUE_NAMESPACE,
        matchLabels: { 'app.kubernetes.io/name': 'kueue', 'app.kubernetes.io/component': 'metrics-service' },
        port: 'https',
        scheme: 'https',
        serviceAccountAuth: true,
      });
    }
    if (this.leaderWorkerSetInstalled) {
      // The chart's own values pin the controller image to the release (hack/push-chart.sh
      // rewrites image.manager.tag when it packages a release), so nothing is overridden.
      this.releases.lws = this.release(
        'LeaderWorkerSet',
        'lws',
        HELM_CHARTS.leaderWorkerSet,
        LWS_NAMESPACE,
        {},
        [],
        600,
        true,
      );
      crdGroups.push('leaderworkerset.x-k8s.io');
    }
    registerCrdInstaller(this, crdGroups);
  }

  /**
   * A namespace for a chart whose pods all meet Pod Security "restricted" as the pinned chart
   * ships them, created here (not by Helm) so it carries the labels that enforce that level.
   */
  private restrictedNamespace(id: string, name: string): NamespaceV1 {
    const ns = new NamespaceV1(this, id, {
      metadata: { name, labels: { ...MANAGED_BY, ...podSecurityLabels(PodSecurityLevel.RESTRICTED) } },
    });
    this.namespaces[name] = ns;
    return ns;
  }

  private release(
    id: string,
    name: string,
    chart: HelmChartVersion,
    namespace: string,
    values: Record<string, unknown>,
    dependsOn: ITerraformDependable[],
    timeoutSeconds = 600,
    createNamespace = false,
  ): Release {
    return new Release(this, id, {
      name,
      namespace,
      createNamespace,
      repository: chart.repository,
      chart: chart.chart,
      version: chart.version,
      values: Object.keys(values).length ? [toYaml(values)] : undefined,
      timeout: timeoutSeconds,
      atomic: true,
      cleanupOnFail: true,
      dependsOn: dependsOn.length ? dependsOn : undefined,
    });
  }
}
