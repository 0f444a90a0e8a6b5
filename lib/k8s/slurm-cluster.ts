import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { PersistentVolumeClaimV1 } from '@cdktf/provider-kubernetes/lib/persistent-volume-claim-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { ITerraformDependable, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  ACCELERATOR_NODE_LABEL,
  Accelerator,
  NVIDIA_GPU_RESOURCE,
  Validate,
  ValidationError,
  Warnings,
} from '../core';
import { addDerivedLoadBalancerCost, loadBalancerOfService } from '../core/private/derived-prices';
import { ApiToleration, IMonitoringStack, ISlurmOperator } from './interfaces';
import { PodSecurityLevel, podSecurityLabels } from './pod-security';
import {
  MANAGED_BY,
  assertCrdInOtherStack,
  assertDnsLabel,
  assertInteger,
  assertNodeLabels,
  assertServiceName,
  dependOnStackOf,
  gpuToleration,
  nameFromId,
} from './private/common';
import { randomPassword } from './private/random-password';
import { extraResources } from './private/training-common';
import { SLINKY_API_GROUP, SLINKY_API_VERSION } from './slurm-operator';
import { ImageVersion, SLURM_IMAGES, imageRef } from './versions';
import { SecretKeyRef } from './weights';

const API_VERSION = `${SLINKY_API_GROUP}/${SLINKY_API_VERSION}`;

/** Names claimed per stack and namespace by the SlurmClusters in it (`<kind>/<namespace>/<name>` to the claimant's path). */
const NAMESPACE_CLAIMS = new WeakMap<TerraformStack, Map<string, string>>();

/**
 * Claims a cluster or NodeSet name in the cluster's namespace within its stack (one stack
 * deploys to one Kubernetes cluster); returns the path of the SlurmCluster that holds it already.
 */
function claimInNamespace(
  cluster: SlurmCluster,
  kind: 'cluster' | 'nodeset',
  name: string,
): string | undefined {
  const stack = TerraformStack.of(cluster);
  let claims = NAMESPACE_CLAIMS.get(stack);
  if (claims === undefined) {
    claims = new Map();
    NAMESPACE_CLAIMS.set(stack, claims);
  }
  const key = `${kind}/${cluster.namespace}/${name}`;
  const holder = claims.get(key);
  if (holder !== undefined && holder !== cluster.node.path) return holder;
  claims.set(key, cluster.node.path);
  return undefined;
}

/**
 * What the operator v1.2.1 builds around the custom resources, as this construct relies on it
 * (SlinkyProject/slurm-operator tag v1.2.1, commit 87313dac):
 * - the Controller `<name>` runs as the StatefulSet `<name>-controller` (pod `<name>-controller-0`,
 *   api/v1beta1/controller_keys.go); slurmctld keeps its state under `/var/spool/slurmctld/<ClusterName>`
 *   (internal/builder/controllerbuilder/controller_app.go), on `persistence.existingClaim` when set;
 * - slurmctld and slurmdbd run as the `slurm` user, UID and GID 401, with a non-root pod security
 *   context (internal/builder/common/const.go, controller_app.go, accounting_app.go);
 * - slurmd runs privileged with BPF, NET_ADMIN, SYS_ADMIN and SYS_NICE, and a NodeSet pod tolerates
 *   the operator's `nodeset.slinky.slurm.net/worker` NoExecute taint
 *   (internal/builder/workerbuilder/worker_app.go, pkg/taints/taints.go);
 * - a NodeSet's `extraConf` is split on single spaces into `Key=Value` pairs for `slurmd --conf`;
 *   an item without `=` panics the operator (worker_app.go `slurmdConfArgs`);
 * - the webhook refuses a ClusterName longer than 40 characters and a Controller whose
 *   `configFileRefs` ConfigMaps do not exist yet, and refuses changes to `clusterName`,
 *   `slurmKeyRef`, `jwtKeyRef` and `persistence.enabled` after creation
 *   (internal/webhook/controller_webhook.go).
 */
const SLURM_UID = 401;
const WORKER_TOLERATION: ApiToleration = {
  key: 'nodeset.slinky.slurm.net/worker',
  operator: 'Equal',
  effect: 'NoExecute',
};
const MAX_CLUSTER_NAME = 40;

/**
 * The GRES configuration that makes a NodeSet's GPUs register in Slurm (`Gres=gpu:<type>:<n>` in
 * `scontrol show node`, not `Gres=(null)`):
 * - `gres.conf` `AutoDetect=nvidia`: slurmd finds the GPUs the container sees (its
 *   `nvidia.com/gpu` limit) through the driver (installation guide "With GPUs",
 *   docs/installation.md at v1.2.1; https://slurm.schedmd.com/gres.conf.html#OPT_AutoDetect);
 * - `GresTypes=gpu` in `slurm.conf`: without it no GRES is managed
 *   (https://slurm.schedmd.com/gres.html#Configuration);
 * - `Gres=gpu:<type>:<n>` in the node's own configuration (the NodeSet's `extraConf`, passed
 *   to `slurmd --conf`): autodetected GPUs that the node's configuration does not declare are
 *   logged as "being ignored" and the node registers without them (slurm-operator issues #106
 *   and #111). The type is matched against the detected name (for example
 *   `nvidia_h100_80gb_hbm3`) as a substring, so it is the GPU model (`h100`).
 *
 * slurm-operator PR #191 proposed copying `Gres=` onto the generated `NodeSet=` line of
 * `slurm.conf`; it was closed unmerged and v1.2.1 does not do it (controller_config.go
 * `buildNodeSetConf`), so the node's own `--conf` is what declares the GPUs.
 */
export const SLURM_GRES_CONF = 'AutoDetect=nvidia\n';

