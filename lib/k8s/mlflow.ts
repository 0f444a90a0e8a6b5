import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceAccountV1 } from '@cdktf/provider-kubernetes/lib/service-account-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { Lazy, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import { describeValue, Validate, ValidationError } from '../core';
import {
  BUCKET_URI,
  MANAGED_BY,
  assertDnsLabel,
  assertInteger,
  assertServiceName,
  userImageRef,
} from './private/common';
import { MLFLOW_LAUNCHER_PY } from './private/mlflow-launcher';
import { mlflowPolicyRules } from './private/mlflow-network-policy';
import { PodSecurityLevel } from './pod-security';
import type { PodEnvVar } from './pod-spec';
import { IMAGES, ImageVersion } from './versions';

/** The port the MLflow server listens on (MLflow's default, `--port`). */
export const MLFLOW_PORT = 5000;

/** Permissions MLflow's basic-auth app grants users on resources they were given nothing on. */
export enum MlflowPermission {
  /** Read experiments, runs and registered models. */
  READ = 'READ',
  /** Read and update. */
  EDIT = 'EDIT',
  /** Read, update, delete and manage permissions. */
  MANAGE = 'MANAGE',
  /** Nothing until granted. */
  NO_PERMISSIONS = 'NO_PERMISSIONS',
}

/** Options of {@link MlflowDatabase.awsSecretsManager}. */
export interface AwsSecretsManagerCredentialsOptions {
  /** ARN of the secret: RDS's managed master user secret (`MlflowDatabase.masterUserSecretArn` on AWS). */
  readonly secretArn: string;
  /** AWS region of the secret. */
  readonly region: string;
}

/** Options of {@link MlflowDatabase.kubernetesSecret}. */
export interface KubernetesSecretCredentialsOptions {
  /** Name of a Secret in the server's namespace with the keys `username` and `password`. */
  readonly secretName: string;
}

/** Where the PostgreSQL backend store is. */
export interface MlflowDatabaseEndpoint {
  /** Host name or IP address of the PostgreSQL server (private). */
  readonly host: string;
  /**
   * Port.
   * @default 5432
   */
  readonly port?: number;
  /**
   * Database of the tracking store and model registry (must exist).
   * @default 'mlflow'
   */
  readonly database?: string;
  /**
   * Database of the basic-auth users and permissions; created by the server at its first start
   * when missing (the user needs `CREATEDB`, which RDS and Cloud SQL users have). It cannot be the
   * tracking database: both keep their schema revision in `alembic_version`.
   * @default 'mlflow_auth'
   */
  readonly authDatabase?: string;
}

/**
 * The PostgreSQL backend store of an {@link MlflowServer} and how the server gets its
 * credentials: from AWS Secrets Manager (the RDS-managed master password, read at start through
 * the pod's identity and re-read after each rotation) or from a Kubernetes Secret. Connections
 * require TLS (`sslmode=require`).
 *
 * @example
 * MlflowDatabase.awsSecretsManager({ host: db.address, secretArn: db.masterUserSecretArn, region: 'us-east-1' });
 * MlflowDatabase.kubernetesSecret({ host: '10.20.0.3', secretName: 'mlflow-db' });
 */
export class MlflowDatabase {
  /** Credentials from AWS Secrets Manager (a JSON secret with `username` and `password`). */
  public static awsSecretsManager(
    options: MlflowDatabaseEndpoint & AwsSecretsManagerCredentialsOptions,
  ): MlflowDatabase {
    return new MlflowDatabase('aws-secrets-manager', options, options);
  }

  /** Credentials from a Kubernetes Secret with the keys `username` and `password`. */
  public static kubernetesSecret(
    options: MlflowDatabaseEndpoint & KubernetesSecretCredentialsOptions,
  ): MlflowDatabase {
    return new MlflowDatabase('environment', options, options);
  }

  /** `aws-secrets-manager` or `environment`. */
  public readonly credentialSource: string;
  /** The endpoint. */
  public readonly endpoint: MlflowDatabaseEndpoint;
  private readonly secretOptions: Partial<
    AwsSecretsManagerCredentialsOptions & KubernetesSecretCredentialsOptions
  >;

