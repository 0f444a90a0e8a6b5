import { Release } from '@cdktf/provider-helm/lib/release';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { Lazy, Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  Accelerator,
  AlertRuleSet,
  AlertRuleSetOptions,
  DEPRECATED_WARNING_ID,
  AlertSeverity,
  GpuShape,
  HourlyPrice,
  ServiceLevelObjective,
  Validate,
  ValidationError,
  Warnings,
  CostAllocationRuleOptions,
  checkSloSet,
  costAllocationRuleGroup,
} from '../core';
import {
  IGrafanaMonitoringStack,
  LogDataSourceOptions,
  ScrapeTarget,
  TraceDataSourceOptions,
} from './interfaces';
import {
  MANAGED_BY,
  assertInteger,
  assertDnsLabel,
  assertServiceName,
  registerCrdInstaller,
  toYaml,
} from './private/common';
import {
  GpuPrice,
  costAllocationDashboard,
  costDashboard,
  gpuDashboard,
  servingDashboard,
  sloDashboard,
  trainingDashboard,
} from './private/dashboards';
import { HELM_CHARTS } from './versions';
import { SecretKeyRef } from './weights';

/** PagerDuty (Events API v2). */
export interface PagerDutyReceiver {
  /** Secret key (in the monitoring namespace) holding the integration routing key. */
  readonly routingKeySecret: SecretKeyRef;
}

/** Opsgenie. */
export interface OpsgenieReceiver {
  /** Secret key (in the monitoring namespace) holding the API key. */
  readonly apiKeySecret: SecretKeyRef;
}

/** Slack incoming webhook. */
export interface SlackReceiver {
  /** Secret key (in the monitoring namespace) holding the webhook URL. */
  readonly webhookUrlSecret: SecretKeyRef;
  /** Channel, for example `#ml-alerts`. */
  readonly channel: string;
}

/** Email over SMTP. */
export interface EmailReceiver {
  /** Recipients. */
  readonly to: string[];
  /** Sender address. */
  readonly from: string;
  /** SMTP server `host:port`, for example `smtp.example.com:587`. */
  readonly smarthost: string;
  /**
   * SMTP user name.
   * @default - no SMTP authentication
   */
  readonly username?: string;
  /**
   * Secret key (in the monitoring namespace) holding the SMTP password.
   * @default - no SMTP authentication
   */
  readonly passwordSecret?: SecretKeyRef;
}

/**
 * Where alerts go. Routing by severity: `critical` pages (PagerDuty and/or Opsgenie, and Slack
 * if set), `warning` goes to Slack and email, `info` (cost signals) to Slack only.
 */
export interface AlertReceivers {
  /**
   * @default - no PagerDuty
   */
  readonly pagerDuty?: PagerDutyReceiver;
  /**
   * @default - no Opsgenie
   */
  readonly opsgenie?: OpsgenieReceiver;
  /**
   * @default - no Slack
   */
  readonly slack?: SlackReceiver;
  /**
   * @default - no email
   */
  readonly email?: EmailReceiver;
}

/** A GPU-hour price of one accelerator, for the cost dashboard. */
export interface GpuHourlyPrice {
  /** The accelerator. */
  readonly accelerator: Accelerator;
  /** Price of one GPU for one hour (on-demand unless you say otherwise in `source`). */
  readonly price: HourlyPrice;
}

/** The per-GPU price of a priced cloud shape (`onDemandPrice / gpuCount`), for {@link MonitoringStackProps.gpuHourlyPrices}. */
export function gpuHourlyPriceOf(shape: GpuShape): GpuHourlyPrice {
  if (!shape.onDemandPrice) {
    throw new ValidationError(
      `GPU shape '${shape.name}' has no onDemandPrice in its catalogue: give the price explicitly.`,
    );
  }
  return {
    accelerator: shape.accelerator,
    price: {
      ...shape.onDemandPrice,
      usd: shape.onDemandPrice.usd / shape.gpuCount,
      source: `${shape.onDemandPrice.source} (${shape.name} / ${shape.gpuCount} GPUs)`,
    },
  };
}

/** Grafana admin credentials from a Secret. */
export interface GrafanaAdminSecret {
  /** Secret name in the monitoring namespace. */
  readonly name: string;
  /**
   * Key holding the user name.
   * @default 'admin-user'
   */
  readonly userKey?: string;
  /**
   * Key holding the password.
   * @default 'admin-password'
   */
  readonly passwordKey?: string;
}