/** How the login Service is exposed. */
export enum SlurmLoginServiceType {
  /** Reachable inside the cluster only (`kubectl port-forward`, a bastion, a VPN). */
  CLUSTER_IP = 'ClusterIP',
  /** A cloud load balancer (add the cloud's internal-LB annotations to keep it private). */
  LOAD_BALANCER = 'LoadBalancer',
  /** A port on every node. */
  NODE_PORT = 'NodePort',
}

/** How users reach the cluster: the LoginSet (sshd with the Slurm client commands). */
export interface SlurmLoginOptions {
  /**
   * OpenSSH public keys allowed to log in as root (`rootSshAuthorizedKeys`, the operator stores
   * them in a Secret it mounts as `/root/.ssh/authorized_keys`), for example
   * `['ssh-ed25519 AAAAC3Nz... alice@example.com']`. Public keys are not secret.
   * @default - none: only the users `sssdConf` resolves can log in
   */
  readonly rootAuthorizedKeys?: string[];
  /**
   * An existing Secret (in the cluster's namespace) holding the `sssd.conf` that connects the
   * login pods to the site's identity service (LDAP, Active Directory, FreeIPA), so users log in
   * as themselves.
   * @default - a generated sssd.conf that resolves only the image's local users (root keys only)
   */
  readonly sssdConf?: SecretKeyRef;
  /**
   * Login pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * The login Service type.
   * @default SlurmLoginServiceType.CLUSTER_IP
   */
  readonly serviceType?: SlurmLoginServiceType;
  /**
   * Annotations of the login Service, for example
   * `{ 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' }`.
   * @default - none
   */
  readonly serviceAnnotations?: Record<string, string>;
}

/**
 * Slurm accounting: slurmdbd (an `Accounting` resource) writing to a MySQL or MariaDB database
 * the platform already runs (Amazon RDS / Aurora MySQL, Cloud SQL for MySQL, a MariaDB operator).
 * The database itself is not created here.
 */
export interface SlurmAccountingOptions {
  /** Database host name. */
  readonly host: string;
  /**
   * Database port.
   * @default 3306
   */
  readonly port?: number;
  /**
   * Database (schema) name.
   * @default 'slurm_acct_db'
   */
  readonly database?: string;
  /** Database user. */
  readonly username: string;
  /** Secret (in the cluster's namespace) and key holding the user's password. */
  readonly passwordSecret: SecretKeyRef;
}

/** Where slurmctld keeps its state (jobs, reservations, node states) across restarts. */
export interface SlurmStateStorage {
  /**
   * Size of the claim, GiB.
   * @default 8
   */
  readonly sizeGiB?: number;
  /**
   * Storage class of the claim.
   * @default - the cluster's default storage class
   */
  readonly storageClassName?: string;
  /**
   * Protect the claim from `terraform destroy` (losing it loses the queue and job ids).
   * @default true
   */
  readonly protectFromDestroy?: boolean;
}

/** A shared volume mounted on every NodeSet and login pod (checkpoints, datasets, home directories). */
export interface SlurmSharedVolume {
  /**
   * A ReadWriteMany PersistentVolumeClaim in the cluster's namespace: the claim of a
   * CheckpointStore (FSx for Lustre), a Filestore or an NFS volume.
   */
  readonly claimName: string;
  /**
   * Mount path.
   * @default '/checkpoints'
   */
  readonly mountPath?: string;
}

/**
 * Existing Secrets (in the cluster's namespace) holding the cluster's keys, created outside
 * Terraform so the keys never land in its state, for example with
 * `dd if=/dev/random of=slurm.key bs=1024 count=1` (https://slurm.schedmd.com/authentication.html)
 * and `dd if=/dev/random of=jwt.key bs=32 count=1` (https://slurm.schedmd.com/jwt.html), then
 * `kubectl create secret generic research-auth --from-file=slurm.key --from-file=jwt.key`.
 */
export interface SlurmAuthKeys {
  /** The `auth/slurm` key shared by every Slurm daemon and client of the cluster. */
  readonly slurmKey: SecretKeyRef;
  /** The `auth/jwt` HS256 key (slurmrestd and token authentication). */
  readonly jwtKey: SecretKeyRef;
}

/** Properties of a {@link SlurmCluster}. */
export interface SlurmClusterProps {
  /**
   * The cluster's keys from existing Secrets (they cannot change after creation).
   * @default - generated by Terraform (`random_password`, 1024 characters) into two Secrets; the keys are then in the Terraform state
   */
  readonly authKeys?: SlurmAuthKeys;
  /**
   * The operator; checked for the API version and the watched namespaces, and its stack is
   * deployed first.
   * @default - not checked
   */
  readonly operator?: ISlurmOperator;
  /**
   * Name of the Controller resource (the operator names its objects `<name>-controller`,
   * `<name>-login`, ...).
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Slurm `ClusterName` (the name in the accounting database; cannot change after creation).
   * @default - the name
   */
  readonly clusterName?: string;
  /**
   * Namespace of the cluster. Created with Pod Security "privileged": slurmd runs privileged.
   * @default 'slurm'
   */
  readonly namespace?: string;
  /**
   * Create the namespace. Set false when it exists (it must admit privileged pods).
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * slurmctld state storage.
   * @default - 8 GiB on the default storage class, protected from destroy
   */
  readonly stateStorage?: SlurmStateStorage;
  /**
   * The login nodes.
   * @default - no login nodes (jobs are submitted with `kubectl exec` into the controller)
   */
  readonly login?: SlurmLoginOptions;
  /**
   * Accounting (slurmdbd and its database), needed for `sacct`, fair-share and QOS limits.
   * @default - no accounting (`AccountingStorageType=accounting_storage/none`)
   */
  readonly accounting?: SlurmAccountingOptions;
  /**
   * A shared volume mounted on every NodeSet and login pod; for checkpoints, pass the claim of
   * the platform's CheckpointStore.
   * @default - none
   */
  readonly sharedVolume?: SlurmSharedVolume;
  /**
   * The monitoring stack: slurmctld serves its OpenMetrics endpoints (`MetricsType=metrics/openmetrics`,
   * Slurm 25.11+) and the operator creates a ServiceMonitor for `/metrics/jobs`, `/metrics/nodes`,
   * `/metrics/partitions` and `/metrics/scheduler` carrying the stack's selector labels.
   * @default - no Slurm metrics
   */
  readonly monitoring?: IMonitoringStack;
  /**
   * Extra `slurm.conf` parameters (`Key: value`), appended to what the operator writes, for
   * example `{ SchedulerParameters: 'bf_continue', PriorityType: 'priority/multifactor' }`.
   * `GresTypes` is set by this construct.
   * @default - none
   */
  readonly slurmConf?: Record<string, string>;
}