  private constructor(
    source: string,
    endpoint: MlflowDatabaseEndpoint,
    secret: Partial<AwsSecretsManagerCredentialsOptions & KubernetesSecretCredentialsOptions>,
  ) {
    this.credentialSource = source;
    this.endpoint = endpoint;
    this.secretOptions = secret;
  }

  /** Validates the options (errors on `scope`) and renders the launcher's environment. */
  public bind(scope: IConstruct): PodEnvVar[] {
    const e = Validate.object<MlflowDatabaseEndpoint>(scope, 'database', this.endpoint);
    Validate.string(scope, 'database.host', e.host);
    if (!Token.isUnresolved(e.host) && !/^[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/.test(e.host)) {
      throw new ValidationError(
        `'database.host' ('${e.host}') must be a host name or IPv4 address, for example 'mlflow.abc123.us-east-1.rds.amazonaws.com' or '10.20.0.3'.`,
        scope,
      );
    }
    const port = e.port ?? 5432;
    assertInteger(scope, 'database.port', port, 1, 65535);
    const names: [string, string][] = [
      ['database.database', e.database ?? 'mlflow'],
      ['database.authDatabase', e.authDatabase ?? 'mlflow_auth'],
    ];
    for (const [prop, v] of names) {
      Validate.string(scope, prop, v);
      if (!Token.isUnresolved(v) && !/^[a-z_][a-z0-9_]{0,62}$/.test(v)) {
        throw new ValidationError(
          `'${prop}' ('${v}') must be a PostgreSQL database name of at most 63 lower-case letters, digits or '_', starting with a letter or '_', for example 'mlflow'.`,
          scope,
        );
      }
    }
    if (names[0][1] === names[1][1]) {
      throw new ValidationError(
        `'database.authDatabase' ('${names[1][1]}') must differ from 'database.database': MLflow's auth store and tracking store ` +
          `both keep their schema revision in 'alembic_version', so one database cannot hold both.`,
        scope,
      );
    }
    const env: PodEnvVar[] = [
      { name: 'MLFLOW_DB_CREDENTIALS', value: this.credentialSource },
      { name: 'MLFLOW_DB_HOST', value: e.host },
      { name: 'MLFLOW_DB_PORT', value: String(port) },
      { name: 'MLFLOW_DB_NAME', value: names[0][1] },
      { name: 'MLFLOW_AUTH_DB_NAME', value: names[1][1] },
    ];
    if (this.credentialSource === 'aws-secrets-manager') {
      const arn = Validate.arn(scope, 'database.secretArn', this.secretOptions.secretArn, {
        service: 'secretsmanager',
        resourcePrefix: 'secret:',
      });
      const region = Validate.awsRegion(scope, 'database.region', this.secretOptions.region);
      env.push(
        { name: 'MLFLOW_DB_SECRET_ARN', value: arn },
        { name: 'MLFLOW_DB_SECRET_REGION', value: region },
      );
    } else {
      const name = Validate.k8sDnsSubdomain(scope, 'database.secretName', this.secretOptions.secretName, {
        what: 'a Secret name',
      });
      env.push(
        { name: 'MLFLOW_DB_USERNAME', valueFrom: { secretKeyRef: { name, key: 'username' } } },
        { name: 'MLFLOW_DB_PASSWORD', valueFrom: { secretKeyRef: { name, key: 'password' } } },
      );
    }
    return env;
  }
}

/** Route the MLflow server through a Gateway API gateway (for example the internal `InferenceGateway`). */
export interface MlflowGatewayRoute {
  /** Name of the Gateway. */
  readonly gatewayName: string;
  /** Namespace of the Gateway (its listener must allow routes from the server's namespace). */
  readonly gatewayNamespace: string;
  /** Host names the route answers; each is added to the server's `--allowed-hosts`. */
  readonly hostnames: string[];
}

/** A client of the MLflow server: the pods of a namespace, or those of its pods with given labels. */
export interface MlflowNetworkClient {
  /** Namespace of the clients (a training or serving namespace). */
  readonly namespace: string;
  /**
   * Labels the client pods carry (`podSelector.matchLabels` within `namespace`).
   * @default - every pod of the namespace
   */
  readonly podLabels?: Record<string, string>;
}

/** A TCP destination the MLflow server may also connect to. */
export interface MlflowNetworkEgress {
  /** IPv4 CIDR block. */
  readonly cidr: string;
  /** TCP port. */
  readonly port: number;
}

/**
 * The MLflow server's NetworkPolicy (ingress and egress). Ingress to port 5000 from the server's
 * own namespace, the `clients`, the route's gateway namespace and `clientCidrs`; egress to DNS
 * (port 53, UDP and TCP), the database port (the host's /32 when it is an IPv4 address, else any
 * address, or `databaseCidrs`), HTTPS (443, any address: the artifact bucket, AWS Secrets Manager,
 * STS and Google's APIs have public, changing addresses) and port 80 of the credential endpoints
 * (`169.254.170.23`, the EKS Pod Identity Agent; `169.254.169.254`, the metadata server of GKE's
 * Workload Identity Federation). Everything else is denied. Kubelet probes from the pod's node
 * are always allowed. Enforced only by a network plugin that enforces NetworkPolicies (EKS VPC
 * CNI with `networkPolicy`, EKS Auto Mode with its NodeClass `networkPolicy`, GKE Dataplane V2,
 * Calico, Cilium).
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export interface MlflowNetworkPolicy {
  /**
   * Create the NetworkPolicy.
   * @default true
   */
  readonly enabled?: boolean;
  /**
   * Namespaces (and pods in them) that may call the server: where training jobs and model
   * servers that log to or load from MLflow run.
   * @default - none besides the server's own namespace and the route's gateway
   */
  readonly clients?: MlflowNetworkClient[];
  /**
   * Whether pods of the server's own namespace may call it.
   * @default true
   */
  readonly allowSameNamespace?: boolean;
  /**
   * IPv4 CIDR blocks whose connections may reach the server (`ipBlock` sources): callers outside
   * the pod network, such as a GKE gateway's proxy-only subnet.
   * @default - none
   */
  readonly clientCidrs?: string[];
  /**
   * IPv4 CIDR blocks the database is in (its subnets), to narrow the database egress rule.
   * @default - the database host's /32 when it is an IPv4 address, else any address on the database port
   */
  readonly databaseCidrs?: string[];
  /**
   * Further TCP destinations the server may connect to (a proxy, a private endpoint on
   * another port, a GKE Dataplane V2 metadata address).
   * @default - none
   */
  readonly extraEgress?: MlflowNetworkEgress[];
}