/** Where Prometheus also sends its samples (Prometheus `remote_write`). */
export interface PrometheusRemoteWrite {
  /**
   * Remote-write URL, for example an Amazon Managed Prometheus workspace's
   * `.../api/v1/remote_write` (`aws.Monitoring.remoteWriteUrl`).
   */
  readonly url: string;
  /**
   * Sign requests with AWS SigV4 for this region (Amazon Managed Prometheus). Credentials come
   * from the Prometheus service account (EKS Pod Identity or IRSA).
   * @default - no signing
   */
  readonly sigv4Region?: string;
  /**
   * Name of the Prometheus service account, to match an EKS Pod Identity association or a GKE
   * Workload Identity binding created for the collector.
   * @default - the chart's name (`<releaseName>-prometheus`)
   */
  readonly serviceAccountName?: string;
  /**
   * Annotations on the Prometheus service account (for example the IRSA
   * `eks.amazonaws.com/role-arn`).
   * @default - none
   */
  readonly serviceAccountAnnotations?: Record<string, string>;
}

/** Grafana uid of the Tempo data source {@link MonitoringStack.addTraceDataSource} provisions. */
export const TEMPO_DATASOURCE_UID = 'tempo';

/** Grafana uid of the Loki data source {@link MonitoringStack.addLogDataSource} provisions. */
export const LOKI_DATASOURCE_UID = 'loki';

/** Options of `MonitoringStackProps.costAllocation`. */
export interface MonitoringCostAllocationOptions extends CostAllocationRuleOptions {
  /**
   * Evaluate the cost recording rules in this Prometheus (a PrometheusRule, and the dashboard that
   * reads their series). `false` when a managed Prometheus evaluates them on the remote-written
   * series (`aws.Monitoring` `costAllocation`): evaluating both would remote-write every cost
   * series twice. kube-state-metrics exports the team label either way.
   * @default true
   */
  readonly recordingRules?: boolean;
}

/** Properties of a {@link MonitoringStack}. */
export interface MonitoringStackProps {
  /**
   * Helm release name: also the `release` label Prometheus selects ServiceMonitors and rules
   * by, and the prefix of the object names (at most 26 characters, the chart's name limit).
   * @default 'kube-prometheus-stack'
   */
  readonly releaseName?: string;
  /**
   * Namespace (created).
   * @default 'monitoring'
   */
  readonly namespace?: string;
  /**
   * Options of the library's alert rules, rendered as PrometheusRules by the chart: the same
   * type and name as `alertRules` of the AWS and GCP monitoring constructs.
   * Passing an `AlertRuleSet` (`AlertRuleSet.defaults({...})`) still works for one release and
   * warns `deprecated-api`: pass its options instead.
   * @default {} (every rule with its default threshold)
   */
  readonly alertRules?: AlertRuleSetOptions | AlertRuleSet;
  /**
   * Service-level objectives per model, rendered as recording rules and multiwindow,
   * multi-burn-rate alerts (`SLOErrorBudgetBurnFast` pages, `SLOErrorBudgetBurnSlow` opens a
   * ticket) in a PrometheusRule of their own.
   * @default - none
   */
  readonly slos?: ServiceLevelObjective[];
  /**
   * Cost allocation: the recording rules of core `costAllocationRuleGroup` (cost per pod,
   * namespace, model and team, `llm_cost_per_million_tokens`) in a PrometheusRule of their own,
   * kube-state-metrics exporting the namespaces' team label, and a cost-allocation dashboard.
   * The cost series come from OpenCost (`k8s.OpenCost`), which Prometheus must scrape.
   * @default - no cost-allocation rules
   */
  readonly costAllocation?: MonitoringCostAllocationOptions;
  /**
   * Labels added to every alert (for routing), for example `{ team: 'ml-platform' }`.
   * @default - none
   */
  readonly alertLabels?: Record<string, string>;
  /**
   * Alert receivers. Credentials are read from Secrets you create in the monitoring namespace.
   * @default - alerts are visible in Alertmanager but not sent anywhere (a warning is raised)
   */
  readonly receivers?: AlertReceivers;
  /**
   * GPU-hour prices for the cost-per-1,000-tokens dashboard.
   * @default - the cost dashboard is not created
   */
  readonly gpuHourlyPrices?: GpuHourlyPrice[];
  /**
   * Grafana admin credentials.
   * @default - the chart's default password (a warning is raised)
   */
  readonly grafanaAdminSecret?: GrafanaAdminSecret;
  /**
   * Prometheus retention in days.
   * @default 15
   */
  readonly retentionDays?: number;
  /**
   * Size of a persistent volume for Prometheus data, GiB (default storage class).
   * @default - no persistent volume: metrics are lost when the Prometheus pod moves
   */
  readonly prometheusStorageGiB?: number;
  /**
   * Also send every sample to a remote store, such as Amazon Managed Prometheus, where the
   * cloud's alerting evaluates the same core rules.
   * @default - local Prometheus only
   */
  readonly remoteWrite?: PrometheusRemoteWrite;
}

