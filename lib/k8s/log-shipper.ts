import { Release } from '@cdktf/provider-helm/lib/release';
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { IMonitoringStack } from './interfaces';
import { PodSecurityLevel } from './pod-security';
import { toYaml } from './private/common';
import { addPinnedRelease } from './private/helm-release';
import { opsNamespace, opsReleaseNames } from './private/telemetry';
import { OPS_HELM_CHARTS } from './versions';

/**
 * The stream labels `LogDestination.loki` gives every line: `job` (this value), `namespace`, `pod`
 * and `container`. Loki's ruler rules select on them.
 */
export const LOKI_STREAM_JOB = 'fluent-bit';

/** Options of {@link LogDestination.cloudWatch}. */
export interface CloudWatchLogDestinationOptions {
  /** AWS region of the group. */
  readonly region: string;
  /** The log group (created beforehand: `aws.ContainerLogs.logGroupName`). */
  readonly logGroupName: string;
}

/** Options of {@link LogDestination.loki}. */
export interface LokiLogDestinationOptions {
  /** Loki's push host, for example the `loki` chart's gateway `loki-gateway.loki.svc`. */
  readonly host: string;
  /**
   * Port.
   * @default 80
   */
  readonly port?: number;
  /**
   * TLS to Loki.
   * @default false
   */
  readonly tls?: boolean;
  /**
   * Tenant (`X-Scope-OrgID`) of a multi-tenant Loki.
   * @default - none
   */
  readonly tenantId?: string;
}

/** Where the {@link LogShipper} sends container logs: one Fluent Bit `[OUTPUT]` section. */
export class LogDestination {
  /**
   * CloudWatch Logs (EKS): the `cloudwatch_logs` output into an existing group, one stream per
   * container (`<namespace>.<pod>.<container>`), with the shipper's Pod Identity role.
   */
  public static cloudWatch(options: CloudWatchLogDestinationOptions): LogDestination {
    Validate.object(undefined, 'LogDestination.cloudWatch options', options);
    Validate.awsRegion(undefined, 'LogDestination.cloudWatch region', options.region);
    const group = Validate.string(undefined, 'LogDestination.cloudWatch logGroupName', options.logGroupName);
    if (!Token.isUnresolved(group) && !/^[\w#/.-]{1,512}$/.test(group)) {
      throw new ValidationError(
        `'logGroupName' ('${group}') must be 1-512 letters, digits, '_', '-', '/', '.' or '#'.`,
        undefined,
      );
    }
    return new LogDestination('cloudwatch', [
      ['Name', 'cloudwatch_logs'],
      ['Match', 'kube.*'],
      ['region', options.region],
      ['log_group_name', group],
      ['log_stream_prefix', 'fallback-'],
      [
        'log_stream_template',
        "$kubernetes['namespace_name'].$kubernetes['pod_name'].$kubernetes['container_name']",
      ],
      ['auto_create_group', 'Off'],
    ]);
  }

  /** Grafana Loki (any cluster): the `loki` output with namespace, pod and container labels. */
  public static loki(options: LokiLogDestinationOptions): LogDestination {
    Validate.object(undefined, 'LogDestination.loki options', options);
    const host = Validate.string(undefined, 'LogDestination.loki host', options.host);
    if (!Token.isUnresolved(host) && !/^[A-Za-z0-9.-]{1,253}$/.test(host)) {
      throw new ValidationError(
        `'host' ('${host}') must be a host name without scheme or port.`,
        undefined,
        'url',
      );
    }
    const port = Validate.integer(undefined, 'LogDestination.loki port', options.port ?? 80, {
      min: 1,
      max: 65535,
    });
    if (options.tls !== undefined) Validate.boolean(undefined, 'LogDestination.loki tls', options.tls);
    if (options.tenantId !== undefined) {
      Validate.string(undefined, 'LogDestination.loki tenantId', options.tenantId, { maxLength: 150 });
    }
    return new LogDestination('loki', [
      ['Name', 'loki'],
      ['Match', 'kube.*'],
      ['host', host],
      ['port', String(port)],
      ['tls', options.tls ? 'On' : 'Off'],
      ...(options.tenantId ? ([['tenant_id', options.tenantId]] as Array<[string, string]>) : []),
      [
        'labels',
        `job=${LOKI_STREAM_JOB}, namespace=$kubernetes['namespace_name'], pod=$kubernetes['pod_name'], container=$kubernetes['container_name']`,
      ],
      ['line_format', 'json'],
    ]);
  }

  private constructor(
    /** Which destination. */
    public readonly kind: 'cloudwatch' | 'loki',
    private readonly settings: ReadonlyArray<[string, string]>,
  ) {}

  /** The Fluent Bit `[OUTPUT]` section (classic configuration format). */
  public toOutputSection(): string {
    return ['[OUTPUT]', ...this.settings.map(([k, v]) => `    ${k} ${v}`)].join('\n');
  }
}

/** Properties of a {@link LogShipper}. */
export interface LogShipperProps {
  /** Where the logs go (each line to every destination). */
  readonly destinations: LogDestination[];
  /**
   * Namespace (created; Pod Security `privileged`: the DaemonSet reads the nodes' `/var/log`).
   * @default 'logging'
   */
  readonly namespace?: string;
  /**
   * Release name, also the service account name (bind `aws.ContainerLogs` to it).
   * @default 'fluent-bit'
   */
  readonly releaseName?: string;
  /**
   * The monitoring stack: Fluent Bit's metrics are scraped (a ServiceMonitor).
   * @default - not scraped
   */
  readonly monitoring?: IMonitoringStack;
}

/**
 * Fluent Bit (pinned chart, a DaemonSet on every node, GPU nodes included: it tolerates every
 * taint) tailing the containers' logs, enriching them with Kubernetes metadata (the chart's
 * `kubernetes` filter) and sending them to CloudWatch Logs or Loki. Engines that log JSON are
 * parsed (`Merge_Log On` in the chart's default filter).
 *
 * Not needed on GKE: GKE ships container logs to Cloud Logging itself (`gcp.LogManagement`).
 *
 * @see https://github.com/fluent/helm-charts/tree/main/charts/fluent-bit
 * @example
 * new LogShipper(platform, 'Logs', {
 *   destinations: [LogDestination.cloudWatch({ region: 'us-east-1', logGroupName: '/aws/eks/gpu/containers' })],
 * });
 */
export class LogShipper extends Construct {
  /** The Helm release. */
  public readonly resource: Release;
  /** Namespace. */
  public readonly namespace: string;
  /** Service account name. */
  public readonly serviceAccountName: string;