/** Properties of an {@link MlflowServer}. */
export interface MlflowServerProps {
  /** The PostgreSQL backend store. */
  readonly database: MlflowDatabase;
  /**
   * Where the server stores artifacts (`--artifacts-destination`): `s3://bucket/prefix` or
   * `gs://bucket/prefix`. The server proxies artifact uploads and downloads
   * (`--serve-artifacts`), so clients need no bucket credentials; its service account needs
   * read-write access (`aws.MlflowStore` / `gcp.MlflowStore` grant it).
   */
  readonly artifactsDestination: string;
  /**
   * Secret (in the server's namespace, created by you) with the keys `username` and `password`
   * of the basic-auth admin (created at the first start; later changes to the Secret do not
   * change an existing admin's password: change it through the API) and `flask-secret-key`
   * (Flask's session and CSRF key, the same in every replica). MLflow's basic-auth app
   * (`--app-name basic-auth`) then requires a user on every request except `/health`.
   */
  readonly adminSecretName: string;
  /**
   * What users get on experiments and models they were granted nothing on.
   * @default MlflowPermission.READ
   */
  readonly defaultPermission?: MlflowPermission;
  /**
   * Namespace (must exist; the pods meet Pod Security "restricted").
   * @default 'mlflow'
   */
  readonly namespace?: string;
  /**
   * Name of the Deployment, Service and ServiceAccount. The workload identity (EKS Pod Identity
   * or GKE Workload Identity) is bound to this service account.
   * @default 'mlflow'
   */
  readonly name?: string;
  /**
   * Replicas.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Server worker processes per replica (`--workers`).
   * @default 2
   */
  readonly workers?: number;
  /**
   * Image.
   * @default IMAGES.mlflow
   */
  readonly image?: ImageVersion;
  /**
   * CPU request (the limit is not set).
   * @default '500m'
   */
  readonly cpu?: string;
  /**
   * Memory request and limit.
   * @default '2Gi'
   */
  readonly memory?: string;
  /**
   * Route the server through a gateway.
   * @default - reachable inside the cluster only, through the ClusterIP Service
   */
  readonly route?: MlflowGatewayRoute;
  /**
   * The server's NetworkPolicy: who may call it and where it may connect.
   * @default - a NetworkPolicy allowing the own namespace and the gateway in, and DNS, the database, HTTPS and the credential endpoints out
   */
  readonly networkPolicy?: MlflowNetworkPolicy;
}