/** Options of {@link SlurmCluster.addNodeSet}. */
export interface SlurmNodeSetOptions {
  /** The GPU: selects the pool's nodes by the `cdktf-ai-infra/accelerator` label and names the GRES type. */
  readonly accelerator: Accelerator;
  /** Slurm nodes (one slurmd pod per Kubernetes node). */
  readonly replicas: number;
  /** GPUs per node: the slurmd pod's `nvidia.com/gpu` and the node's `Gres=gpu:<type>:<n>`. */
  readonly gpusPerNode: number;
  /**
   * Name of the NodeSet: the Slurm node names (`<name>-0`, `<name>-1`, ...), the NodeSet feature
   * and its partition.
   * @default - the construct id in kebab case
   */
  readonly name?: string;
  /**
   * Create a partition named after the NodeSet.
   * @default true
   */
  readonly partition?: boolean;
  /**
   * Make that partition the default one (`Default=YES`).
   * @default false
   */
  readonly defaultPartition?: boolean;
  /**
   * CPU of the slurmd pod (requested and limited; slurmd registers this many CPUs).
   * @default - 8 per GPU
   */
  readonly cpu?: string;
  /**
   * Memory of the slurmd pod, GiB (requested and limited; slurmd registers it as RealMemory).
   * @default - 64 per GPU
   */
  readonly memoryGiB?: number;
  /**
   * `/dev/shm` of the slurmd pod (memory-backed), GiB.
   * @default - 8 per GPU
   */
  readonly sharedMemoryGiB?: number;
  /**
   * Extra resources per node, requested and limited, for example
   * `{ 'vpc.amazonaws.com/efa': 32, 'hugepages-2Mi': '5120Mi' }` or `{ 'rdma/ib': 8 }`.
   * @default - none
   */
  readonly extraResourcesPerNode?: Record<string, string | number>;
  /**
   * Node selector, merged over the accelerator selector.
   * @default - the accelerator selector only
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Extra tolerations (the `nvidia.com/gpu` taint and the operator's worker taint are always tolerated).
   * @default - none
   */
  readonly tolerations?: ApiToleration[];
  /**
   * GRES type of the GPUs: a case-insensitive substring of the name Slurm detects (for example
   * `nvidia_h100_80gb_hbm3`).
   * @default - the GPU model from the accelerator, for example 'h100' or 'a100'
   */
  readonly gresType?: string;
}

/**
 * A Slurm cluster on Kubernetes run by the Slinky slurm-operator ({@link SlurmOperator}): a
 * `Controller` (slurmctld, its state on a PersistentVolumeClaim protected from destroy), an
 * optional `LoginSet` (sshd; root with authorized keys, site users through sssd) and
 * `Accounting` (slurmdbd with the platform's MySQL/MariaDB), and GPU `NodeSet`s
 * ({@link SlurmCluster.addNodeSet}) on the library's GPU pools with the GRES configuration that
 * makes their GPUs schedulable (`sbatch --gres=gpu:h100:8`, see {@link SLURM_GRES_CONF}).
 *
 * The auth/slurm and JWT keys come from existing Secrets ({@link SlurmAuthKeys}, kept out of the
 * Terraform state) or are generated (`random_password`, 1024 characters as the upstream chart
 * does) into Secrets, and then live in the state, which must be protected like any secret store.
 *
 * Pod Security: slurmctld and slurmdbd meet "restricted" (UID 401, capabilities dropped,
 * RuntimeDefault seccomp); the login pods run sshd as root and slurmd runs privileged (it
 * manages cgroups and devices for the jobs), so the namespace admits "privileged"
 * ({@link SlurmCluster.podSecurityLevel}).
 *
 * @see https://github.com/SlinkyProject/slurm-operator/tree/v1.2.1
 * @example
 * const slurm = new SlurmCluster(workloads, 'Research', {
 *   operator, login: { rootAuthorizedKeys: ['ssh-ed25519 AAAAC3Nz... alice@example.com'] },
 *   sharedVolume: { claimName: 'checkpoints' },
 * });
 * slurm.addNodeSet('H100', { accelerator: Accelerator.H100, replicas: 4, gpusPerNode: 8 });
 */
export class SlurmCluster extends Construct {
  /** Name of the Controller resource. */
  public readonly name: string;
  /** Slurm ClusterName. */
  public readonly clusterName: string;
  /** Namespace. */
  public readonly namespace: string;
  /** The Pod Security level the namespace must admit: privileged (slurmd). */
  public readonly podSecurityLevel = PodSecurityLevel.PRIVILEGED;
  /** The login Service name (`<name>-login`), when there are login nodes. */
  public readonly loginServiceName?: string;
  /** The Controller resource. */
  public readonly resource: Manifest;
  /** The slurmctld state claim. */
  public readonly stateClaim: PersistentVolumeClaimV1;
  /** The LoginSet resource, when there are login nodes. */
  public readonly loginSet?: Manifest;
  /** The Accounting resource, when accounting is on. */
  public readonly accounting?: Manifest;
  /** The generated auth/slurm key Secret (key `slurm.key`), unless `authKeys` is given. */
  public readonly slurmKeySecret?: SecretV1;
  /** The generated JWT key Secret (key `jwt.key`), unless `authKeys` is given. */
  public readonly jwtKeySecret?: SecretV1;