/**
 * The monitoring stack: kube-prometheus-stack (Prometheus operator, Prometheus, Alertmanager,
 * Grafana, kube-state-metrics, node-exporter) with
 * - selectors that pick up every ServiceMonitor and PrometheusRule labelled
 *   `release: <releaseName>` (this library labels its own; reference §14.9);
 * - the core alert rules rendered into PrometheusRules through `additionalPrometheusRulesMap`
 *   (no custom resource in Terraform, so no plan-time CRD problem);
 * - Grafana dashboards for GPUs, serving, training and cost per 1,000 tokens (the JSON the
 *   Grafana foundation SDK builds, checked against it in the tests) shipped as ConfigMaps
 *   labelled `grafana_dashboard: "1"`;
 * - Alertmanager receivers for PagerDuty, Opsgenie, Slack and email, credentials mounted from
 *   Secrets and referenced with `*_file` fields, routed by severity.
 *
 * It installs CRDs (monitoring.coreos.com): place it in the platform stack.
 *
 * @see https://github.com/prometheus-community/helm-charts/tree/main/charts/kube-prometheus-stack
 * @example
 * new MonitoringStack(platformStack, 'Monitoring', {
 *   receivers: { slack: { webhookUrlSecret: { name: 'alerting', key: 'slack-url' }, channel: '#ml-alerts' } },
 *   gpuHourlyPrices: [{ accelerator: Accelerator.L4, price: { usd: 0.8, region: 'us-east-1', asOf: '2026-08-01', source: 'AWS price list' } }],
 * });
 */
export class MonitoringStack extends Construct implements IGrafanaMonitoringStack {
  /** The kube-prometheus-stack release. */
  public readonly resource: Release;
  /** Release name (the `release` label value). */
  public readonly releaseName: string;
  /** Namespace. */
  public readonly namespace: string;
  /** In-cluster Prometheus URL. */
  public readonly prometheusUrl: string;
  /** Labels a ServiceMonitor or PrometheusRule needs to be selected. */
  public readonly selectorLabels: Record<string, string>;
  /** The dashboard ConfigMaps, by dashboard uid. */
  public readonly dashboards: Record<string, ConfigMapV1> = {};
  /** The Grafana data source ConfigMap of the trace backend, once added. */
  public traceDataSource?: ConfigMapV1;
  /** The Grafana data source ConfigMap of the log backend (Loki), once added. */
  public logDataSource?: ConfigMapV1;
  /** In-cluster URL of the chart's Alertmanager (Loki's ruler sends its alerts there). */
  public readonly alertmanagerUrl: string;
  private readonly scrapeTargets: ScrapeTarget[] = [];

