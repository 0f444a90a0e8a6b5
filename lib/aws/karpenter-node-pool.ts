import { TerraformModule, TerraformResource, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { gpuPoolTaints, NodeTaint, Validate, validateGpuNodePoolOptions, ValidationError } from '../core';
import { efaDeviceCount, efaInterfaceLayout } from './efa';
import { ElasticGpuNodePoolOptions, IElasticGpuNodePool } from './elastic-gpu-node-pool';
import { IKarpenter } from './interfaces';
import { requireEksCluster } from './private/auto-mode-rules';
import {
  addElasticPoolManifests,
  claimElasticInstanceTypes,
  elasticNodePoolManifest,
  resolveElasticCapacity,
  resolveElasticInstanceTypes,
  resolveElasticPlacement,
  resolveGpuLimit,
  validateConsolidateAfter,
  validateElasticPoolProps,
} from './private/elastic-pool';
import {
  addNodeGroupCost,
  dataVolumeDevice,
  GpuAmiType,
  gpuLaunchTemplateBasics,
  gpuNodeLabels,
  renderUserData,
  resolveAmiType,
  resolveHugePages2MiB,
  TRAINING_IMAGES_HINT,
} from './private/node-group-common';
import { addNodeVolumeCost } from './private/service-prices';

/** Resource types that install something in a cluster (the Helm and Kubernetes providers). */
const KUBERNETES_INSTALLER = /^(helm|kubernetes|kubectl)_/;

/** Karpenter's charts by name or OCI path: `karpenter` (controller and CRDs) and `karpenter-crd`. */
const KARPENTER_CHART_NAME = /(^|\/)karpenter(-crd)?$/;

/** The API groups of Karpenter's CRDs (NodePool, NodeClaim; EC2NodeClass). */
const KARPENTER_CRD_GROUP = /^(karpenter\.sh|karpenter\.k8s\.aws)$/;

/**
 * The Terraform attributes of a resource or module as written (tokens unresolved), from its
 * `synthesizeAttributes()`: not `toTerraform()`, which reads (and caches) the logical id, so a
 * later `overrideLogicalId` on the user's resource would be ignored.
 */
function attributesOf(c: TerraformResource | TerraformModule): Record<string, unknown> {
  return (c as unknown as { synthesizeAttributes(): Record<string, unknown> }).synthesizeAttributes() ?? {};
}

/**
 * What in `stack` installs Karpenter's CRDs, described for an error: under `karpenter`, any Helm
 * or Kubernetes resource (as `Karpenter` has); anywhere in the stack, a `helm_release` of
 * Karpenter's chart (`karpenter` or `karpenter-crd`), a `kubernetes_manifest` or
 * `kubectl_manifest` of a CustomResourceDefinition of `karpenter.sh` / `karpenter.k8s.aws`, or a
 * module with `enable_karpenter` (EKS Blueprints Addons). An installation this cannot see (a
 * chart under another name or a token, a module of its own, a script) is not found.
 */
function karpenterInstallersIn(
  stack: TerraformStack,
  karpenter: IConstruct,
): { readonly found: string[]; readonly underKarpenter: boolean } {
  const found: string[] = [];
  let underKarpenter = false;
  for (const c of stack.node.findAll()) {
    if (TerraformStack.of(c) !== stack) continue;
    if (TerraformResource.isTerraformResource(c)) {
      const type = c.terraformResourceType;
      if (!KUBERNETES_INSTALLER.test(type)) continue;
      const what = `${type} '${c.node.path}'`;
      if (c.node.scopes.includes(karpenter)) {
        found.push(what);
        underKarpenter = true;
        continue;
      }
      const a = attributesOf(c);
      if (type === 'helm_release' && typeof a.chart === 'string' && KARPENTER_CHART_NAME.test(a.chart)) {
        found.push(`${what} (chart '${a.chart}')`);
      } else if (type === 'kubernetes_manifest' || type === 'kubectl_manifest') {
        const crd = karpenterCrdOf(a);
        if (crd) found.push(`${what} (CustomResourceDefinition of ${crd})`);
      }
    } else if (c instanceof TerraformModule) {
      const a = attributesOf(c);
      if (a.enable_karpenter === true || a.enable_karpenter === 'true') {
        found.push(`module '${c.node.path}' (enable_karpenter)`);
      }
    }
  }
  return { found, underKarpenter };
}

/** The Karpenter API group of a CRD manifest (`kubernetes_manifest.manifest`, `kubectl_manifest.yaml_body`). */
function karpenterCrdOf(a: Record<string, unknown>): string | undefined {
  const m = a.manifest as { kind?: unknown; spec?: { group?: unknown } } | undefined;
  if (
    m &&
    typeof m === 'object' &&
    m.kind === 'CustomResourceDefinition' &&
    typeof m.spec?.group === 'string'
  ) {
    return KARPENTER_CRD_GROUP.test(m.spec.group) ? m.spec.group : undefined;
  }
  const yaml = a.yaml_body;
  if (typeof yaml === 'string' && /^kind:\s*["']?CustomResourceDefinition["']?\s*$/m.test(yaml)) {
    const group = /^\s+group:\s*["']?([a-z0-9.-]+)["']?\s*$/m.exec(yaml)?.[1];
    return group && KARPENTER_CRD_GROUP.test(group) ? group : undefined;
  }
  return undefined;
}

/** The error for a pool whose stack installs Karpenter's CRDs, or undefined. */
function sameStackInstallation(pool: IConstruct, karpenter: IConstruct): string | undefined {
  const stack = TerraformStack.of(pool);
  const { found: installers, underKarpenter } = karpenterInstallersIn(stack, karpenter);
  if (installers.length === 0) return undefined;
  const stackName = stack.node.id;
  return (
    (underKarpenter
      ? `'karpenter' ('${karpenter.node.path}') installs Karpenter in the pool's stack '${stackName}' `
      : `the pool's stack '${stackName}' installs Karpenter's CRDs `) +
    `(${installers.join(', ')}): the pool's NodePool and ` +
    `EC2NodeClass are kubernetes_manifest resources, which need the karpenter.sh CRDs when Terraform plans, before ` +
    `that installation is applied (hashicorp/terraform-provider-kubernetes#1985). Create the pool in another stack ` +
    `applied after it: new TerraformStack(app, 'gpu-pools') with gpuPools.addDependency(<the stack '${stackName}'>), and the pool created in gpuPools.`
  );
}

/** Properties of a {@link KarpenterGpuNodePool}: the elastic GPU pool options plus Karpenter's. */
export interface KarpenterGpuNodePoolProps extends ElasticGpuNodePoolOptions {
  /**
   * The Karpenter installation: a `Karpenter`, or any `IKarpenter`. Its CRDs must exist when the
   * pool's stack is planned, so a pool whose stack installs Karpenter is refused (when created,
   * and at synth for what is added later): an `IKarpenter` there with Helm or Kubernetes
   * resources under it (a `Karpenter`), or anywhere in the stack a `helm_release` of the
   * `karpenter` / `karpenter-crd` chart, a CRD manifest of `karpenter.sh` / `karpenter.k8s.aws`,
   * or a module with `enable_karpenter`. Put the pool in a stack applied after the installation.
   * An `IKarpenter` installed by other means may be in the pool's stack.
   *
   * Limitation: an installation not recognisable in the configuration (Karpenter inside a chart
   * of another name, a chart name that is a token, a module of your own, a script) is not
   * detected; its stack passes synth and the first `terraform plan` fails on the NodePool.
   * Its cluster must not run EKS Auto Mode, which has a Karpenter of its own (use
   * `AutoModeGpuNodePool` there).
   */
  readonly karpenter: IKarpenter;
  /**
   * AMI family.
   * @default GpuAmiType.AL2023_X86_64_NVIDIA
   */
  readonly amiType?: GpuAmiType;
  /**
   * Version of the EKS-optimized AMI alias (`al2023@<version>`, `bottlerocket@<version>`),
   * for example `v20251120` for AL2023 or `v1.50.0` for Bottlerocket. `latest` lets Karpenter
   * drift nodes to every new AMI (nodes with `karpenter.sh/do-not-disrupt` pods wait).
   * @default 'latest'
   */
  readonly amiVersion?: string;
  /**
   * EBS root volume (AL2023) or data volume (Bottlerocket) size, GiB.
   * @default 200
   */
  readonly rootVolumeSizeGiB?: number;
  /**
   * IMDSv2 hop limit.
   * @default 2
   */
  readonly imdsHopLimit?: number;
  /**
   * RAID0 the local NVMe disks for containerd and kubelet (`instanceStorePolicy: RAID0`).
   * @default true
   */
  readonly localStorageRaid0?: boolean;
  /**
   * 2 MiB huge pages each node must have; 0 leaves the AMI's setting.
   * @default EFA_HUGE_PAGES_2MIB (5128) with EFA, else 0
   */
  readonly hugePages2MiB?: number;
}

/**
 * A Karpenter GPU NodePool and its EC2NodeClass, from the same options as the managed node
 * groups: accelerator and GPU count to instance types from the catalogue; capacity types in
 * priority order (reservations and Capacity Blocks through `capacityReservationSelectorTerms`,
 * spot, on-demand); EFA interfaces from {@link efaInterfaceLayout} with the EFA security group;
 * consolidation only when empty and no expiry (GPU nodes are not replaced under a job); a GPU
 * limit from a GPU count or a monthly budget; GPU labels and the `nvidia.com/gpu` taint; IMDSv2,
 * an encrypted gp3 root volume, local NVMe as RAID0 and huge pages.
 *
 * Put `karpenter.sh/do-not-disrupt` on training pods (`TrainingJob` `doNotDisrupt: true`).
 *
 * @see https://karpenter.sh/docs/concepts/nodepools/
 * @see https://karpenter.sh/docs/concepts/nodeclasses/
 * @example
 * new KarpenterGpuNodePool(workloads, 'H100', {
 *   karpenter, accelerator: Accelerator.H100, maxGpus: 128,
 *   capacity: Capacity.capacityBlock('cr-0123456789abcdef0'), fallbackCapacity: [Capacity.onDemand()],
 * });
 */
export class KarpenterGpuNodePool extends Construct implements IElasticGpuNodePool {
  public readonly nodePool: TerraformResource;
  public readonly nodeClass: TerraformResource;
  public readonly nodePoolManifest: Record<string, unknown>;
  public readonly nodeClassManifest: Record<string, unknown>;
  public readonly instanceTypes: string[];
  public readonly efaDevicesPerNode: number;
  public readonly maxGpus: number;
  public readonly labels: Record<string, string>;
  public readonly taints: NodeTaint[];
  public readonly placementGroupName?: string;

  constructor(scope: Construct, id: string, props: KarpenterGpuNodePoolProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    if (typeof props.karpenter?.node?.path !== 'string') {
      throw new ValidationError(
        `'karpenter' must be a Karpenter construct or another IKarpenter construct, got ${typeof props.karpenter}.`,
        this,
        'type',
      );
    }
    validateGpuNodePoolOptions(this, props);
    const karpenter = props.karpenter;
    const cluster = requireEksCluster(this, 'karpenter.cluster', karpenter.cluster);
    // `Karpenter` refuses an Auto Mode cluster; an IKarpenter installed by other means must be
    // refused here, or its NodePools would contend with Auto Mode's own Karpenter.
    if (cluster.autoMode) {
      throw new ValidationError(
        `'karpenter.cluster' (${cluster.clusterName}) runs EKS Auto Mode, whose built-in Karpenter owns the karpenter.sh ` +
          `NodePool CRD and launches the nodes: the pools of '${karpenter.node.path}' would contend with it. ` +
          `Use AutoModeGpuNodePool for GPU pools on an Auto Mode cluster, or a Karpenter on a cluster without autoMode.`,
        this,
      );
    }
    // The CRDs must exist when Terraform plans the pool's kubernetes_manifest resources, so an
    // installation in the same plan cannot provide them: refused now, and at synth for one added
    // to the stack after the pool. An IKarpenter installed by other means (nothing in this stack
    // installs Karpenter) may sit next to its pools.
    const installed = sameStackInstallation(this, karpenter);
    if (installed) throw new ValidationError(installed, this);
    this.node.addValidation({
      validate: () => {
        const later = sameStackInstallation(this, karpenter);
        return later ? [`${this.node.path}: ${later}`] : [];
      },
    });
    for (const b of ['efa', 'localStorageRaid0'] as const) {
      if (props[b] !== undefined) Validate.boolean(this, b, props[b]);
    }
    const name = validateElasticPoolProps(this, id, props);

    // Capacity in priority order.
    const capacity = resolveElasticCapacity(this, props.capacity, props.fallbackCapacity, 'Karpenter pools');
    const kinds = capacity.kinds;
    const reservationIds = capacity.reservationIds;
    const reserved = reservationIds.length > 0;

    // Instance types.
    const efa = props.efa ?? true;
    const it = resolveElasticInstanceTypes(this, props, efa, capacity);
    const { primary, types, gpus } = it;
    this.instanceTypes = types.map((t) => t.name);
    claimElasticInstanceTypes(this, cluster, this.instanceTypes, efa);

    // Placement group, subnets and AZ.
    const { placementGroupName, subnets, zone } = resolveElasticPlacement(
      this,
      cluster,
      name,
      props,
      capacity,
      efa,
    );
    this.placementGroupName = placementGroupName;

    // Limits.
    this.maxGpus = resolveGpuLimit(this, props.maxGpus, props.monthlyBudgetUsd, it);

    // Node settings shared with the launch templates.
    const amiType = resolveAmiType(this, props.amiType);
    const amiVersion = props.amiVersion ?? 'latest';
    Validate.string(this, 'amiVersion', amiVersion);
    if (!/^(latest|v[0-9]{8}|v[0-9]+\.[0-9]+\.[0-9]+)$/.test(amiVersion)) {
      throw new ValidationError(
        `'amiVersion' ('${amiVersion}') must be 'latest' or an EKS AMI release: 'v20251120' (AL2023) or 'v1.50.0' (Bottlerocket).`,
        this,
      );
    }
    const hugePages = resolveHugePages2MiB(this, props.hugePages2MiB, efa);
    const basics = gpuLaunchTemplateBasics(this, {
      amiType,
      rootVolumeSizeGiB: props.rootVolumeSizeGiB,
      minRootVolumeGiB: 50,
      rootVolumeHint: `${TRAINING_IMAGES_HINT}.`,
      imdsHopLimit: props.imdsHopLimit,
    });
    const userData = renderUserData({ amiType, localStorageRaid0: false, hugePages2MiB: hugePages });
    const layout = efa ? efaInterfaceLayout(primary) : [];
    if (efa) cluster.requireEfaOnlySupport(this);
    this.efaDevicesPerNode = efaDeviceCount(layout);
    this.labels = gpuNodeLabels(this, name, props.accelerator, props.labels, efa, undefined, "'name'");
    this.taints = gpuPoolTaints(props.taints ?? []);
    const consolidateAfter = validateConsolidateAfter(this, props.consolidateAfter ?? '10m');

    const securityGroups = [cluster.clusterSecurityGroupId, ...(efa ? [karpenter.efaSecurityGroupId] : [])];
    const family = amiType === GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA ? 'bottlerocket' : 'al2023';
    const raid0 = (props.localStorageRaid0 ?? true) && types.every((t) => t.localNvmeGB > 0);
    this.nodeClassManifest = {
      apiVersion: 'karpenter.k8s.aws/v1',
      kind: 'EC2NodeClass',
      metadata: { name },
      spec: {
        role: cluster.nodeRole.roleName,
        amiSelectorTerms: [{ alias: `${family}@${amiVersion}` }],
        subnetSelectorTerms: subnets.map((s) => ({ id: s.subnetId })),
        securityGroupSelectorTerms: securityGroups.map((sg) => ({ id: sg })),
        ...(reserved ? { capacityReservationSelectorTerms: reservationIds.map((r) => ({ id: r })) } : {}),
        ...(efa ? { networkInterfaces: layout.map((n) => ({ ...n })) } : {}),
        ...(placementGroupName !== undefined ? { placementGroupSelector: { name: placementGroupName } } : {}),
        metadataOptions: {
          httpEndpoint: 'enabled',
          httpProtocolIPv6: 'disabled',
          httpPutResponseHopLimit: basics.metadataOptions!.httpPutResponseHopLimit,
          httpTokens: 'required',
        },
        // The kubelet's volume (`rootVolume`): the root on AL2023, the data volume on
        // Bottlerocket, whose 4 GiB OS volume is listed too so it is encrypted gp3 as well
        // (Karpenter's defaults per AMI family, docs/concepts/nodeclasses.md at v1.14.1).
        blockDeviceMappings: [
          ...(amiType === GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA
            ? [
                {
                  deviceName: '/dev/xvda',
                  ebs: { volumeSize: '4Gi', volumeType: 'gp3', encrypted: true, deleteOnTermination: true },
                },
              ]
            : []),
          {
            deviceName: dataVolumeDevice(amiType),
            rootVolume: true,
            ebs: {
              volumeSize: `${props.rootVolumeSizeGiB ?? 200}Gi`,
              volumeType: 'gp3',
              encrypted: true,
              deleteOnTermination: true,
            },
          },
        ],
        ...(raid0 ? { instanceStorePolicy: 'RAID0' } : {}),
        ...(userData ? { userData: Buffer.from(userData, 'base64').toString('utf8') } : {}),
        tags: { 'cdktf-ai-infra/node-pool': name },
      },
    };
    this.nodePoolManifest = elasticNodePoolManifest({
      name,
      nodeClassRef: { group: 'karpenter.k8s.aws', kind: 'EC2NodeClass' },
      instanceTypes: this.instanceTypes,
      capacityKinds: kinds,
      zone,
      labels: this.labels,
      taints: this.taints,
      expireAfter: 'Never',
      consolidateAfter,
      maxGpus: this.maxGpus,
    });
    const manifests = addElasticPoolManifests(this, this.nodeClassManifest, this.nodePoolManifest);
    this.nodeClass = manifests.nodeClass;
    this.nodePool = manifests.nodePool;
    addNodeGroupCost(this, primary, 0, this.maxGpus / gpus, kinds[0]);
    addNodeVolumeCost(this, props.rootVolumeSizeGiB ?? 200, 0, this.maxGpus / gpus, {
      raid0InstanceStore: raid0,
      bottlerocket: amiType === GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA,
    });
  }
}