  /** @internal */
  public readonly _sharedVolume?: { claimName: string; mountPath: string };
  /** @internal */
  public readonly _prerequisites: ITerraformDependable[];
  private readonly nodeSetNames = new Set<string>();

  constructor(scope: Construct, id: string, props: SlurmClusterProps = {}) {
    super(scope, id);
    Validate.object(this, 'props', props);
    this.name = props.name ?? nameFromId(id);
    // The operator's longest derived name is the controller pod `<name>-controller-0`.
    assertServiceName(this, 'name', this.name, 63 - '-controller-0'.length);
    this.namespace = props.namespace ?? 'slurm';
    assertDnsLabel(this, 'namespace', this.namespace);
    const sameName = claimInNamespace(this, 'cluster', this.name);
    if (sameName !== undefined) {
      throw new ValidationError(
        `SlurmCluster '${sameName}' already has the name '${this.name}' in namespace '${this.namespace}' of the same stack: ` +
          `their Controller, Secrets and NodeSets would be the same objects. Give this cluster another 'name' or 'namespace'.`,
        this,
      );
    }
    this.clusterName = props.clusterName ?? this.name;
    Validate.string(this, 'clusterName', this.clusterName);
    if (
      !Token.isUnresolved(this.clusterName) &&
      (!/^[a-z][a-z0-9_-]*$/.test(this.clusterName) || this.clusterName.length > MAX_CLUSTER_NAME)
    ) {
      throw new ValidationError(
        `'clusterName' ('${this.clusterName}') must be at most ${MAX_CLUSTER_NAME} lower-case letters, digits, '_' or ` +
          `'-', starting with a letter (the operator's webhook refuses longer names; Slurm lower-cases them). ` +
          `For example 'research'.`,
        this,
      );
    }
    const createNamespace = props.createNamespace ?? true;
    Validate.boolean(this, 'createNamespace', createNamespace);

    if (props.operator) {
      dependOnStackOf(this, props.operator);
      if (props.operator.apiVersion !== SLINKY_API_VERSION) {
        throw new ValidationError(
          `the SlurmOperator '${props.operator.node.path}' serves ${SLINKY_API_GROUP}/${props.operator.apiVersion}, ` +
            `but this construct renders ${API_VERSION}: pin the operator at v1.2.1 or update the library.`,
          this,
        );
      }
      const watched = props.operator.watchedNamespaces ?? [];
      if (watched.length && !watched.includes(this.namespace)) {
        throw new ValidationError(
          `'namespace' ('${this.namespace}') is not one the SlurmOperator '${props.operator.node.path}' watches ` +
            `(${watched.join(', ')}): add it to the operator's watchNamespaces or use one of those.`,
          this,
        );
      }
    }

    if (props.monitoring) dependOnStackOf(this, props.monitoring);
    const state = props.stateStorage ?? {};
    Validate.object(this, 'stateStorage', state);
    const stateGiB = state.sizeGiB ?? 8;
    assertInteger(this, 'stateStorage.sizeGiB', stateGiB, 1, 65536);
    if (state.storageClassName !== undefined) {
      Validate.k8sDnsSubdomain(this, 'stateStorage.storageClassName', state.storageClassName);
    }
    const protect = state.protectFromDestroy ?? true;
    Validate.boolean(this, 'stateStorage.protectFromDestroy', protect);

    const sharedVolume = props.sharedVolume;
    if (sharedVolume !== undefined) {
      Validate.object(this, 'sharedVolume', sharedVolume);
      assertDnsLabel(this, 'sharedVolume.claimName', sharedVolume.claimName, 253);
      const mountPath = sharedVolume.mountPath ?? '/checkpoints';
      assertMountPath(this, 'sharedVolume.mountPath', mountPath);
      this._sharedVolume = { claimName: sharedVolume.claimName, mountPath };
    }

    const extraConf = slurmConfLines(this, props.slurmConf ?? {});
    const labels = {
      ...MANAGED_BY,
      'app.kubernetes.io/part-of': 'slurm',
      'app.kubernetes.io/instance': this.name,
    };
    const prerequisites: ITerraformDependable[] = [];
    if (createNamespace) {
      prerequisites.push(
        new NamespaceV1(this, 'Namespace', {
          metadata: {
            name: this.namespace,
            labels: { ...MANAGED_BY, ...podSecurityLabels(PodSecurityLevel.PRIVILEGED) },
          },
        }),
      );
    }
    const meta = (name: string) => ({ name, namespace: this.namespace, labels });
    const secret = (sid: string, name: string, key: string): SecretV1 => {
      const pw = randomPassword(this, `${sid}Value`, 1024);
      return new SecretV1(this, sid, {
        metadata: meta(name),
        data: { [key]: pw.result },
        immutable: true,
        dependsOn: [...prerequisites],
      });
    };
    let slurmKeyRef: SecretKeyRef;
    let jwtKeyRef: SecretKeyRef;
    if (props.authKeys !== undefined) {
      Validate.object(this, 'authKeys', props.authKeys);
      assertSecretRef(this, 'authKeys.slurmKey', props.authKeys.slurmKey);
      assertSecretRef(this, 'authKeys.jwtKey', props.authKeys.jwtKey);
      slurmKeyRef = { name: props.authKeys.slurmKey.name, key: props.authKeys.slurmKey.key };
      jwtKeyRef = { name: props.authKeys.jwtKey.name, key: props.authKeys.jwtKey.key };
    } else {
      this.slurmKeySecret = secret('SlurmKey', `${this.name}-auth-slurm`, 'slurm.key');
      this.jwtKeySecret = secret('JwtKey', `${this.name}-auth-jwt`, 'jwt.key');
      slurmKeyRef = { name: `${this.name}-auth-slurm`, key: 'slurm.key' };
      jwtKeyRef = { name: `${this.name}-auth-jwt`, key: 'jwt.key' };
    }

    const gres = new ConfigMapV1(this, 'GresConf', {
      metadata: meta(`${this.name}-gres`),
      data: { 'gres.conf': SLURM_GRES_CONF },
      dependsOn: [...prerequisites],
    });
    this.stateClaim = new PersistentVolumeClaimV1(this, 'StateSave', {
      metadata: meta(`${this.name}-statesave`),
      spec: {
        accessModes: ['ReadWriteOnce'],
        storageClassName: state.storageClassName,
        resources: { requests: { storage: `${stateGiB}Gi` } },
      },
      // WaitForFirstConsumer classes bind only once the controller pod exists, which waits for this.
      waitUntilBound: false,
      dependsOn: [...prerequisites],
      lifecycle: { preventDestroy: protect },
    });
    this._prerequisites = [
      ...prerequisites,
      ...(this.slurmKeySecret ? [this.slurmKeySecret] : []),
      ...(this.jwtKeySecret ? [this.jwtKeySecret] : []),
    ];

    assertCrdInOtherStack(this, SLINKY_API_GROUP, 'Controller');
    let accountingRef: { name: string } | undefined;
    if (props.accounting) {
      this.accounting = accountingResource(this, props.accounting, meta(this.name), slurmKeyRef, jwtKeyRef);
      accountingRef = { name: this.name };
    }

    this.resource = new Manifest(this, 'Resource', {
      manifest: {
        apiVersion: API_VERSION,
        kind: 'Controller',
        metadata: meta(this.name),
        spec: {
          clusterName: this.clusterName,
          slurmKeyRef,
          jwtKeyRef,
          ...(accountingRef ? { accountingRef } : {}),
          configFileRefs: [{ name: `${this.name}-gres` }],
          extraConf: ['GresTypes=gpu', ...extraConf].join('\n'),
          slurmctld: hardenedContainer(SLURM_IMAGES.slurmctld, { cpu: '1', memory: '4Gi' }),
          logfile: hardenedContainer(SLURM_IMAGES.slurmctld, { cpu: '50m', memory: '64Mi' }),
          template: { spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } },
          persistence: { enabled: true, existingClaim: `${this.name}-statesave` },
          ...(props.monitoring
            ? {
                metrics: {
                  enabled: true,
                  serviceMonitor: {
                    enabled: true,
                    labels: { ...props.monitoring.selectorLabels },
                    interval: '30s',
                  },
                },
              }
            : {}),
        },
      },
      dependsOn: [
        ...this._prerequisites,
        gres,
        this.stateClaim,
        ...(this.accounting ? [this.accounting] : []),
      ],
    });
    this.node.defaultChild = this.resource;