/**
 * An MLflow tracking server and model registry on Kubernetes: a Deployment of the pinned MLflow
 * image (`IMAGES.mlflow`), a ClusterIP Service, a ServiceAccount for the workload identity, a
 * PodDisruptionBudget and optionally an HTTPRoute through a gateway.
 *
 * The server runs `mlflow server --serve-artifacts --artifacts-destination <bucket> --app-name
 * basic-auth` with a PostgreSQL backend store: a small launcher (a ConfigMap) reads the database
 * credentials (AWS Secrets Manager or a Secret), creates the auth database, upgrades an existing
 * schema and writes the auth configuration before it execs the server. `--allowed-hosts` lists
 * the Service's DNS names (and the route's host names): MLflow's security middleware refuses
 * other Host headers. The pods meet Pod Security "restricted" (UID 1000, read-only root file
 * system, no capabilities).
 *
 * @see https://mlflow.org/docs/latest/self-hosting/
 * @example
 * new MlflowServer(workloads, 'Mlflow', {
 *   database: MlflowDatabase.awsSecretsManager({ host: store.databaseAddress, secretArn: store.masterUserSecretArn, region: 'us-east-1' }),
 *   artifactsDestination: store.artifactsDestination,
 *   adminSecretName: 'mlflow-admin',
 * });
 */
export class MlflowServer extends Construct implements IMlflowTrackingServer {
  /** The Deployment. */
  public readonly resource: DeploymentV1;
  /** The Service. */
  public readonly service: ServiceV1;
  /** The ServiceAccount the workload identity is bound to. */
  public readonly serviceAccount: ServiceAccountV1;
  /** The launcher ConfigMap. */
  public readonly launcher: ConfigMapV1;
  /** The disruption budget. */
  public readonly podDisruptionBudget: PodDisruptionBudgetV1;
  /** The HTTPRoute, when `route` is set. */
  public readonly route?: Manifest;
  /** The NetworkPolicy, unless `networkPolicy.enabled` is false. */
  public readonly networkPolicy?: NetworkPolicyV1;
  /** Namespace. */
  public readonly namespace: string;
  /** Name of the Deployment, Service and ServiceAccount. */
  public readonly name: string;
  /** The tracking URI inside the cluster, `http://<name>.<namespace>.svc.cluster.local:5000`. */
  public readonly trackingUri: string;
  /** The `mlflow server` arguments after `server`. */
  public readonly serverArgs: string[];
  /** The Pod Security level the pods meet. */
  public readonly podSecurityLevel = PodSecurityLevel.RESTRICTED;
  private readonly clientNamespaces: string[] = [];
  private allowSameNamespace = true;