  constructor(scope: Construct, id: string, props: LogShipperProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    const destinations = Validate.array<LogDestination>(this, 'destinations', props.destinations);
    destinations.forEach((d, i) => {
      if (!(d instanceof LogDestination)) {
        throw new ValidationError(
          `'destinations[${i}]' must be a LogDestination (LogDestination.cloudWatch(...) or .loki(...)).`,
          this,
          'type',
        );
      }
    });
    if (destinations.length === 0) {
      throw new ValidationError(`'destinations' is empty: give at least one LogDestination.`, this);
    }
    const names = opsReleaseNames(this, props, {
      namespace: 'logging',
      release: 'fluent-bit',
      maxReleaseLength: 53,
    });
    const release = names.release;
    this.namespace = names.namespace;
    this.serviceAccountName = release;
    const ns = opsNamespace(this, this.namespace, PodSecurityLevel.PRIVILEGED);
    const values = {
      fullnameOverride: release,
      serviceAccount: { create: true, name: release },
      // Every node, GPU nodes (nvidia.com/gpu taint) and tainted pools included.
      tolerations: [{ operator: 'Exists' }],
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
      config: { outputs: destinations.map((d) => d.toOutputSection()).join('\n\n') + '\n' },
      ...(props.monitoring
        ? { serviceMonitor: { enabled: true, selector: { ...props.monitoring.selectorLabels } } }
        : {}),
    };
    this.resource = addPinnedRelease(this, {
      name: names.release,
      namespace: names.namespace,
      chart: OPS_HELM_CHARTS.fluentBit,
      values: toYaml(values),
      dependsOn: [ns],
    });
    this.node.defaultChild = this.resource;
  }
}