    if (props.login) {
      this.loginServiceName = `${this.name}-login`;
      this.loginSet = loginResource(this, props.login, meta, labels, prerequisites);
    } else {
      Warnings.add(
        this,
        'k8s-slurm-no-login',
        `no 'login': users reach Slurm only through 'kubectl exec' into the controller pod. Add login nodes with authorized keys or sssd.`,
      );
    }
  }

  /**
   * Adds a GPU NodeSet: `replicas` slurmd pods, one per node of the accelerator's pool, each
   * holding the node's `gpusPerNode` GPUs and registering them as `Gres=gpu:<type>:<n>`, with a
   * partition named after it.
   */
  public addNodeSet(id: string, options: SlurmNodeSetOptions): SlurmNodeSet {
    return new SlurmNodeSet(this, id, options);
  }

  /** @internal */
  public _claimNodeSetName(scope: Construct, name: string): void {
    if (this.nodeSetNames.has(name)) {
      throw new ValidationError(
        `a NodeSet named '${name}' already exists in SlurmCluster '${this.node.path}': give each NodeSet its own 'name'.`,
        scope,
      );
    }
    const other = claimInNamespace(this, 'nodeset', name);
    if (other !== undefined) {
      throw new ValidationError(
        `a NodeSet named '${name}' already exists in SlurmCluster '${other}', in the same namespace '${this.namespace}' of the ` +
          `same stack: both clusters' pods would take the host names '${name}-0', '${name}-1', ... (the Slurm node names). ` +
          `Give this NodeSet another 'name' (for example '${this.name}-${name}'), or put the clusters in different namespaces.`,
        scope,
      );
    }
    this.nodeSetNames.add(name);
  }
}

/**
 * One GPU NodeSet of a {@link SlurmCluster} (`slinky.slurm.net/v1beta1` NodeSet). Created by
 * {@link SlurmCluster.addNodeSet}.
 */
export class SlurmNodeSet extends Construct {
  /** The NodeSet's short name: Slurm node names `<name>-<i>`, its feature and partition. */
  public readonly name: string;
  /** The GRES the nodes register, for example `gpu:h100:8`. */
  public readonly gres: string;
  /** The partition name, when the NodeSet has one. */
  public readonly partitionName?: string;
  /** The NodeSet resource. */
  public readonly resource: Manifest;