  constructor(scope: Construct, id: string, props: MlflowServerProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    if (!(props.database instanceof MlflowDatabase)) {
      throw new ValidationError(
        `'database' must be an MlflowDatabase (MlflowDatabase.awsSecretsManager(...) or MlflowDatabase.kubernetesSecret(...)).`,
        this,
      );
    }
    const namespace = (this.namespace = props.namespace ?? 'mlflow');
    assertDnsLabel(this, 'namespace', namespace);
    const name = (this.name = props.name ?? 'mlflow');
    assertServiceName(this, 'name', name);
    const dest = Validate.string(this, 'artifactsDestination', props.artifactsDestination);
    if (!Token.isUnresolved(dest) && !BUCKET_URI.test(dest)) {
      throw new ValidationError(
        `'artifactsDestination' (${describeValue(dest)}) must be an 's3://bucket/prefix' or 'gs://bucket/prefix' URI: the server proxies ` +
          `artifacts to it (--serve-artifacts).`,
        this,
      );
    }
    const adminSecret = Validate.k8sDnsSubdomain(this, 'adminSecretName', props.adminSecretName, {
      what: 'a Secret name',
    });
    const permission = props.defaultPermission ?? MlflowPermission.READ;
    if (!Object.values(MlflowPermission).includes(permission)) {
      throw new ValidationError(
        `'defaultPermission' ('${String(permission)}') must be one of ${Object.values(MlflowPermission).join(', ')}.`,
        this,
      );
    }
    const replicas = props.replicas ?? 2;
    assertInteger(this, 'replicas', replicas, 1, 20);
    const workers = props.workers ?? 2;
    assertInteger(this, 'workers', workers, 1, 32);
    const image = Validate.imageReference(
      this,
      'image',
      userImageRef(this, 'image', props.image ?? IMAGES.mlflow),
    );
    const cpu = Validate.k8sQuantity(this, 'cpu', props.cpu ?? '500m');
    const memory = Validate.k8sQuantity(this, 'memory', props.memory ?? '2Gi');

    const serviceHosts = [
      name,
      `${name}.${namespace}`,
      `${name}.${namespace}.svc`,
      `${name}.${namespace}.svc.cluster.local`,
    ];
    const routeHosts: string[] = [];
    if (props.route !== undefined) {
      const r = Validate.object<MlflowGatewayRoute>(this, 'route', props.route);
      Validate.k8sDnsSubdomain(this, 'route.gatewayName', r.gatewayName, { what: 'a Gateway name' });
      Validate.k8sDnsLabel(this, 'route.gatewayNamespace', r.gatewayNamespace, { what: 'a namespace' });
      const hosts = Validate.array<string>(this, 'route.hostnames', r.hostnames);
      if (hosts.length === 0) {
        throw new ValidationError(
          `'route.hostnames' is empty: name the host the gateway serves MLflow on (for example 'mlflow.internal.example.com'); ` +
            `MLflow refuses requests whose Host header it does not allow.`,
          this,
        );
      }
      hosts.forEach((h, i) => {
        Validate.string(this, `route.hostnames[${i}]`, h);
        if (
          !Token.isUnresolved(h) &&
          !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/.test(h)
        ) {
          throw new ValidationError(
            `'route.hostnames[${i}]' ('${h}') must be a fully qualified lower-case host name (no wildcard, no port), for example 'mlflow.internal.example.com'.`,
            this,
          );
        }
      });
      Validate.unique(this, 'route.hostnames', hosts);
      routeHosts.push(...hosts);
    }
    // MLflow matches the whole Host header (with its port) against each pattern (fnmatch).
    const allowedHosts = [...serviceHosts, ...routeHosts].flatMap((h) => [h, `${h}:*`]);

    const databaseEnv = props.database.bind(this);
    this.serverArgs = [
      '--host',
      '0.0.0.0',
      '--port',
      String(MLFLOW_PORT),
      '--workers',
      String(workers),
      '--serve-artifacts',
      '--artifacts-destination',
      dest,
      '--app-name',
      'basic-auth',
      '--allowed-hosts',
      allowedHosts.join(','),
    ];

    const selector = { 'app.kubernetes.io/name': 'mlflow', 'app.kubernetes.io/instance': name };
    const labels = { ...selector, ...MANAGED_BY };
    this.serviceAccount = new ServiceAccountV1(this, 'ServiceAccount', {
      metadata: { name, namespace, labels },
      automountServiceAccountToken: false,
    });
    this.launcher = new ConfigMapV1(this, 'Launcher', {
      metadata: { name: `${name}-launcher`, namespace, labels },
      data: { 'launcher.py': MLFLOW_LAUNCHER_PY },
    });
    const secretEnv = (envName: string, key: string): PodEnvVar => ({
      name: envName,
      valueFrom: { secretKeyRef: { name: adminSecret, key } },
    });
    const env: PodEnvVar[] = [
      { name: 'HOME', value: '/tmp' },
      { name: 'PYTHONUNBUFFERED', value: '1' },
      // MLflow's anonymous usage telemetry (mlflow/telemetry) is off on a server that holds
      // the organisation's experiments.
      { name: 'MLFLOW_DISABLE_TELEMETRY', value: 'true' },
      ...databaseEnv,
      { name: 'MLFLOW_AUTH_DEFAULT_PERMISSION', value: permission },
      secretEnv('MLFLOW_AUTH_ADMIN_USERNAME', 'username'),
      secretEnv('MLFLOW_AUTH_ADMIN_PASSWORD', 'password'),
      secretEnv('MLFLOW_FLASK_SERVER_SECRET_KEY', 'flask-secret-key'),
    ];
    const checkCommand = ['python3', '/opt/mlflow-launcher/launcher.py', '--check'];
    this.resource = new DeploymentV1(this, 'Resource', {
      metadata: { name, namespace, labels },
      spec: {
        replicas: String(replicas),
        selector: { matchLabels: selector },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '0', maxSurge: '1' } },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: name,
            // The pod's AWS / Google credentials come from the projected token the identity
            // webhook (or the GKE metadata server) provides; no Kubernetes API token is needed.
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: '1000',
              runAsGroup: '1000',
              fsGroup: '1000',
              seccompProfile: { type: 'RuntimeDefault' },
            },
            topologySpreadConstraint: [
              {
                maxSkew: 1,
                topologyKey: 'topology.kubernetes.io/zone',
                whenUnsatisfiable: 'ScheduleAnyway',
                labelSelector: [{ matchLabels: selector }],
              },
            ],
            container: [
              {
                name: 'mlflow',
                image,
                command: ['python3', '/opt/mlflow-launcher/launcher.py'],
                args: [...this.serverArgs],
                env: env.map((e) => ({ ...e })),
                port: [{ name: 'http', containerPort: MLFLOW_PORT, protocol: 'TCP' }],
                resources: { requests: { cpu, memory }, limits: { memory } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  readOnlyRootFilesystem: true,
                  runAsNonRoot: true,
                  capabilities: { drop: ['ALL'] },
                },
                volumeMount: [
                  { name: 'launcher', mountPath: '/opt/mlflow-launcher', readOnly: true },
                  { name: 'tmp', mountPath: '/tmp' },
                ],
                // A fresh database is migrated at the first start (minutes on a small instance).
                startupProbe: {
                  httpGet: { path: '/health', port: 'http' },
                  periodSeconds: 10,
                  failureThreshold: 60,
                },
                readinessProbe: {
                  httpGet: { path: '/health', port: 'http' },
                  periodSeconds: 10,
                  failureThreshold: 3,
                },
                // Restarts the server after the database password rotated (see the launcher).
                livenessProbe: {
                  exec: { command: checkCommand },
                  periodSeconds: 300,
                  timeoutSeconds: 30,
                  failureThreshold: 1,
                },
              },
            ],
            volume: [
              { name: 'launcher', configMap: { name: this.launcher.metadata.name, defaultMode: '0444' } },
              { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
            ],
          },
        },
      },
    });
    this.node.defaultChild = this.resource;
    this.service = new ServiceV1(this, 'Service', {
      metadata: { name, namespace, labels },
      spec: {
        type: 'ClusterIP',
        selector,
        port: [{ name: 'http', port: MLFLOW_PORT, targetPort: 'http', protocol: 'TCP' }],
      },
    });
    this.podDisruptionBudget = new PodDisruptionBudgetV1(this, 'DisruptionBudget', {
      metadata: { name, namespace, labels },
      spec: { maxUnavailable: '1', selector: { matchLabels: selector } },
    });
    this.trackingUri = `http://${name}.${namespace}.svc.cluster.local:${MLFLOW_PORT}`;
    const np = Validate.object<MlflowNetworkPolicy>(this, 'networkPolicy', props.networkPolicy ?? {});
    if (np.enabled !== undefined) Validate.boolean(this, 'networkPolicy.enabled', np.enabled);
    if (np.allowSameNamespace !== undefined) {
      Validate.boolean(this, 'networkPolicy.allowSameNamespace', np.allowSameNamespace);
    }
    const endpoint = props.database.endpoint;
    const rules = mlflowPolicyRules(this, {
      clients: Validate.array<MlflowNetworkClient>(this, 'networkPolicy.clients', np.clients ?? []),
      allowSameNamespace: np.allowSameNamespace ?? true,
      clientCidrs: Validate.array<string>(this, 'networkPolicy.clientCidrs', np.clientCidrs ?? []),
      gatewayNamespace: props.route?.gatewayNamespace,
      databaseHost: endpoint.host,
      databasePort: endpoint.port ?? 5432,
      databaseCidrs: np.databaseCidrs,
      extraEgress: Validate.array<MlflowNetworkEgress>(
        this,
        'networkPolicy.extraEgress',
        np.extraEgress ?? [],
      ),
    });
    this.allowSameNamespace = np.allowSameNamespace ?? true;
    if (np.enabled ?? true) {
      // The clients' namespaces arrive until synth (allowClientNamespace), so the ingress list is
      // produced then, with Terraform's block names (the binding does not map a lazy value's keys).
      const clientPeer = (ns: string) => ({
        namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': ns } },
      });
      const ingress = Lazy.anyValue({
        produce: () => {
          const from = [...rules.ingressFrom, ...this.clientNamespaces.map(clientPeer)];
          return from.length ? [{ from, ports: [{ port: String(MLFLOW_PORT), protocol: 'TCP' }] }] : [];
        },
      });
      this.networkPolicy = new NetworkPolicyV1(this, 'NetworkPolicy', {
        metadata: { name, namespace, labels },
        spec: {
          podSelector: { matchLabels: selector },
          policyTypes: ['Ingress', 'Egress'],
          ingress,
          egress: rules.egress,
        },
      });
    }
    if (props.route !== undefined) {
      this.route = new Manifest(this, 'Route', {
        manifest: {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name, namespace, labels },
          spec: {
            parentRefs: [
              {
                group: 'gateway.networking.k8s.io',
                kind: 'Gateway',
                name: props.route.gatewayName,
                namespace: props.route.gatewayNamespace,
              },
            ],
            hostnames: [...routeHosts],
            rules: [
              {
                matches: [{ path: { type: 'PathPrefix', value: '/' } }],
                backendRefs: [{ group: '', kind: 'Service', name, port: MLFLOW_PORT }],
              },
            ],
          },
        },
      });
    }
  }

  /**
   * The environment a client (a training job) needs: `MLFLOW_TRACKING_URI`. Clients authenticate
   * with `MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD` (basic auth).
   */
  public clientEnv(): Record<string, string> {
    return { MLFLOW_TRACKING_URI: this.trackingUri };
  }

  /**
   * Lets every pod of `namespace` call the server (an ingress source of its NetworkPolicy).
   * Training jobs and `WeightsSource.mlflowModel` servers that name this server call it with their
   * namespace; call it for other clients. Does nothing for the server's own namespace (unless
   * `allowSameNamespace` is false), a namespace already allowed, or without a NetworkPolicy.
   */
  public allowClientNamespace(namespace: string): void {
    Validate.k8sDnsLabel(this, 'allowClientNamespace', namespace, { what: 'a namespace name' });
    if (namespace === this.namespace && this.allowSameNamespace) return;
    if (!this.clientNamespaces.includes(namespace)) this.clientNamespaces.push(namespace);
  }
}