  constructor(scope: Construct, id: string, props: MonitoringStackProps = {}) {
    super(scope, id);
    validateMonitoringStackProps(this, props);
    this.releaseName = props.releaseName ?? 'kube-prometheus-stack';
    // It prefixes the chart's Services (<release>-prometheus, ...): an RFC 1035 label.
    assertServiceName(this, 'releaseName', this.releaseName, 26);
    this.namespace = props.namespace ?? 'monitoring';
    assertDnsLabel(this, 'namespace', this.namespace);
    this.selectorLabels = { release: this.releaseName };
    this.prometheusUrl = `http://${this.releaseName}-prometheus.${this.namespace}.svc:9090`;
    this.alertmanagerUrl = `http://${this.releaseName}-alertmanager.${this.namespace}.svc:9093`;
    const retention = props.retentionDays ?? 15;
    if (!Number.isInteger(retention) || retention < 1) {
      throw new ValidationError(
        `'retentionDays' (${retention}) must be an integer >= 1.`,
        this,
        'number-range',
      );
    }
    assertInteger(this, 'retentionDays', retention, 1, 36500);
    if (
      props.prometheusStorageGiB !== undefined &&
      !(Number.isInteger(props.prometheusStorageGiB) && props.prometheusStorageGiB >= 1)
    ) {
      throw new ValidationError(
        `'prometheusStorageGiB' (${props.prometheusStorageGiB}) must be an integer >= 1.`,
        this,
      );
    }

    let rules: AlertRuleSet;
    if (props.alertRules instanceof AlertRuleSet) {
      Warnings.add(
        this,
        DEPRECATED_WARNING_ID,
        `'alertRules' as an AlertRuleSet is deprecated and will be removed in the next minor release: pass its options ` +
          `(alertRules: { ... }, the type 'alertRules' has in every module) instead of AlertRuleSet.defaults({ ... }).`,
      );
      rules = props.alertRules;
    } else {
      rules = ValidationError.withScope(this, () =>
        AlertRuleSet.defaults(props.alertRules as AlertRuleSetOptions),
      );
    }
    if (props.costAllocation?.recordingRules !== undefined) {
      Validate.boolean(this, 'costAllocation.recordingRules', props.costAllocation.recordingRules);
    }
    const costAllocation =
      props.costAllocation === undefined
        ? undefined
        : ValidationError.withScope(this, () => costAllocationRuleGroup(props.costAllocation));
    const costRules = props.costAllocation?.recordingRules === false ? undefined : costAllocation;
    const slos = ValidationError.withScope(this, () => checkSloSet(props.slos, 'slos'));
    for (const slo of slos) {
      if (slo.windowDays > retention) {
        Warnings.add(
          this,
          'k8s-slo-window-exceeds-retention',
          `SLO '${slo.name}' has a ${slo.windowDays}-day window but Prometheus keeps ${retention} days ('retentionDays'): the burn-rate alerts work (they need 3 days), but the error budget over the whole window cannot be computed. Raise 'retentionDays' or use remote storage.`,
        );
      }
    }
    const alertmanager = this.alertmanagerValues(
      props.receivers,
      rules.rules().length > 0 || slos.length > 0,
    );
    if (!props.grafanaAdminSecret) {
      Warnings.add(
        this,
        'k8s-grafana-default-password',
        `no 'grafanaAdminSecret': Grafana keeps the chart's well-known default admin password. Create a Secret and pass it.`,
      );
    }

    const rw = props.remoteWrite;
    if (rw !== undefined) {
      Validate.object(this, 'remoteWrite', rw);
      Validate.url(this, 'remoteWrite.url', rw.url, { schemes: ['http', 'https'] });
      if (rw.sigv4Region !== undefined) Validate.awsRegion(this, 'remoteWrite.sigv4Region', rw.sigv4Region);
      if (rw.serviceAccountAnnotations !== undefined) {
        const ann = Validate.stringMap(
          this,
          'remoteWrite.serviceAccountAnnotations',
          rw.serviceAccountAnnotations,
        );
        // Annotation keys follow the label-key rule; values are free text.
        Object.keys(ann).forEach((k) =>
          Validate.k8sLabelKey(this, 'remoteWrite.serviceAccountAnnotations', k),
        );
      }
    }
    if (rw && !Token.isUnresolved(rw.url) && !/^https?:\/\/[^\s]+$/.test(rw.url)) {
      throw new ValidationError(
        `'remoteWrite.url' ('${rw.url}') must be an http(s) URL, for example the workspace's .../api/v1/remote_write.`,
        this,
      );
    }
    if (rw?.serviceAccountName !== undefined) {
      assertDnsLabel(this, 'remoteWrite.serviceAccountName', rw.serviceAccountName);
    }

    const values = {
      fullnameOverride: this.releaseName,
      crds: { enabled: true },
      prometheus: {
        ...(rw?.serviceAccountName || rw?.serviceAccountAnnotations
          ? {
              serviceAccount: {
                create: true,
                ...(rw.serviceAccountName ? { name: rw.serviceAccountName } : {}),
                ...(rw.serviceAccountAnnotations ? { annotations: rw.serviceAccountAnnotations } : {}),
              },
            }
          : {}),
        prometheusSpec: {
          ...(rw
            ? {
                remoteWrite: [
                  { url: rw.url, ...(rw.sigv4Region ? { sigv4: { region: rw.sigv4Region } } : {}) },
                ],
              }
            : {}),
          // Deliberate: select only objects labelled `release: <releaseName>`, in every namespace.
          serviceMonitorSelectorNilUsesHelmValues: true,
          podMonitorSelectorNilUsesHelmValues: true,
          ruleSelectorNilUsesHelmValues: true,
          probeSelectorNilUsesHelmValues: true,
          serviceMonitorNamespaceSelector: {},
          ruleNamespaceSelector: {},
          retention: `${retention}d`,
          ...(props.prometheusStorageGiB
            ? {
                storageSpec: {
                  volumeClaimTemplate: {
                    spec: {
                      accessModes: ['ReadWriteOnce'],
                      resources: { requests: { storage: `${props.prometheusStorageGiB}Gi` } },
                    },
                  },
                },
              }
            : {}),
        },
      },
      additionalPrometheusRulesMap: {
        'cdktf-ai-infra': { groups: rules.toPrometheusRuleGroups(props.alertLabels ?? {}) },
        ...(slos.length
          ? {
              'cdktf-ai-infra-slos': {
                groups: slos.map((slo) => slo.toPrometheusRuleGroup(props.alertLabels ?? {})),
              },
            }
          : {}),
        ...(costRules ? { 'cdktf-ai-infra-cost': { groups: [costRules] } } : {}),
      },
      alertmanager,
      grafana: {
        sidecar: {
          dashboards: { enabled: true, label: 'grafana_dashboard', labelValue: '1', searchNamespace: 'ALL' },
        },
        ...(props.grafanaAdminSecret
          ? {
              admin: {
                existingSecret: props.grafanaAdminSecret.name,
                userKey: props.grafanaAdminSecret.userKey ?? 'admin-user',
                passwordKey: props.grafanaAdminSecret.passwordKey ?? 'admin-password',
              },
            }
          : {}),
      },
      'kube-state-metrics': {
        // kube_pod_labels{label_cdktf_ai_infra_accelerator} joins GPU requests to prices (cost dashboard).
        // kube_namespace_labels{label_<team>} joins namespaces to teams (cost allocation).
        metricLabelsAllowlist: [
          'pods=[cdktf-ai-infra/accelerator,app.kubernetes.io/instance]',
          ...(costAllocation ? [`namespaces=[${props.costAllocation?.teamLabel ?? 'team'}]`] : []),
        ],
      },
    };

    this.resource = new Release(this, 'Resource', {
      name: this.releaseName,
      namespace: this.namespace,
      createNamespace: true,
      repository: HELM_CHARTS.kubePrometheusStack.repository,
      chart: HELM_CHARTS.kubePrometheusStack.chart,
      version: HELM_CHARTS.kubePrometheusStack.version,
      values: [
        Lazy.stringValue({
          produce: () =>
            toYaml({
              ...values,
              prometheus: {
                ...values.prometheus,
                additionalServiceMonitors: this.scrapeTargets.map(serviceMonitorOf),
              },
            }),
        }),
      ],
      timeout: 900,
      atomic: true,
      cleanupOnFail: true,
    });
    this.node.defaultChild = this.resource;
    registerCrdInstaller(this, ['monitoring.coreos.com']);

    // A board is a function when its content depends on later calls (the serving board's trace
    // links follow a trace data source added after construction): rendered at synth, through a
    // Lazy. The others are rendered now, with no token (each Lazy captures a stack trace).
    const boards: Array<[string, object | (() => object)]> = [
      ['cdktf-ai-gpus', gpuDashboard()],
      ['cdktf-ai-serving', () => servingDashboard({ traces: this.traceDataSource !== undefined })],
      ['cdktf-ai-training', trainingDashboard()],
    ];
    const prices = props.gpuHourlyPrices ?? [];
    for (const p of prices) {
      if (!(p.price.usd > 0)) {
        throw new ValidationError(
          `'gpuHourlyPrices' for ${p.accelerator.id}: 'usd' (${p.price.usd}) must be > 0 (the price of one GPU for one hour).`,
          this,
        );
      }
    }
    const ids = prices.map((p) => p.accelerator.id);
    const dup = ids.find((a, i) => ids.indexOf(a) !== i);
    if (dup) {
      throw new ValidationError(
        `'gpuHourlyPrices' lists ${dup} twice: give one price per accelerator.`,
        this,
      );
    }
    if (prices.length) {
      boards.push(['cdktf-ai-cost', costDashboard(prices as GpuPrice[])]);
    }
    if (costRules) {
      boards.push(['cdktf-ai-cost-allocation', costAllocationDashboard()]);
    }
    if (slos.length) {
      boards.push(['cdktf-ai-slos', sloDashboard(slos)]);
    }
    // Grafana's `${...}` variables must reach the ConfigMap literally: Terraform reads `$${` as `${`.
    const text = (json: object) => JSON.stringify(json).split('${').join('$${');
    for (const [uid, board] of boards) {
      this.dashboards[uid] = new ConfigMapV1(this, `Dashboard-${uid}`, {
        metadata: {
          name: `${uid}-dashboard`,
          namespace: this.namespace,
          labels: { grafana_dashboard: '1', ...MANAGED_BY },
        },
        data: {
          [`${uid}.json`]:
            typeof board === 'function' ? Lazy.stringValue({ produce: () => text(board()) }) : text(board),
        },
        dependsOn: [this.resource],
      });
    }
  }