  constructor(cluster: SlurmCluster, id: string, options: SlurmNodeSetOptions) {
    super(cluster, id);
    Validate.object(this, 'options', options);
    if (!(options.accelerator instanceof Accelerator)) {
      throw new ValidationError(
        `'accelerator' must be an Accelerator (for example Accelerator.H100), got ${typeof options.accelerator}.`,
        this,
      );
    }
    this.name = options.name ?? nameFromId(id);
    // Slurm node names are the pod names `<name>-<ordinal>` (RFC 1035: they are host names too).
    assertServiceName(this, 'name', this.name, 40);
    cluster._claimNodeSetName(this, this.name);
    // The operator labels each pod with its revision, `<resource name>-<10-character hash>`
    // (controller-revision-hash, a label value of at most 63 characters), as StatefulSets do.
    const resourceName = `${cluster.name}-${this.name}`;
    if (resourceName.length > 52) {
      throw new ValidationError(
        `the NodeSet resource name '${resourceName}' (cluster name + '-' + 'name') is ${resourceName.length} characters; ` +
          `at most 52 fit the operator's revision label: shorten 'name' or the cluster's name.`,
        this,
      );
    }
    assertInteger(this, 'replicas', options.replicas, 0, 1024);
    assertInteger(this, 'gpusPerNode', options.gpusPerNode, 1, 16);
    const gpus = options.gpusPerNode;
    const memory = options.memoryGiB ?? 64 * gpus;
    assertInteger(this, 'memoryGiB', memory, 1);
    const shm = options.sharedMemoryGiB ?? 8 * gpus;
    assertInteger(this, 'sharedMemoryGiB', shm, 1);
    if (shm >= memory) {
      throw new ValidationError(
        `'sharedMemoryGiB' (${shm}) must be below 'memoryGiB' (${memory}): /dev/shm is counted against the pod's memory limit.`,
        this,
      );
    }
    const cpu = options.cpu === undefined ? String(8 * gpus) : Validate.k8sQuantity(this, 'cpu', options.cpu);
    const gresType = options.gresType ?? options.accelerator.labelValue.split('-')[0];
    Validate.string(this, 'gresType', gresType);
    if (!/^[a-z0-9][a-z0-9_.-]*$/i.test(gresType) || gresType.length > 64) {
      throw new ValidationError(
        `'gresType' ('${gresType}'${options.gresType === undefined ? `, derived from the accelerator '${options.accelerator.labelValue}'` : ''}) ` +
          `must be letters, digits, '_', '.' or '-' (no spaces or ':'), for example 'h100': set 'gresType'.`,
        this,
      );
    }
    this.gres = `gpu:${gresType}:${gpus}`;
    const partition = options.partition ?? true;
    Validate.boolean(this, 'partition', partition);
    const defaultPartition = options.defaultPartition ?? false;
    Validate.boolean(this, 'defaultPartition', defaultPartition);
    if (defaultPartition && !partition) {
      throw new ValidationError(
        `'defaultPartition' needs 'partition': set partition true or drop defaultPartition.`,
        this,
      );
    }
    this.partitionName = partition ? this.name : undefined;
    const extra = extraResources(
      this,
      'extraResourcesPerNode',
      options.extraResourcesPerNode,
      'gpusPerNode, cpu or memoryGiB',
    );
    const nodeSelector = {
      [ACCELERATOR_NODE_LABEL]: options.accelerator.labelValue,
      ...(options.nodeSelector ?? {}),
    };
    assertNodeLabels(this, `'nodeSelector'`, nodeSelector);
    const tolerations = Validate.array<ApiToleration>(this, 'tolerations', options.tolerations ?? []).map(
      (t, i) => {
        Validate.k8sToleration(this, `tolerations[${i}]`, t);
        return { ...t };
      },
    );

    const resources = {
      [NVIDIA_GPU_RESOURCE]: String(gpus),
      cpu,
      memory: `${memory}Gi`,
      ...extra,
    };
    const shared = cluster._sharedVolume;
    const volumes: Record<string, unknown>[] = [
      { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: `${shm}Gi` } },
      ...(shared ? [{ name: 'shared', persistentVolumeClaim: { claimName: shared.claimName } }] : []),
    ];
    const mounts = [
      { name: 'shm', mountPath: '/dev/shm' },
      ...(shared ? [{ name: 'shared', mountPath: shared.mountPath }] : []),
    ];
    const labels = {
      ...MANAGED_BY,
      'app.kubernetes.io/part-of': 'slurm',
      'app.kubernetes.io/instance': cluster.name,
    };
    assertCrdInOtherStack(this, SLINKY_API_GROUP, 'NodeSet');
    this.resource = new Manifest(this, 'Resource', {
      manifest: {
        apiVersion: API_VERSION,
        kind: 'NodeSet',
        metadata: { name: resourceName, namespace: cluster.namespace, labels },
        spec: {
          controllerRef: { name: cluster.name },
          replicas: options.replicas,
          // One `Key=Value` per space: the operator splits on single spaces (see above).
          // The operator adds `Features=<name>` itself; the GPU model is a second feature.
          extraConf: [`Gres=${this.gres}`, ...(gresType === this.name ? [] : [`Features=${gresType}`])].join(
            ' ',
          ),
          partition: partition
            ? { enabled: true, config: `State=UP MaxTime=UNLIMITED${defaultPartition ? ' Default=YES' : ''}` }
            : { enabled: false },
          slurmd: {
            image: imageRef(SLURM_IMAGES.slurmd),
            imagePullPolicy: 'IfNotPresent',
            resources: { requests: resources, limits: resources },
            volumeMounts: mounts,
          },
          logfile: {
            image: imageRef(SLURM_IMAGES.slurmd),
            imagePullPolicy: 'IfNotPresent',
            resources: smallResources(),
          },
          template: {
            spec: {
              // Slurm node names `<name>-<i>` instead of `<nodeset resource name>-<i>`.
              hostname: `${this.name}-`,
              nodeSelector,
              // The pod's tolerations replace the operator's own list: keep its worker toleration.
              tolerations: [gpuToleration(), WORKER_TOLERATION, ...tolerations],
              volumes,
            },
          },
          // Never evict a node that runs a job (the operator's PodDisruptionBudget), and drain
          // Slurm nodes before their pods are replaced.
          workloadDisruptionProtection: true,
          updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        },
      },
      dependsOn: [cluster.resource],
    });
    this.node.defaultChild = this.resource;
  }
}