/**
 * An MLflow tracking server clients log to: an {@link MlflowServer}, or `{ trackingUri }` for one
 * the app does not own (SageMaker managed MLflow: the tracking server ARN, used with the
 * `sagemaker-mlflow` client plugin; another cluster's server: its URL).
 */
export interface IMlflowTrackingServer {
  /** `MLFLOW_TRACKING_URI`: an `http(s)://` URL or a SageMaker MLflow tracking server ARN. */
  readonly trackingUri: string;
  /**
   * Lets the pods of `namespace` call the server through its NetworkPolicy. Training jobs and
   * MLflow weights sources call it with their own namespace.
   * @default - absent for a server the app does not own (`{ trackingUri }`): its network rules are
   *   managed where that server runs
   */
  allowClientNamespace?(namespace: string): void;
}

/** Where a training job logs its runs (`TrainingJobProps.tracking`). */
export interface MlflowTracking {
  /** The tracking server. */
  readonly server: IMlflowTrackingServer;
  /**
   * Secret (in the job's namespace) with the keys `username` and `password` of the MLflow user
   * the job logs as (`MLFLOW_TRACKING_USERNAME` / `MLFLOW_TRACKING_PASSWORD`, basic auth).
   * Not used with a SageMaker ARN, which signs requests with the pod's AWS identity.
   * @default - no credentials: only a server without authentication accepts the runs
   */
  readonly credentialsSecretName?: string;
  /**
   * `MLFLOW_EXPERIMENT_NAME`.
   * @default - the job's name
   */
  readonly experimentName?: string;
}

