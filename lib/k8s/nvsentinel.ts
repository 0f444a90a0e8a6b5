import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { ITerraformDependable, TerraformResource, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { Validate, ValidationError, Warnings } from '../core';
import { GpuManagement, GpuPlatform } from './gpu-platform';
import { IGpuPlatform, IMonitoringStack } from './interfaces';
import { PodSecurityLevel, podSecurityLabels } from './pod-security';
import { MANAGED_BY, assertDnsLabel, dependOnStackOf, toYaml } from './private/common';
import { addPinnedRelease } from './private/helm-release';
import { REMEDIATION_HELM_CHARTS } from './versions';

/**
 * How NVSentinel's node drainer evicts the pods of a namespace from a quarantined node (chart
 * value `node-drainer.userNamespaces[].mode`, `docs/configuration/node-drainer.md` at NVSentinel
 * 26d39eb).
 */
export enum NvSentinelEvictionMode {
  /**
   * Evict at once through the Eviction API (grace period `evictionTimeoutInSeconds`, 60 s). For
   * training gangs: the evicted pod carries the `DisruptionTarget` condition, so a
   * {@link TrainingJob} restarts the whole gang from its newest checkpoint without spending
   * `maxRestarts`.
   */
  IMMEDIATE = 'Immediate',
  /** Wait for the pods to finish on their own (their `terminationGracePeriodSeconds` applies). */
  ALLOW_COMPLETION = 'AllowCompletion',
  /** Wait up to `deleteAfterTimeoutMinutes` (60) after the fault, then force-delete what is left. */
  DELETE_AFTER_TIMEOUT = 'DeleteAfterTimeout',
}

/** Properties of an {@link NvSentinel}. */
export interface NvSentinelProps {
  /**
   * The GPU platform. NVSentinel's GPU health monitor reads GPU health from DCGM's standalone host
   * engine, so the platform must run the GPU Operator with `standaloneDcgm: true` (a
   * {@link GpuPlatform}), or be an `IGpuPlatform` with a `dcgmHostEngineAddress` (a GPU Operator
   * installed by other means).
   */
  readonly platform: IGpuPlatform;
  /**
   * The monitoring stack: a PodMonitor with its `release` label scrapes NVSentinel's metrics
   * (`fault_quarantine_*`, `node_drainer_*`), which the `gpu-remediation` alert rules read.
   * @default - no PodMonitor (and a warning: the quarantine alerts see nothing)
   */
  readonly monitoring?: IMonitoringStack;
  /**
   * Detect and log, but do not cordon, taint or drain (chart `global.dryRun`). Use it for a first
   * rollout to see which nodes NVSentinel would quarantine.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Namespaces of training jobs: their pods are evicted from a quarantined node at once
   * ({@link NvSentinelEvictionMode.IMMEDIATE}), so a gang stalled on a broken GPU restarts from
   * its newest checkpoint on healthy nodes instead of waiting for the hang to time out.
   * @default - none
   */
  readonly trainingNamespaces?: string[];
  /**
   * Eviction mode of every other user namespace (`*`).
   * @default NvSentinelEvictionMode.ALLOW_COMPLETION (the chart's default)
   */
  readonly defaultEvictionMode?: NvSentinelEvictionMode;
  /**
   * Install cert-manager ({@link REMEDIATION_HELM_CHARTS}.certManager, with its CRDs, namespace
   * `cert-manager` enforcing Pod Security "restricted"). NVSentinel's MongoDB store creates its
   * TLS Issuers and Certificates through it. Set false when the cluster already runs cert-manager.
   * @default true
   */
  readonly installCertManager?: boolean;
  /**
   * Namespace (created). Its pods include host-level DaemonSets (the GPU and syslog health
   * monitors read `/var/log` and the node's journal), so it enforces Pod Security "privileged".
   * @default 'nvsentinel'
   */
  readonly namespace?: string;
}

/** The node label prefix NVSentinel's fault quarantine writes (`fault-quarantine.labelPrefix`). */
export const NVSENTINEL_LABEL_PREFIX = 'k8saas.nvidia.com/';

const CERT_MANAGER_NAMESPACE = 'cert-manager';

/**
 * NVIDIA NVSentinel, the in-cluster GPU fault pipeline (pinned chart
 * {@link REMEDIATION_HELM_CHARTS}.nvSentinel): the GPU health monitor (DCGM health watches: ECC,
 * XID, NVLink, PCIe, thermal) and the syslog health monitor (kernel XID/SXID messages) report
 * faults; fault quarantine cordons the node on a fatal one (the chart's default rule sets), and
 * the node drainer evicts its pods (training namespaces at once, see `trainingNamespaces`). The
 * MongoDB store (a three-member replica set with TLS from cert-manager and PersistentVolumes of
 * the default StorageClass) holds the health events the modules watch.
 *
 * Repair of the node itself is left to the cloud (EKS node auto repair, GKE auto-repair) or to
 * an operator: NVSentinel's fault-remediation module (reboot or GPU reset through its janitor)
 * stays off, and a node stays cordoned until it is repaired or uncordoned.
 *
 * Prerequisites, all checked or installed here: the GPU Operator with DCGM as a standalone host
 * engine (`GpuPlatform` `standaloneDcgm`, refused otherwise), cert-manager (installed unless
 * `installCertManager` is false) and, for the quarantine alerts, a monitoring stack. The circuit
 * breaker of fault quarantine (chart default) stops cordoning once half the nodes were cordoned
 * within five minutes; `NVSentinelQuarantineBreakerTripped` alerts on it.
 *
 * Costs (requests, chart defaults at 26d39eb): about 4.3 vCPU and 6 GiB for the controllers
 * (three MongoDB members at 1 vCPU and 1.5 GiB each, fault quarantine 1 vCPU and 1 GiB, the node
 * drainer 0.2 vCPU and 300 MiB, the labeler 0.1 vCPU and 128 MiB) plus three 8 GiB volumes; on
 * every node the platform connector (0.2 vCPU, 512 MiB; it tolerates every taint); on each GPU
 * node the GPU and syslog health monitors and the metadata collector (0.1 vCPU, 128 MiB each).
 *
 * The MongoDB images are the chart's Bitnami images (`bitnamilegacy/mongodb`), built for amd64
 * only: system nodes must be amd64.
 *
 * @see https://github.com/NVIDIA/NVSentinel/tree/1abd31d/distros/kubernetes
 * @example
 * const gpu = new GpuPlatform(platform, 'Gpu', {
 *   nodeImage: GpuNodeImage.DRIVER_AND_TOOLKIT,
 *   management: GpuManagement.GPU_OPERATOR,
 *   standaloneDcgm: true,
 *   monitoring,
 * });
 * new NvSentinel(platform, 'NvSentinel', { platform: gpu, monitoring, trainingNamespaces: ['training'] });
 */
export class NvSentinel extends Construct {
  /** The NVSentinel Helm release. */
  public readonly resource: Release;
  /** The cert-manager release, when installed here. */
  public readonly certManager?: Release;
  /** Namespace. */
  public readonly namespace: string;
  /** Whether NVSentinel only reports (no cordon or drain). */
  public readonly dryRun: boolean;
  /** The Helm values given to the chart. */
  public readonly values: Readonly<Record<string, unknown>>;

  constructor(scope: Construct, id: string, props: NvSentinelProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const platform = props.platform;
    if (typeof platform !== 'object' || platform === null || typeof platform.node?.path !== 'string') {
      throw new ValidationError(
        `'platform' must be a GpuPlatform or another IGpuPlatform construct, got ${typeof platform}.`,
        this,
        'type',
      );
    }
    const ours = platform instanceof GpuPlatform ? platform : undefined;
    if ((ours && ours.management !== GpuManagement.GPU_OPERATOR) || !platform.dcgmHostEngineAddress) {
      const state = ours
        ? `management '${ours.management}', standaloneDcgm ${ours.dcgmHostEngineAddress ? 'true' : 'false'}`
        : `its 'dcgmHostEngineAddress' is unset`;
      throw new ValidationError(
        `'platform' (${platform.node.path}) runs no standalone DCGM host engine (${state}): NVSentinel's GPU health monitor connects to ` +
          `DCGM's host engine Service. Create the GpuPlatform with management: GpuManagement.GPU_OPERATOR and standaloneDcgm: true` +
          (ours
            ? '.'
            : `, or give the IGpuPlatform the 'host:port' of the GPU Operator's nvidia-dcgm Service.`),
        this,
      );
    }
    const dcgmHostEngineAddress = platform.dcgmHostEngineAddress;
    if (!/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?:[0-9]{1,5}$/.test(dcgmHostEngineAddress)) {
      throw new ValidationError(
        `'platform' (${platform.node.path}) has dcgmHostEngineAddress '${dcgmHostEngineAddress}', which is not 'host:port' ` +
          `(for example 'nvidia-dcgm.gpu-operator.svc:5555'): give the address of the GPU Operator's nvidia-dcgm Service.`,
        this,
      );
    }
    this.dryRun = props.dryRun === undefined ? false : Validate.boolean(this, 'dryRun', props.dryRun);
    const installCertManager =
      props.installCertManager === undefined
        ? true
        : Validate.boolean(this, 'installCertManager', props.installCertManager);
    this.namespace = props.namespace ?? 'nvsentinel';
    assertDnsLabel(this, 'namespace', this.namespace);
    const defaultMode =
      props.defaultEvictionMode === undefined
        ? NvSentinelEvictionMode.ALLOW_COMPLETION
        : Validate.oneOf(
            this,
            'defaultEvictionMode',
            props.defaultEvictionMode,
            Object.values(NvSentinelEvictionMode),
          );
    const systemNamespaces = [
      ...new Set([
        this.namespace,
        'kube-system',
        ...(platform.namespace !== undefined ? [platform.namespace] : []),
        ...(props.monitoring ? [props.monitoring.namespace] : []),
        CERT_MANAGER_NAMESPACE,
        // The chart's own defaults (node-drainer values.yaml at 26d39eb).
        'gpu-operator',
        'gmp-system',
        'network-operator',
        'skyhook',
      ]),
    ];
    const training = Validate.array<string>(this, 'trainingNamespaces', props.trainingNamespaces ?? []);
    training.forEach((ns, i) => {
      assertDnsLabel(this, `trainingNamespaces[${i}]`, ns);
      if (systemNamespaces.includes(ns)) {
        throw new ValidationError(
          `'trainingNamespaces[${i}]' ('${ns}') is a system namespace the node drainer never drains ` +
            `(${systemNamespaces.join(', ')}): run training jobs in their own namespace.`,
          this,
        );
      }
      if (training.indexOf(ns) !== i) {
        throw new ValidationError(`'trainingNamespaces' lists '${ns}' twice: remove the duplicate.`, this);
      }
    });

    const monitoring = props.monitoring;
    dependOnStackOf(this, platform);
    if (monitoring) {
      Validate.object(this, 'monitoring', monitoring);
      dependOnStackOf(this, monitoring);
    } else {
      Warnings.add(
        this,
        'k8s-nvsentinel-unscraped',
        `no 'monitoring' given: NVSentinel's metrics are not scraped, so the gpu-remediation alerts (GPUNodeQuarantined, ` +
          `NVSentinelQuarantineBreakerTripped) never fire. Pass the MonitoringStack.`,
      );
    }
    if (this.dryRun) {
      Warnings.add(
        this,
        'k8s-nvsentinel-dry-run',
        `'dryRun' is true: NVSentinel detects and logs faults but cordons and drains nothing.`,
      );
    }

    const ns = new NamespaceV1(this, 'Namespace', {
      metadata: {
        name: this.namespace,
        labels: { ...MANAGED_BY, ...podSecurityLabels(PodSecurityLevel.PRIVILEGED) },
      },
    });
    const after: ITerraformDependable[] = [ns];
    const sameStack = (r: IConstruct | undefined): ITerraformDependable[] =>
      r instanceof TerraformResource && TerraformStack.of(r) === TerraformStack.of(this) ? [r] : [];
    // The GPU Operator's DCGM Service and the monitoring chart's PodMonitor CRD come first.
    after.push(...sameStack(ours?.releases['gpu-operator']), ...sameStack(monitoring?.node.defaultChild));

    if (installCertManager) {
      const cmNs = new NamespaceV1(this, 'CertManagerNamespace', {
        metadata: {
          name: CERT_MANAGER_NAMESPACE,
          labels: { ...MANAGED_BY, ...podSecurityLabels(PodSecurityLevel.RESTRICTED) },
        },
      });
      const cm = REMEDIATION_HELM_CHARTS.certManager;
      this.certManager = new Release(this, 'CertManager', {
        name: 'cert-manager',
        namespace: CERT_MANAGER_NAMESPACE,
        repository: cm.repository,
        chart: cm.chart,
        version: cm.version,
        // The CRDs ship with the release and survive its uninstall (`crds.keep`), so Certificates
        // are not garbage-collected by a destroy of this release alone.
        values: [toYaml({ crds: { enabled: true, keep: true } })],
        timeout: 600,
        atomic: true,
        cleanupOnFail: true,
        dependsOn: [cmNs],
      });
      after.push(this.certManager);
    }

    const [dcgmHost, dcgmPort] = dcgmHostEngineAddress.split(':');
    this.values = {
      global: {
        dryRun: this.dryRun,
        dcgm: { mode: 'operator-service', service: { endpoint: dcgmHost, port: Number(dcgmPort) } },
        gpuHealthMonitor: { enabled: true },
        syslogHealthMonitor: { enabled: true },
        faultQuarantine: { enabled: true },
        nodeDrainer: { enabled: true },
        faultRemediation: { enabled: false },
        mongodbStore: { enabled: true },
      },
      podMonitor: monitoring
        ? { enabled: true, labels: { ...monitoring.selectorLabels } }
        : { enabled: false },
      'node-drainer': {
        // DNS labels: nothing to escape in the regular expression.
        systemNamespaces: `^(${systemNamespaces.join('|')})$`,
        userNamespaces: [
          ...training.map((name) => ({ name, mode: NvSentinelEvictionMode.IMMEDIATE })),
          { name: '*', mode: defaultMode },
        ],
      },
    };
    const chart = REMEDIATION_HELM_CHARTS.nvSentinel;
    this.resource = addPinnedRelease(this, {
      name: 'nvsentinel',
      namespace: this.namespace,
      chart,
      values: toYaml(this.values),
      dependsOn: after,
      // The MongoDB replica set, its certificates and its initialisation job take minutes.
      timeoutSeconds: 1200,
    });
    this.node.defaultChild = this.resource;
  }
}