  /**
   * Scrapes a Service whose chart cannot carry this Prometheus' `release` label: the
   * ServiceMonitor is rendered by kube-prometheus-stack (`prometheus.additionalServiceMonitors`).
   */
  public addScrapeTarget(target: ScrapeTarget): void {
    Validate.object(this, 'addScrapeTarget target', target);
    assertDnsLabel(this, 'addScrapeTarget name', target.name);
    assertDnsLabel(this, 'addScrapeTarget namespace', target.namespace);
    Validate.k8sLabels(this, 'addScrapeTarget matchLabels', target.matchLabels);
    // A named container port: an IANA service name (RFC 6335), at most 15 characters.
    Validate.string(this, 'addScrapeTarget port', target.port);
    if (
      !Token.isUnresolved(target.port) &&
      !/^(?=.{1,15}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(target.port)
    ) {
      throw new ValidationError(
        `'addScrapeTarget port' ('${target.port}') must be a named port: at most 15 lower-case letters, digits or '-', for example 'metrics'.`,
        this,
        'k8s-dns-label',
      );
    }
    if (target.scheme !== undefined)
      Validate.oneOf(this, 'addScrapeTarget scheme', target.scheme, ['http', 'https']);
    if (this.scrapeTargets.some((t) => t.name === target.name)) {
      throw new ValidationError(
        `addScrapeTarget: a target named '${target.name}' exists already; names must be unique.`,
        this,
        'duplicate',
      );
    }
    this.scrapeTargets.push(target);
  }

  /**
   * Provisions a Grafana Tempo data source (uid {@link TEMPO_DATASOURCE_UID}, a ConfigMap labelled
   * `grafana_datasource: "1"` that the chart's Grafana sidecar reads in this namespace) and links
   * the serving dashboard to the traces of the model it shows. `TraceCollector` calls it for a
   * Tempo backend with a `queryUrl`.
   */
  public addTraceDataSource(options: TraceDataSourceOptions): ConfigMapV1 {
    Validate.object(this, 'addTraceDataSource options', options);
    Validate.url(this, 'addTraceDataSource url', options.url, { schemes: ['http', 'https'] });
    const name = Validate.string(this, 'addTraceDataSource name', options.name ?? 'Tempo', {
      maxLength: 190,
    });
    if (this.traceDataSource) {
      throw new ValidationError(
        `addTraceDataSource: a trace data source exists already (one Tempo per monitoring stack).`,
        this,
        'duplicate',
      );
    }
    this.traceDataSource = new ConfigMapV1(this, 'TraceDataSource', {
      metadata: {
        name: 'cdktf-ai-tempo-datasource',
        namespace: this.namespace,
        labels: { grafana_datasource: '1', ...MANAGED_BY },
      },
      data: {
        'tempo-datasource.yaml': toYaml({
          apiVersion: 1,
          datasources: [
            {
              name,
              type: 'tempo',
              uid: TEMPO_DATASOURCE_UID,
              access: 'proxy',
              url: options.url,
              jsonData: { serviceMap: { datasourceUid: 'prometheus' }, nodeGraph: { enabled: true } },
            },
          ],
        }),
      },
      dependsOn: [this.resource],
    });
    return this.traceDataSource;
  }

  /**
   * Provisions a Grafana Loki data source (uid {@link LOKI_DATASOURCE_UID}, a ConfigMap labelled
   * `grafana_datasource: "1"` that the chart's Grafana sidecar reads in this namespace). `Loki`
   * calls it when given this monitoring stack.
   */
  public addLogDataSource(options: LogDataSourceOptions): ConfigMapV1 {
    Validate.object(this, 'addLogDataSource options', options);
    Validate.url(this, 'addLogDataSource url', options.url, { schemes: ['http', 'https'] });
    const name = Validate.string(this, 'addLogDataSource name', options.name ?? 'Loki', { maxLength: 190 });
    if (this.logDataSource) {
      throw new ValidationError(
        `addLogDataSource: a log data source exists already (one Loki per monitoring stack).`,
        this,
        'duplicate',
      );
    }
    this.logDataSource = new ConfigMapV1(this, 'LogDataSource', {
      metadata: {
        name: 'cdktf-ai-loki-datasource',
        namespace: this.namespace,
        labels: { grafana_datasource: '1', ...MANAGED_BY },
      },
      data: {
        'loki-datasource.yaml': toYaml({
          apiVersion: 1,
          datasources: [{ name, type: 'loki', uid: LOKI_DATASOURCE_UID, access: 'proxy', url: options.url }],
        }),
      },
      dependsOn: [this.resource],
    });
    return this.logDataSource;
  }

  private alertmanagerValues(
    receivers: AlertReceivers | undefined,
    hasRules: boolean,
  ): Record<string, unknown> {
    const r = receivers ?? {};
    // No warning when the library's rules are evaluated elsewhere (an empty rule set, for example
    // with remote write to a managed Prometheus that alerts on its own).
    if (hasRules && !r.pagerDuty && !r.opsgenie && !r.slack && !r.email) {
      Warnings.add(
        this,
        'k8s-alerts-not-routed',
        `no 'receivers': alerts fire in Alertmanager but notify nobody. Add PagerDuty, Opsgenie, Slack or email.`,
      );
    }
    const secrets = new Set<string>();
    const file = (ref: SecretKeyRef) => {
      Validate.object(this, 'receivers secret', ref);
      Validate.k8sDnsSubdomain(this, 'receivers secret name', ref.name, { what: 'a Secret name' });
      validateSecretKey(this, 'receivers secret key', ref.key);
      secrets.add(ref.name);
      return `/etc/alertmanager/secrets/${ref.name}/${ref.key}`;
    };
    const pagers: Record<string, unknown> = {};
    if (r.pagerDuty) {
      pagers.pagerduty_configs = [
        { routing_key_file: file(r.pagerDuty.routingKeySecret), send_resolved: true },
      ];
    }
    if (r.opsgenie) {
      pagers.opsgenie_configs = [
        { api_key_file: file(r.opsgenie.apiKeySecret), send_resolved: true, priority: 'P1' },
      ];
    }
    if (r.slack) {
      Validate.object(this, 'receivers.slack', r.slack);
      Validate.string(this, 'receivers.slack.channel', r.slack.channel, { maxLength: 80 });
    }
    const slack = r.slack
      ? {
          slack_configs: [
            {
              api_url_file: file(r.slack.webhookUrlSecret),
              channel: r.slack.channel,
              send_resolved: true,
              title: '[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}',
              text: '{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}',
            },
          ],
        }
      : {};
    let email = {};
    if (r.email) {
      Validate.object(this, 'receivers.email', r.email);
      Validate.array<string>(this, 'receivers.email.to', r.email.to).forEach((e, i) =>
        Validate.email(this, `receivers.email.to[${i}]`, e),
      );
      Validate.unique(this, 'receivers.email.to', r.email.to, (e) => e.toLowerCase());
      Validate.email(this, 'receivers.email.from', r.email.from);
      // Alertmanager's smarthost is host:port (prometheus/alertmanager config.HostPort).
      Validate.string(this, 'receivers.email.smarthost', r.email.smarthost);
      if (!Token.isUnresolved(r.email.smarthost) && !/^[A-Za-z0-9.-]+:\d{1,5}$/.test(r.email.smarthost)) {
        throw new ValidationError(
          `'receivers.email.smarthost' ('${r.email.smarthost}') must be host:port, for example 'smtp.example.com:587'.`,
          this,
          'url',
        );
      }
      if (r.email.username !== undefined) Validate.string(this, 'receivers.email.username', r.email.username);
      if (r.email.to.length === 0) {
        throw new ValidationError(`'receivers.email.to' is empty: give at least one address.`, this);
      }
      if ((r.email.username === undefined) !== (r.email.passwordSecret === undefined)) {
        throw new ValidationError(
          `'receivers.email.username' and 'receivers.email.passwordSecret' go together: set both for SMTP authentication or neither.`,
          this,
        );
      }
      email = {
        email_configs: [
          {
            to: r.email.to.join(', '),
            from: r.email.from,
            smarthost: r.email.smarthost,
            send_resolved: true,
            ...(r.email.username
              ? { auth_username: r.email.username, auth_password_file: file(r.email.passwordSecret!) }
              : {}),
          },
        ],
      };
    }
    const critical = r.pagerDuty || r.opsgenie ? { ...pagers, ...slack } : { ...slack, ...email };
    const severityRoute = (severity: AlertSeverity, receiver: string) => ({
      receiver,
      matchers: [`severity = "${severity}"`],
    });
    return {
      config: {
        route: {
          receiver: 'null',
          group_by: ['alertname', 'namespace', 'severity'],
          group_wait: '30s',
          group_interval: '5m',
          repeat_interval: '4h',
          routes: [
            { receiver: 'null', matchers: ['alertname = "Watchdog"'] },
            severityRoute(AlertSeverity.CRITICAL, 'critical'),
            severityRoute(AlertSeverity.WARNING, 'warning'),
            severityRoute(AlertSeverity.INFO, 'info'),
          ],
        },
        receivers: [
          { name: 'null' },
          { name: 'critical', ...critical },
          { name: 'warning', ...slack, ...email },
          { name: 'info', ...slack },
        ],
      },
      alertmanagerSpec: { secrets: [...secrets].sort() },
    };
  }
}

function serviceMonitorOf(t: ScrapeTarget): Record<string, unknown> {
  return {
    name: t.name,
    selector: { matchLabels: t.matchLabels },
    namespaceSelector: { matchNames: [t.namespace] },
    endpoints: [
      {
        port: t.port,
        path: '/metrics',
        interval: '30s',
        scheme: t.scheme ?? 'http',
        ...(t.serviceAccountAuth
          ? {
              bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
              tlsConfig: { insecureSkipVerify: true },
            }
          : {}),
      },
    ],
  };
}

/**
 * A Secret data key: `[-._a-zA-Z0-9]+`, at most 253 characters (kubernetes/apimachinery
 * `IsConfigMapKey`).
 */
function validateSecretKey(scope: Construct, prop: string, key: unknown): void {
  const k = Validate.string(scope, prop, key);
  if (!Token.isUnresolved(k) && (!/^[-._a-zA-Z0-9]+$/.test(k) || k.length > 253 || k === '.' || k === '..')) {
    throw new ValidationError(
      `'${prop}' ('${k}') is not a valid Secret key: at most 253 letters, digits, '-', '_' or '.', for example 'routing-key'.`,
      scope,
      'k8s-dns-subdomain',
    );
  }
}

/** Type and range checks of the props, before any is used. */
function validateMonitoringStackProps(scope: Construct, props: MonitoringStackProps): void {
  Validate.object(scope, 'props', props);
  if (props.alertRules !== undefined && !(props.alertRules instanceof AlertRuleSet)) {
    Validate.object(scope, 'alertRules', props.alertRules);
  }
  if (props.alertLabels !== undefined) {
    // Alert labels are Prometheus labels: names [a-zA-Z_][a-zA-Z0-9_]*, values free text.
    const labels = Validate.stringMap(scope, 'alertLabels', props.alertLabels);
    Object.keys(labels).forEach((k) => Validate.promLabelName(scope, 'alertLabels key', k));
  }
  if (props.receivers !== undefined) Validate.object(scope, 'receivers', props.receivers);
  if (props.grafanaAdminSecret !== undefined) {
    const g = Validate.object<GrafanaAdminSecret>(scope, 'grafanaAdminSecret', props.grafanaAdminSecret);
    Validate.k8sDnsSubdomain(scope, 'grafanaAdminSecret.name', g.name, { what: 'a Secret name' });
    if (g.userKey !== undefined) validateSecretKey(scope, 'grafanaAdminSecret.userKey', g.userKey);
    if (g.passwordKey !== undefined)
      validateSecretKey(scope, 'grafanaAdminSecret.passwordKey', g.passwordKey);
  }
  if (props.gpuHourlyPrices !== undefined) {
    Validate.array<GpuHourlyPrice>(scope, 'gpuHourlyPrices', props.gpuHourlyPrices).forEach((p, i) => {
      Validate.object(scope, `gpuHourlyPrices[${i}]`, p);
      if (!(p.accelerator instanceof Accelerator)) {
        throw new ValidationError(
          `'gpuHourlyPrices[${i}].accelerator' must be an Accelerator.`,
          scope,
          'type',
        );
      }
      Validate.object(scope, `gpuHourlyPrices[${i}].price`, p.price);
      Validate.number(scope, `gpuHourlyPrices[${i}].price.usd`, p.price.usd, {
        min: 0,
        max: 10000,
        reason: 'USD per GPU-hour',
      });
    });
  }
  if (props.prometheusStorageGiB !== undefined) {
    // Rendered as the PVC quantity '<n>Gi'.
    Validate.integer(scope, 'prometheusStorageGiB', props.prometheusStorageGiB, { min: 1, max: 65536 });
  }
}