function smallResources(): Record<string, Record<string, string>> {
  return { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '64Mi' } };
}

/** A container of a non-root Slurm daemon (UID 401 from the operator's pod context), hardened to "restricted". */
function hardenedContainer(
  image: ImageVersion,
  requests: { cpu: string; memory: string },
): Record<string, unknown> {
  return {
    image: imageRef(image),
    imagePullPolicy: 'IfNotPresent',
    resources: { requests, limits: { memory: requests.memory } },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: SLURM_UID,
      runAsGroup: SLURM_UID,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
  };
}

function assertMountPath(scope: Construct, prop: string, path: string): void {
  Validate.string(scope, prop, path);
  if (!Token.isUnresolved(path) && (!path.startsWith('/') || path === '/' || /[\s:]/.test(path))) {
    throw new ValidationError(
      `'${prop}' ('${path}') must be an absolute directory path other than '/', without spaces or ':', for example '/checkpoints'.`,
      scope,
    );
  }
}

function assertSecretRef(scope: Construct, prop: string, ref: SecretKeyRef): void {
  Validate.object(scope, prop, ref);
  assertDnsLabel(scope, `${prop}.name`, ref.name, 253);
  Validate.string(scope, `${prop}.key`, ref.key);
  if (!Token.isUnresolved(ref.key) && (!/^[-._a-zA-Z0-9]+$/.test(ref.key) || ref.key.length > 253)) {
    throw new ValidationError(
      `'${prop}.key' ('${ref.key}') is not a valid Secret key: at most 253 letters, digits, '-', '_' or '.', for example 'password'.`,
      scope,
    );
  }
}

/** Parameters the operator writes itself, or this construct does: setting them again is a mistake. */
const OPERATOR_OWNED_PARAMS = [
  'ClusterName',
  'SlurmUser',
  'SlurmctldHost',
  'SlurmctldPort',
  'StateSaveLocation',
  'SlurmdUser',
  'SlurmdPort',
  'SlurmdSpoolDir',
  'SlurmctldLogFile',
  'SlurmdLogFile',
  'AuthType',
  'CredType',
  'AuthAltTypes',
  'AuthAltParameters',
  'AccountingStorageType',
  'AccountingStorageHost',
  'AccountingStoragePort',
  'GresTypes',
];

function slurmConfLines(scope: Construct, conf: Record<string, string>): string[] {
  Validate.stringMap(scope, 'slurmConf', conf);
  return Object.entries(conf).map(([k, v]) => {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(k)) {
      throw new ValidationError(
        `'slurmConf' key '${k}' is not a slurm.conf parameter name (letters and digits, for example 'SchedulerParameters').`,
        scope,
      );
    }
    const owned = OPERATOR_OWNED_PARAMS.find((p) => p.toLowerCase() === k.toLowerCase());
    if (owned) {
      throw new ValidationError(
        `'slurmConf' must not set '${k}': the operator or this construct writes ${owned} (use the construct's ` +
          `props: clusterName, accounting, NodeSets for GRES).`,
        scope,
      );
    }
    if (!Token.isUnresolved(v) && (v.trim() === '' || /[\n\r]/.test(v))) {
      throw new ValidationError(
        `'slurmConf['${k}']' must be a non-empty single line, got ${JSON.stringify(v)}.`,
        scope,
      );
    }
    return `${k}=${v}`;
  });
}