/**
 * The MLflow client environment of a workload: `MLFLOW_TRACKING_URI`, the experiment and the
 * basic-auth credentials from a Secret. Errors name `prop` on `scope`.
 */
export function mlflowClientEnv(
  scope: IConstruct,
  prop: string,
  tracking: MlflowTracking,
  defaultExperiment: string,
  clientNamespace?: string,
): PodEnvVar[] {
  const t = Validate.object<MlflowTracking>(scope, prop, tracking);
  const server = Validate.object<IMlflowTrackingServer>(scope, `${prop}.server`, t.server);
  if (clientNamespace !== undefined && typeof server.allowClientNamespace === 'function') {
    server.allowClientNamespace(clientNamespace);
  }
  const uri = Validate.string(scope, `${prop}.server.trackingUri`, server.trackingUri);
  const arn = /^arn:aws[a-z-]*:sagemaker:[a-z0-9-]+:\d{12}:mlflow-tracking-server\/[A-Za-z0-9-]{1,256}$/;
  if (!Token.isUnresolved(uri) && !arn.test(uri)) {
    Validate.url(scope, `${prop}.server.trackingUri`, uri, { schemes: ['http', 'https'] });
  }
  const experiment = t.experimentName ?? defaultExperiment;
  Validate.string(scope, `${prop}.experimentName`, experiment);
  if (!Token.isUnresolved(experiment) && (experiment.length === 0 || experiment.length > 500)) {
    throw new ValidationError(
      `'${prop}.experimentName' must be 1 to 500 characters (MLflow's limit on experiment names), got ${experiment.length}.`,
      scope,
    );
  }
  const env: PodEnvVar[] = [
    { name: 'MLFLOW_TRACKING_URI', value: uri },
    { name: 'MLFLOW_EXPERIMENT_NAME', value: experiment },
  ];
  if (t.credentialsSecretName !== undefined) {
    const name = Validate.k8sDnsSubdomain(scope, `${prop}.credentialsSecretName`, t.credentialsSecretName, {
      what: 'a Secret name',
    });
    env.push(
      { name: 'MLFLOW_TRACKING_USERNAME', valueFrom: { secretKeyRef: { name, key: 'username' } } },
      { name: 'MLFLOW_TRACKING_PASSWORD', valueFrom: { secretKeyRef: { name, key: 'password' } } },
    );
  }
  return env;
}