function accountingResource(
  cluster: SlurmCluster,
  acct: SlurmAccountingOptions,
  metadata: Record<string, unknown>,
  slurmKeyRef: SecretKeyRef,
  jwtKeyRef: SecretKeyRef,
): Manifest {
  const scope = cluster;
  Validate.object(scope, 'accounting', acct);
  Validate.string(scope, 'accounting.host', acct.host);
  if (!Token.isUnresolved(acct.host) && !/^[A-Za-z0-9]([-A-Za-z0-9.]*[A-Za-z0-9])?$/.test(acct.host)) {
    throw new ValidationError(
      `'accounting.host' ('${acct.host}') must be a host name or IP address, for example 'slurm-db.example.internal'.`,
      scope,
    );
  }
  const port = acct.port ?? 3306;
  assertInteger(scope, 'accounting.port', port, 1, 65535);
  const database = acct.database ?? 'slurm_acct_db';
  Validate.string(scope, 'accounting.database', database);
  if (!Token.isUnresolved(database) && !/^[A-Za-z0-9_]{1,64}$/.test(database)) {
    throw new ValidationError(
      `'accounting.database' ('${database}') must be at most 64 letters, digits or '_' (a MySQL schema name), for example 'slurm_acct_db'.`,
      scope,
    );
  }
  Validate.string(scope, 'accounting.username', acct.username);
  if (!Token.isUnresolved(acct.username) && (acct.username.length > 32 || /[\s'"]/.test(acct.username))) {
    throw new ValidationError(
      `'accounting.username' ('${acct.username}') must be at most 32 characters without spaces or quotes (a MySQL user name).`,
      scope,
    );
  }
  assertSecretRef(scope, 'accounting.passwordSecret', acct.passwordSecret);
  assertCrdInOtherStack(scope, SLINKY_API_GROUP, 'Accounting');
  return new Manifest(scope, 'Accounting', {
    manifest: {
      apiVersion: API_VERSION,
      kind: 'Accounting',
      metadata,
      spec: {
        slurmKeyRef,
        jwtKeyRef,
        storageConfig: {
          host: acct.host,
          port,
          database,
          username: acct.username,
          passwordKeyRef: { name: acct.passwordSecret.name, key: acct.passwordSecret.key },
        },
        slurmdbd: hardenedContainer(SLURM_IMAGES.slurmdbd, { cpu: '500m', memory: '1Gi' }),
        template: { spec: { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } } },
      },
    },
    dependsOn: [...cluster._prerequisites],
  });
}

/**
 * An sssd.conf that resolves only the login image's local users (sssd's `proxy` provider over
 * `files`), hiding root and slurm from enumeration: logins are root with authorized keys.
 * Written from sssd.conf(5) (`id_provider = proxy`, `proxy_lib_name = files`) as the upstream
 * chart's default is (helm/slurm/values.yaml `sssd.conf` at v1.2.1).
 */
const LOCAL_SSSD_CONF = [
  '[sssd]',
  'services = nss,pam',
  'domains = LOCAL',
  '',
  '[nss]',
  'filter_users = root,slurm',
  'filter_groups = root,slurm',
  '',
  '[pam]',
  '',
  '[domain/LOCAL]',
  'id_provider = proxy',
  'proxy_lib_name = files',
  'auth_provider = proxy',
  'proxy_pam_target = sssd-shadowutils',
  '',
].join('\n');

const SSH_PUBLIC_KEY =
  /^(ssh-(ed25519|rsa|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\n\r]*)?$/;

function loginResource(
  cluster: SlurmCluster,
  login: SlurmLoginOptions,
  meta: (name: string) => Record<string, unknown>,
  labels: Record<string, string>,
  prerequisites: ITerraformDependable[],
): Manifest {
  const scope = cluster;
  Validate.object(scope, 'login', login);
  const keys = login.rootAuthorizedKeys ?? [];
  Validate.array(scope, 'login.rootAuthorizedKeys', keys);
  keys.forEach((k, i) => {
    Validate.string(scope, `login.rootAuthorizedKeys[${i}]`, k);
    if (!Token.isUnresolved(k) && !SSH_PUBLIC_KEY.test(k)) {
      throw new ValidationError(
        `'login.rootAuthorizedKeys[${i}]' is not an OpenSSH public key line ('<type> <base64> [comment]', for example ` +
          `'ssh-ed25519 AAAAC3Nz... alice@example.com'): got '${k.slice(0, 40)}${k.length > 40 ? '...' : ''}'.`,
        scope,
      );
    }
  });
  if (login.sssdConf !== undefined) assertSecretRef(scope, 'login.sssdConf', login.sssdConf);
  if (keys.length === 0 && login.sssdConf === undefined) {
    throw new ValidationError(
      `'login' has neither 'rootAuthorizedKeys' nor 'sssdConf': nobody could log in. Give the administrators' public ` +
        `keys, an sssd.conf Secret for the site's identity service, or both.`,
      scope,
    );
  }
  const replicas = login.replicas ?? 1;
  assertInteger(scope, 'login.replicas', replicas, 1, 100);
  const serviceType =
    login.serviceType === undefined
      ? SlurmLoginServiceType.CLUSTER_IP
      : Validate.oneOf(scope, 'login.serviceType', login.serviceType, Object.values(SlurmLoginServiceType));
  const annotations = login.serviceAnnotations ?? {};
  Validate.stringMap(scope, 'login.serviceAnnotations', annotations);
  Object.keys(annotations).forEach((k) =>
    Validate.k8sLabelKey(scope, `login.serviceAnnotations key '${k}'`, k),
  );
  if (serviceType === SlurmLoginServiceType.LOAD_BALANCER) {
    addDerivedLoadBalancerCost(
      scope,
      loadBalancerOfService(annotations),
      `the Slurm login Service '${cluster.name}-login'`,
    );
  }

  const deps: ITerraformDependable[] = [...prerequisites, cluster.resource];
  let sssdRef = login.sssdConf ? { name: login.sssdConf.name, key: login.sssdConf.key } : undefined;
  if (!sssdRef) {
    const name = `${cluster.name}-sssd`;
    deps.push(
      new SecretV1(scope, 'SssdConf', {
        metadata: meta(name),
        data: { 'sssd.conf': LOCAL_SSSD_CONF },
        dependsOn: [...prerequisites],
      }),
    );
    sssdRef = { name, key: 'sssd.conf' };
  }
  const shared = cluster._sharedVolume;
  assertCrdInOtherStack(scope, SLINKY_API_GROUP, 'LoginSet');
  return new Manifest(scope, 'Login', {
    manifest: {
      apiVersion: API_VERSION,
      kind: 'LoginSet',
      metadata: { ...meta(`${cluster.name}-login`), labels },
      spec: {
        controllerRef: { name: cluster.name },
        replicas,
        sssdConfRef: sssdRef,
        ...(keys.length ? { rootSshAuthorizedKeys: `${keys.join('\n')}\n` } : {}),
        // Password logins off: keys (or sssd's Kerberos/GSSAPI) only.
        extraSshdConfig: 'PasswordAuthentication no\nKbdInteractiveAuthentication no\n',
        login: {
          image: imageRef(SLURM_IMAGES.login),
          imagePullPolicy: 'IfNotPresent',
          resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { memory: '4Gi' } },
          ...(shared ? { volumeMounts: [{ name: 'shared', mountPath: shared.mountPath }] } : {}),
        },
        // The init container copies the Slurm configuration with find/xargs/chown: the login image has them.
        initconf: {
          image: imageRef(SLURM_IMAGES.login),
          imagePullPolicy: 'IfNotPresent',
          resources: smallResources(),
        },
        ...(shared
          ? {
              template: {
                spec: {
                  volumes: [{ name: 'shared', persistentVolumeClaim: { claimName: shared.claimName } }],
                },
              },
            }
          : {}),
        service: {
          ...(Object.keys(annotations).length ? { metadata: { annotations } } : {}),
          spec: { type: serviceType },
        },
      },
    },
    dependsOn: deps,
  });
}
