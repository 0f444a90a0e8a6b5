import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { NetworkPolicyV1 } from '@cdktf/provider-kubernetes/lib/network-policy-v1';
import { PodDisruptionBudgetV1 } from '@cdktf/provider-kubernetes/lib/pod-disruption-budget-v1';
import { ServiceV1 } from '@cdktf/provider-kubernetes/lib/service-v1';
import { ITerraformDependable, Lazy, TerraformResource, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { Validate, ValidationError, Warnings } from '../../core';
import { EngineMetric, EngineMetrics, EnginePort, EngineProbes } from '../engines/engine';
import {
  IGpuPlatform,
  IMonitoringStack,
  ModelServerAutoscaling,
  ModelServerNetworkPolicy,
  PodIngressOptions,
  ScalingWindow,
} from '../interfaces';
import { MetricsCollection } from '../metrics-collection';
import {
  assertCrdInOtherStack,
  assertDnsLabel,
  assertInteger,
  assertServiceName,
  dependOnStackOf,
  nameFromId,
} from './common';
import { ApiProbe, GpuPod, toDeploymentPodSpec } from './gpu-pod';
import { addGcpTriggerAuthentication, addPodMonitoring, hasBareColonMetric, promSelector } from './metrics';
import { assertPromqlExpression } from './promql-expression';
import { assertCron, assertTimeZone } from './schedule';

// The objects every model server carries (ModelServer, LlamaCppServer): the Deployment, and the
// operations objects: the KEDA ScaledObject on the engine's queue gauge, the metrics scrape, the
// ingress NetworkPolicy and the PodDisruptionBudget. Each helper creates its object under the server's scope with the construct
// id ModelServer always used, so the Terraform addresses do not depend on which server made it.

/** The annotation binding a Kubernetes service account to a Google service account on GKE. */
const GKE_GSA_ANNOTATION = 'iam.gke.io/gcp-service-account';
/** The namespace of GKE Managed Prometheus' collectors. */
export const GMP_COLLECTOR_NAMESPACE = 'gmp-system';

/** What the helpers need to know about the server. */
export interface ServerOpsContext {
  /** Name of the Deployment, Service and of every object here. */
  readonly deploymentName: string;
  readonly namespace: string;
  /** Labels of the objects. */
  readonly labels: Record<string, string>;
  /** Labels selecting every pod of the server (NetworkPolicy, PodDisruptionBudget). */
  readonly podLabels: Record<string, string>;
  /** Labels selecting the pods that serve the API and `/metrics` (scrape). */
  readonly selectorLabels: Record<string, string>;
  /** The engine's ports (all are API ports) and metrics. */
  readonly engine: { readonly ports: EnginePort[]; readonly metrics: EngineMetrics };
}

/**
 * A PromQL selector of one of the engine's metrics for one server's own series: its namespace and
 * the scrape job, which both the ServiceMonitor (prometheus-operator names the job after the
 * scraped Service) and the PodMonitoring (named after the Deployment) set to the Deployment name.
 */
export function serverMetricSelector(
  namespace: string,
  deploymentName: string,
  metric: EngineMetric,
  managedPrometheus: boolean,
): string {
  return promSelector(
    metric.name,
    [`namespace="${namespace}"`, `job="${deploymentName}"`, ...(metric.matchers ?? [])],
    managedPrometheus,
  );
}

/** Name of a server's KEDA TriggerAuthentication for Managed Prometheus. */
export function gcpTriggerAuthName(deploymentName: string): string {
  return `${deploymentName}-gcp`;
}

/** What {@link validateServerAutoscaling} checks against. */
export interface ServerAutoscalingChecks {
  readonly replicas: number;
  readonly monitoring?: IMonitoringStack;
  readonly metricsCollection?: MetricsCollection;
  readonly platform?: IGpuPlatform;
  /** An activation query to suggest in the scale-to-zero message. */
  readonly activationExample: string;
}

/** Largest queue depth accepted for a KEDA threshold: far above any real queue, below 1e21. */
const MAX_QUEUE_DEPTH = 1_000_000;
/** KEDA's cooldownPeriod is an int32. */
const MAX_INT32 = 2_147_483_647;

/**
 * Validates queue-depth autoscaling: maxReplicas against replicas, the activation query (PromQL,
 * required with scale to zero), the target, a Prometheus to query, KEDA on the platform, and the
 * baseline windows (cron, time zone, distinct).
 */
export function validateServerAutoscaling(
  scope: Construct,
  a: ModelServerAutoscaling,
  c: ServerAutoscalingChecks,
): void {
  const replicas = c.replicas;
  assertInteger(scope, 'autoscaling.maxReplicas', a.maxReplicas, 1);
  if (a.maxReplicas < Math.max(replicas, 1)) {
    throw new ValidationError(
      `'autoscaling.maxReplicas' (${a.maxReplicas}) must be >= 'replicas' (${replicas}): raise maxReplicas or lower replicas.`,
      scope,
    );
  }
  if (a.activationQuery !== undefined) {
    assertPromqlExpression(scope, 'autoscaling.activationQuery', a.activationQuery);
  }
  if (a.scaleToZero && !a.activationQuery) {
    throw new ValidationError(
      `'autoscaling.scaleToZero' needs 'autoscaling.activationQuery': at zero replicas the engine exports no metrics, so ` +
        `nothing would ever wake it. Give a PromQL request rate measured in front of it (router, gateway or ingress), for example ` +
        `'${c.activationExample}'.`,
      scope,
    );
  }
  if (!a.scaleToZero && replicas < 1) {
    throw new ValidationError(
      `'replicas' (0) with autoscaling needs 'autoscaling.scaleToZero: true'; otherwise set replicas >= 1.`,
      scope,
    );
  }
  // KEDA reads the thresholds as decimal numbers (strconv.ParseFloat of the trigger metadata) and
  // cooldownPeriod as an int32: NaN, Infinity, 1e21 ('1e+21') or an object would reach the
  // ScaledObject as text KEDA refuses or misreads.
  const target = a.targetQueueDepthPerReplica;
  if (target !== undefined && !Token.isUnresolved(target)) {
    Validate.number(scope, 'autoscaling.targetQueueDepthPerReplica', target, {
      min: 0,
      exclusiveMin: true,
      max: MAX_QUEUE_DEPTH,
      reason: 'waiting requests per replica KEDA aims for',
    });
  }
  if (a.activationQueueDepth !== undefined && !Token.isUnresolved(a.activationQueueDepth)) {
    Validate.number(scope, 'autoscaling.activationQueueDepth', a.activationQueueDepth, {
      min: 0,
      max: MAX_QUEUE_DEPTH,
      reason: 'waiting requests above which the scaler counts as active',
    });
  }
  if (a.cooldownSeconds !== undefined) {
    assertInteger(scope, 'autoscaling.cooldownSeconds', a.cooldownSeconds, 0, MAX_INT32);
  }
  if (!a.prometheusUrl && !c.monitoring && !c.metricsCollection?.managed) {
    throw new ValidationError(
      `'autoscaling' needs a Prometheus to query: pass 'monitoring' (a MonitoringStack), ` +
        `'metricsCollection: MetricsCollection.managedPrometheus(...)' or 'autoscaling.prometheusUrl'.`,
      scope,
    );
  }
  if (c.platform && !c.platform.kedaInstalled) {
    throw new ValidationError(
      `'autoscaling' needs KEDA, but the GpuPlatform '${c.platform.node.path}' has keda disabled: enable it or drop autoscaling.`,
      scope,
    );
  }
  if (a.scaleToZero && a.ignoreNullValues === false) {
    Warnings.add(
      scope,
      'k8s-scale-to-zero-null-values',
      `'ignoreNullValues: false' with scale to zero: at zero replicas the engine query is empty, KEDA reports an error ` +
        `instead of 0 and the ScaledObject stays degraded until a request arrives.`,
    );
  }
  const windows = Validate.array<ScalingWindow>(scope, 'autoscaling.schedule', a.schedule ?? []);
  const seen = new Set<string>();
  windows.forEach((w, i) => {
    const prop = `autoscaling.schedule[${i}]`;
    assertInteger(scope, `${prop}.minReplicas`, w.minReplicas, 1, a.maxReplicas);
    assertCron(scope, `${prop}.start`, w.start);
    assertCron(scope, `${prop}.end`, w.end);
    assertTimeZone(scope, `${prop}.timeZone`, w.timeZone);
    if (w.start.trim() === w.end.trim()) {
      throw new ValidationError(
        `'${prop}' opens and closes at the same time ('${w.start}'): KEDA's cron scaler needs different start and end.`,
        scope,
      );
    }
    // KEDA names each cron metric from its time zone, start and end: two equal windows collide.
    const key = `${w.timeZone} ${w.start} ${w.end}`;
    if (seen.has(key)) {
      throw new ValidationError(
        `'${prop}' repeats an earlier window (${w.start} to ${w.end}, ${w.timeZone}): KEDA would name both metrics alike. Keep one.`,
        scope,
      );
    }
    seen.add(key);
  });
}

/** Options of {@link addServerScaledObject}. */
export interface ServerScaledObjectOptions {
  readonly replicas: number;
  /** The default of `targetQueueDepthPerReplica`. */
  readonly defaultTarget: number;
  readonly monitoring?: IMonitoringStack;
  readonly collection: MetricsCollection;
  /** Whether a TriggerAuthentication (GCP pod identity) was created. */
  readonly authenticated: boolean;
  /** The scale target (`scaleTargetRef`). */
  readonly scaleTargetRef: Record<string, string>;
  /** The PromQL selector of one of the engine's metrics for this server's own series. */
  readonly selector: (metric: EngineMetric, managed: boolean) => string;
}

/**
 * The KEDA ScaledObject (construct id `ScaledObject`): a Prometheus trigger on the sum of the
 * engine's queue gauge, the baseline windows as cron triggers and, with scale to zero, the
 * in-flight keep-alive and the activation query; a `currentReplicasIfHigher` fallback otherwise,
 * and a slow scale-down.
 */
export function addServerScaledObject(
  scope: Construct,
  a: ModelServerAutoscaling,
  ctx: ServerOpsContext,
  o: ServerScaledObjectOptions,
): Manifest {
  assertCrdInOtherStack(scope, 'keda.sh', 'ScaledObject');
  const managed = o.collection.managed;
  const server = a.prometheusUrl ?? (managed ? o.collection.queryUrl! : o.monitoring!.prometheusUrl);
  const authenticationRef = o.authenticated ? { name: gcpTriggerAuthName(ctx.deploymentName) } : undefined;
  if (managed && a.activationQuery && hasBareColonMetric(a.activationQuery)) {
    Warnings.add(
      scope,
      'k8s-gmp-colon-metric-name',
      `'autoscaling.activationQuery' names a metric with a colon ('${a.activationQuery}'): on Managed Prometheus write it as ` +
        `{__name__="vllm:...", ...} (the form the library uses for its own queries), or it may not match the stored metric.`,
    );
  }
  const scaleToZero = a.scaleToZero ?? false;
  const ignoreNull = String(a.ignoreNullValues ?? scaleToZero);
  const metrics = ctx.engine.metrics;
  const sumOf = (m: EngineMetric) => `sum(${o.selector(m, managed)})`;
  const waiting = sumOf(metrics.queueDepth);
  const triggers: Array<Record<string, unknown>> = [
    {
      type: 'prometheus',
      name: 'queue-depth',
      metadata: {
        serverAddress: server,
        query: waiting,
        threshold: String(a.targetQueueDepthPerReplica ?? o.defaultTarget),
        activationThreshold: String(a.activationQueueDepth ?? 0),
        ignoreNullValues: ignoreNull,
      },
    },
  ];
  (a.schedule ?? []).forEach((w, i) => {
    triggers.push({
      type: 'cron',
      name: `baseline-${i}`,
      metadata: {
        timezone: w.timeZone,
        start: w.start,
        end: w.end,
        desiredReplicas: String(w.minReplicas),
      },
    });
  });
  if (scaleToZero) {
    const inFlight = `${sumOf(metrics.runningRequests)} + ${waiting}`;
    triggers.push(
      {
        type: 'prometheus',
        name: 'keepalive-in-flight',
        metadata: {
          serverAddress: server,
          query: inFlight,
          threshold: '1000000',
          activationThreshold: '0',
          ignoreNullValues: ignoreNull,
        },
      },
      {
        type: 'prometheus',
        name: 'activation',
        metadata: {
          serverAddress: server,
          query: a.activationQuery!,
          threshold: '1000000',
          activationThreshold: '0',
          ignoreNullValues: 'true',
        },
      },
    );
  }
  if (authenticationRef) {
    for (const t of triggers.filter((x) => x.type === 'prometheus')) {
      t.authenticationRef = authenticationRef;
    }
  }
  const minReplicas = Math.max(o.replicas, 1);
  return new Manifest(scope, 'ScaledObject', {
    manifest: {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: ctx.deploymentName, namespace: ctx.namespace, labels: ctx.labels },
      spec: {
        scaleTargetRef: o.scaleTargetRef,
        minReplicaCount: minReplicas,
        maxReplicaCount: a.maxReplicas,
        ...(scaleToZero
          ? { idleReplicaCount: 0 }
          : {
              // When Prometheus cannot be queried, keep what runs (KEDA's default 'static'
              // would drop a loaded server to fallback.replicas, the minimum).
              fallback: { failureThreshold: 3, replicas: minReplicas, behavior: 'currentReplicasIfHigher' },
            }),
        pollingInterval: 15,
        cooldownPeriod: a.cooldownSeconds ?? 360,
        advanced: {
          horizontalPodAutoscalerConfig: {
            behavior: {
              scaleDown: {
                stabilizationWindowSeconds: 300,
                policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }],
              },
            },
          },
        },
        triggers,
      },
    },
  });
}

/**
 * On Managed Prometheus KEDA authenticates with the operator's GCP identity (a
 * TriggerAuthentication, construct id `TriggerAuthentication`), unless 'autoscaling.prometheusUrl'
 * points it at another Prometheus. Warns when the GpuPlatform's KEDA service account carries no
 * Google service account.
 */
export function addServerTriggerAuthentication(
  scope: Construct,
  a: ModelServerAutoscaling,
  ctx: ServerOpsContext,
  collection: MetricsCollection,
  platform: IGpuPlatform | undefined,
): Manifest | undefined {
  if (!collection.managed || a.prometheusUrl) {
    return undefined;
  }
  // GpuPlatform exposes the annotations it puts on KEDA's service account; an imported platform does not.
  const annotations = (platform as { kedaServiceAccountAnnotations?: Record<string, string> } | undefined)
    ?.kedaServiceAccountAnnotations;
  if (platform && annotations && !annotations[GKE_GSA_ANNOTATION]) {
    Warnings.add(
      scope,
      'k8s-keda-without-gcp-identity',
      `autoscaling queries Managed Prometheus with KEDA's GCP identity, but the GpuPlatform '${platform.node.path}' ` +
        `does not annotate KEDA's service account with '${GKE_GSA_ANNOTATION}': unless its Kubernetes service account ` +
        `is granted roles/monitoring.viewer directly (Workload Identity Federation), the queries fail with 403. Set ` +
        `'kedaServiceAccountAnnotations' on the GpuPlatform.`,
    );
  }
  return addGcpTriggerAuthentication(
    scope,
    'TriggerAuthentication',
    gcpTriggerAuthName(ctx.deploymentName),
    ctx.namespace,
    ctx.labels,
  );
}

/** The warning ids and subject of {@link addServerMetricsCollection}'s warnings. */
export interface ServerScrapeWarnings {
  /** Id of the warning when nothing scrapes the server. */
  readonly unmonitoredId: string;
  /** What goes blind when nothing scrapes the server. */
  readonly unmonitoredEffect: string;
  /** Id of the warning when `monitoring` is given but Managed Prometheus collects. */
  readonly monitoringUnusedId: string;
}

/**
 * The server's scrape: a Managed Prometheus PodMonitoring (construct id `PodMonitoring`), or a
 * prometheus-operator ServiceMonitor (construct id `ServiceMonitor`) labelled for the monitoring
 * stack's Prometheus, or a warning that nothing scrapes it.
 */
export function addServerMetricsCollection(
  scope: Construct,
  ctx: ServerOpsContext,
  collection: MetricsCollection,
  monitoring: IMonitoringStack | undefined,
  w: ServerScrapeWarnings,
): { serviceMonitor?: Manifest; podMonitoring?: Manifest } {
  const metrics = ctx.engine.metrics;
  if (collection.managed) {
    const podMonitoring = addPodMonitoring(scope, 'PodMonitoring', {
      name: ctx.deploymentName,
      namespace: ctx.namespace,
      labels: ctx.labels,
      selector: ctx.selectorLabels,
      port: metrics.port,
      intervalSeconds: collection.scrapeIntervalSeconds,
    });
    if (monitoring) {
      Warnings.add(
        scope,
        w.monitoringUnusedId,
        `'monitoring' is given but 'metricsCollection' is Managed Prometheus: no ServiceMonitor is created, so the monitoring ` +
          `stack's Prometheus does not scrape ${ctx.deploymentName} and KEDA queries Managed Prometheus.`,
      );
    }
    return { podMonitoring };
  }
  if (monitoring) {
    assertCrdInOtherStack(scope, 'monitoring.coreos.com', 'ServiceMonitor');
    const serviceMonitor = new Manifest(scope, 'ServiceMonitor', {
      manifest: {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: {
          name: ctx.deploymentName,
          namespace: ctx.namespace,
          labels: { ...ctx.labels, ...monitoring.selectorLabels },
        },
        spec: {
          selector: { matchLabels: ctx.selectorLabels },
          namespaceSelector: { matchNames: [ctx.namespace] },
          endpoints: [{ port: metrics.port, path: metrics.path, interval: '15s' }],
        },
      },
    });
    return { serviceMonitor };
  }
  Warnings.add(
    scope,
    w.unmonitoredId,
    `no 'monitoring' given: no ServiceMonitor is created, so ${w.unmonitoredEffect} from ${ctx.deploymentName}.`,
  );
  return {};
}

/** Options of {@link addServerNetworkPolicy}. */
export interface ServerNetworkPolicyContext {
  /** The namespace of the metrics scraper, if any: it may reach the metrics port only. */
  readonly scraperNamespace?: string;
  /**
   * IPv4 blocks a gateway's load balancer connects from (`allowIngressFromCidrs`), admitted to
   * the HTTP API port only, read at synth: the caller keeps appending after the policy is created.
   */
  readonly ingressCidrs: string[];
  /**
   * Namespaces of a gateway's proxies (`allowIngressFromNamespaces`), admitted to the HTTP API
   * port only, read at synth (a gateway hooked up after the policy is created).
   */
  readonly ingressNamespaces: string[];
  /**
   * Pods of the server's own namespace admitted when the own namespace is not, read at synth: an
   * endpoint picker, which reads the engine's metrics, to the HTTP API and metrics ports; a
   * gateway's or router's Envoy pods (`metrics: false`) to the HTTP API port only.
   */
  readonly ingressPods?: AdmittedPods[];
  /** Further rules, read at synth (the pods of a multi-node group reaching each other). */
  readonly extraRules?: () => Array<Record<string, unknown>>;
}

/**
 * Validates `networkPolicy` and creates the ingress NetworkPolicy (construct id
 * `NetworkPolicy`): the server's own namespace (unless `allowSameNamespace: false`), the
 * `clientNamespaces` and the `clientCidrs` on every API port; a gateway's namespaces and load
 * balancer blocks on the HTTP API port (the first engine port, the one a gateway connects to);
 * the scraper's namespace on the metrics port; with `allowSameNamespace: false`, the
 * `ingressPods` of the own namespace on the HTTP API port and, for a picker, the metrics port
 * (one rule per set of ports). With a single API port, clients and gateway share one rule. Egress
 * is not restricted.
 */
export function addServerNetworkPolicy(
  scope: Construct,
  np: ModelServerNetworkPolicy,
  ctx: ServerOpsContext,
  o: ServerNetworkPolicyContext,
): NetworkPolicyV1 {
  const cidrs = Validate.array<string>(scope, 'networkPolicy.clientCidrs', np.clientCidrs ?? []);
  cidrs.forEach((c, i) => Validate.cidr(scope, `networkPolicy.clientCidrs[${i}]`, c));
  Validate.unique(scope, 'networkPolicy.clientCidrs', cidrs);
  const clients = Validate.array<string>(scope, 'networkPolicy.clientNamespaces', np.clientNamespaces ?? []);
  clients.forEach((ns, i) =>
    Validate.k8sDnsLabel(scope, `networkPolicy.clientNamespaces[${i}]`, ns, { what: 'a namespace name' }),
  );
  Validate.unique(scope, 'networkPolicy.clientNamespaces', clients);
  // Terraform's block names (snake_case): the list is produced at synth, after every
  // allowIngressFrom* call, so the provider binding does not map its keys.
  const namespaceSelector = (ns: string) => ({
    namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': ns } },
  });
  const apiPorts = ctx.engine.ports.map((p) => ({ port: p.name, protocol: 'TCP' }));
  const gatewayPorts = apiPorts.slice(0, 1);
  const sameNamespace = np.allowSameNamespace ?? true;
  const ingress = Lazy.anyValue({
    produce: () => {
      const rules: Array<Record<string, unknown>> = [];
      const gatewayNamespaces = o.ingressNamespaces.filter((ns) => !clients.includes(ns));
      const gatewayCidrs = o.ingressCidrs.filter((c) => !cidrs.includes(c));
      const clientSources = [
        ...(sameNamespace ? [{ pod_selector: {} }] : []),
        ...clients.map(namespaceSelector),
      ];
      const gatewaySources = gatewayNamespaces.map(namespaceSelector);
      const clientBlocks = cidrs.map((cidr) => ({ ip_block: { cidr } }));
      const gatewayBlocks = gatewayCidrs.map((cidr) => ({ ip_block: { cidr } }));
      if (apiPorts.length === 1) {
        const sources = [...clientSources, ...gatewaySources, ...clientBlocks, ...gatewayBlocks];
        if (sources.length) rules.push({ from: sources, ports: apiPorts });
      } else {
        const sources = [...clientSources, ...clientBlocks];
        if (sources.length) rules.push({ from: sources, ports: apiPorts });
        const gateway = [...gatewaySources, ...gatewayBlocks];
        if (gateway.length) rules.push({ from: gateway, ports: gatewayPorts });
      }
      if (!sameNamespace) {
        // One rule per set of ports, in order of admission: with vLLM (metrics on the HTTP port)
        // pickers and Envoy pods share one rule; with Triton Envoy pods do not reach `metrics`.
        const byPorts = new Map<string, { ports: string[]; from: Array<Record<string, unknown>> }>();
        for (const p of o.ingressPods ?? []) {
          const ports = [
            ...new Set([ctx.engine.ports[0].name, ...(p.metrics ? [ctx.engine.metrics.port] : [])]),
          ];
          const key = ports.join(',');
          const rule = byPorts.get(key) ?? { ports, from: [] };
          rule.from.push({ pod_selector: { match_labels: { ...p.labels } } });
          byPorts.set(key, rule);
        }
        for (const { ports, from } of byPorts.values()) {
          rules.push({ from, ports: ports.map((port) => ({ port, protocol: 'TCP' })) });
        }
      }
      if (o.scraperNamespace) {
        rules.push({
          from: [namespaceSelector(o.scraperNamespace)],
          ports: [{ port: ctx.engine.metrics.port, protocol: 'TCP' }],
        });
      }
      rules.push(...(o.extraRules?.() ?? []));
      return rules;
    },
  });
  return new NetworkPolicyV1(scope, 'NetworkPolicy', {
    metadata: { name: ctx.deploymentName, namespace: ctx.namespace, labels: ctx.labels },
    spec: {
      podSelector: { matchLabels: ctx.podLabels },
      policyTypes: ['Ingress'],
      ingress,
    },
  });
}

/**
 * Admits IPv4 CIDR blocks to a server's NetworkPolicy (`allowIngressFromCidrs` of ModelServer and
 * LlamaCppServer): validates each under the method's name and appends the new ones to `admitted`,
 * the list {@link addServerNetworkPolicy} reads at synth.
 */
export function admitIngressCidrs(scope: Construct, admitted: string[], cidrs: readonly string[]): void {
  Validate.array<string>(scope, 'allowIngressFromCidrs', cidrs).forEach((c, i) => {
    Validate.cidr(scope, `allowIngressFromCidrs[${i}]`, c);
    if (!admitted.includes(c)) admitted.push(c);
  });
}

/**
 * Admits the pods of namespaces to a server's NetworkPolicy (`allowIngressFromNamespaces`):
 * validates each name and appends the new ones to `admitted`, read at synth.
 */
export function admitIngressNamespaces(
  scope: Construct,
  admitted: string[],
  namespaces: readonly string[],
): void {
  Validate.array<string>(scope, 'allowIngressFromNamespaces', namespaces).forEach((ns, i) => {
    Validate.k8sDnsLabel(scope, `allowIngressFromNamespaces[${i}]`, ns, { what: 'a namespace name' });
    if (!admitted.includes(ns)) admitted.push(ns);
  });
}

/** Pods of a server's own namespace admitted to its NetworkPolicy (`allowIngressFromPods`). */
export interface AdmittedPods {
  /** Their labels. */
  readonly labels: Record<string, string>;
  /** Whether they reach the metrics port too (an endpoint picker). */
  metrics: boolean;
}

/**
 * Adds a pod selector (labels of pods in the server's namespace) to `admitted`, once (admitted
 * with and without metrics, it keeps metrics); an empty selector would admit the whole namespace
 * and is refused.
 */
export function admitIngressPods(
  scope: Construct,
  admitted: AdmittedPods[],
  labels: Readonly<Record<string, string>>,
  namespace: string,
  options: PodIngressOptions = {},
): void {
  const map = Validate.k8sLabels(scope, 'allowIngressFromPods', labels);
  if (Object.keys(map).length === 0) {
    throw new ValidationError(
      `'allowIngressFromPods' got no labels: an empty selector would admit every pod of '${namespace}'. ` +
        `Give the labels of the pods to admit, or set networkPolicy.allowSameNamespace.`,
      scope,
    );
  }
  Validate.object(scope, 'allowIngressFromPods options', options);
  const metrics = options.metrics ?? true;
  Validate.boolean(scope, 'allowIngressFromPods metrics', metrics);
  const key = JSON.stringify(Object.entries(map).sort());
  const known = admitted.find((p) => JSON.stringify(Object.entries(p.labels).sort()) === key);
  if (known) {
    known.metrics ||= metrics;
  } else {
    admitted.push({ labels: { ...map }, metrics });
  }
}

/** The namespace whose scraper reaches the metrics port: `gmp-system` on Managed Prometheus, else the monitoring stack's. */
export function scraperNamespace(
  collection: MetricsCollection,
  monitoring: IMonitoringStack | undefined,
): string | undefined {
  return collection.managed ? GMP_COLLECTOR_NAMESPACE : monitoring?.namespace;
}

/** A PodDisruptionBudget over every pod of the server, `maxUnavailable: 1` (construct id `DisruptionBudget`). */
export function addServerDisruptionBudget(scope: Construct, ctx: ServerOpsContext): PodDisruptionBudgetV1 {
  return new PodDisruptionBudgetV1(scope, 'DisruptionBudget', {
    metadata: { name: ctx.deploymentName, namespace: ctx.namespace, labels: ctx.labels },
    spec: { maxUnavailable: '1', selector: { matchLabels: ctx.podLabels } },
  });
}

/** Options of {@link addServerOperations}: what differs between the two servers. */
export interface ServerOperationsOptions {
  /** `podDisruptionBudget` as given. */
  readonly podDisruptionBudget?: boolean;
  /** `networkPolicy` as given. */
  readonly networkPolicy?: ModelServerNetworkPolicy;
  /** `monitoring` as given. */
  readonly monitoring?: IMonitoringStack;
  /** The metrics collection (`metricsCollection`, or the prometheus-operator default). */
  readonly collection: MetricsCollection;
  /** `autoscaling` as given. */
  readonly autoscaling?: ModelServerAutoscaling;
  /** `platform` as given. */
  readonly platform?: IGpuPlatform;
  /** The warnings when the server is not scraped. */
  readonly scrapeWarnings: ServerScrapeWarnings;
  /** The network policy's admitted sources, read at synth (see {@link ServerNetworkPolicyContext}). */
  readonly ingress: Omit<ServerNetworkPolicyContext, 'scraperNamespace'>;
  /** The ScaledObject's options besides the monitoring, collection and authentication. */
  readonly scaling: Pick<
    ServerScaledObjectOptions,
    'replicas' | 'defaultTarget' | 'scaleTargetRef' | 'selector'
  >;
}

/** The operations objects {@link addServerOperations} created. */
export interface ServerOperations {
  /** The PodDisruptionBudget, unless disabled. */
  readonly podDisruptionBudget?: PodDisruptionBudgetV1;
  /** The ServiceMonitor, with `monitoring` on prometheus-operator. */
  readonly serviceMonitor?: Manifest;
  /** The PodMonitoring, on Managed Prometheus. */
  readonly podMonitoring?: Manifest;
  /** The ingress NetworkPolicy, unless disabled. */
  readonly networkPolicy?: NetworkPolicyV1;
  /** The KEDA TriggerAuthentication, with autoscaling on Managed Prometheus. */
  readonly triggerAuthentication?: Manifest;
  /** The KEDA ScaledObject, with autoscaling. */
  readonly scaledObject?: Manifest;
}

/**
 * Every operations object of a model server, in one order for both servers: the
 * PodDisruptionBudget, the scrape, the ingress NetworkPolicy and, with autoscaling, the KEDA
 * TriggerAuthentication and ScaledObject.
 */
export function addServerOperations(
  scope: Construct,
  ctx: ServerOpsContext,
  o: ServerOperationsOptions,
): ServerOperations {
  const podDisruptionBudget =
    (o.podDisruptionBudget ?? true) ? addServerDisruptionBudget(scope, ctx) : undefined;
  const scrape = addServerMetricsCollection(scope, ctx, o.collection, o.monitoring, o.scrapeWarnings);
  const networkPolicy =
    (o.networkPolicy?.enabled ?? true)
      ? addServerNetworkPolicy(scope, o.networkPolicy ?? {}, ctx, {
          ...o.ingress,
          scraperNamespace: scraperNamespace(o.collection, o.monitoring),
        })
      : undefined;
  const a = o.autoscaling;
  if (!a) {
    return { podDisruptionBudget, ...scrape, networkPolicy };
  }
  const triggerAuthentication = addServerTriggerAuthentication(scope, a, ctx, o.collection, o.platform);
  const scaledObject = addServerScaledObject(scope, a, ctx, {
    ...o.scaling,
    monitoring: o.monitoring,
    collection: o.collection,
    authenticated: triggerAuthentication !== undefined,
  });
  return { podDisruptionBudget, ...scrape, networkPolicy, triggerAuthentication, scaledObject };
}

/** The naming and replica props both servers take. */
export interface ServerIdentityProps {
  readonly name?: string;
  readonly namespace?: string;
  readonly servedModelName?: string;
  readonly replicas?: number;
  /** The model (its name is the default served model name). */
  readonly model: { readonly name: string };
}

/** A server's names and replica count, validated. */
export interface ServerIdentity {
  /** Base name (`name`, or the construct id in kebab case). */
  readonly name: string;
  readonly namespace: string;
  /** Name of the Deployment and Service: `<name>-<engine id>`. */
  readonly deploymentName: string;
  /** The model name clients send. */
  readonly servedModelName: string;
  readonly replicas: number;
}

/**
 * The names and replica count of a server: `name` (at most 48 characters, a Service name),
 * `namespace` (default `default`), the Deployment name `<name>-<engine id>`, the served model
 * name (default the model's) and `replicas` (default 1, 0 or more).
 */
export function serverIdentity(
  scope: Construct,
  id: string,
  props: ServerIdentityProps,
  engineId: string,
): ServerIdentity {
  const name = props.name ?? nameFromId(id);
  assertServiceName(scope, 'name', name, 48);
  const namespace = props.namespace ?? 'default';
  assertDnsLabel(scope, 'namespace', namespace);
  const servedModelName =
    props.servedModelName === undefined
      ? props.model.name
      : Validate.string(scope, 'servedModelName', props.servedModelName, { maxLength: 256 });
  const replicas = props.replicas ?? 1;
  assertInteger(scope, 'replicas', replicas, 0);
  return { name, namespace, deploymentName: `${name}-${engineId}`, servedModelName, replicas };
}

/** Seconds between a server's startup probes. */
const PROBE_PERIOD_SECONDS = 10;

/**
 * A server's HTTP probes on the engine's paths: startup every 10 s for `startupMinutes`,
 * readiness every 5 s and liveness every 10 s (5 s timeout), three failures each.
 */
export function serverProbes(
  probes: EngineProbes,
  startupMinutes: number,
): { startup: ApiProbe; readiness: ApiProbe; liveness: ApiProbe } {
  const probe = (path: string, periodSeconds: number, failureThreshold: number): ApiProbe => ({
    httpGet: { path, port: probes.port },
    periodSeconds,
    failureThreshold,
  });
  return {
    startup: probe(
      probes.startupPath,
      PROBE_PERIOD_SECONDS,
      Math.ceil((startupMinutes * 60) / PROBE_PERIOD_SECONDS),
    ),
    readiness: probe(probes.readinessPath, 5, 3),
    liveness: { ...probe(probes.livenessPath, 10, 3), timeoutSeconds: 5 },
  };
}

/**
 * The resources a server's Deployment must wait for (`WeightsBinding.dependsOn`, a cache's fill
 * Job): those in the server's stack are returned for the Deployment's `depends_on`; for those in
 * another stack, the server's stack is ordered after theirs.
 */
export function serverWeightsDependencies(
  scope: Construct,
  dependsOn: readonly TerraformResource[] | undefined,
): ITerraformDependable[] {
  const sameStack = (dependsOn ?? []).filter((d) => TerraformStack.of(d) === TerraformStack.of(scope));
  (dependsOn ?? []).forEach((d) => dependOnStackOf(scope, d));
  return sameStack;
}

/** What {@link addServerDeployment} renders. */
export interface ServerDeploymentOptions {
  /** Name of the Deployment. */
  readonly deploymentName: string;
  readonly namespace: string;
  /** Labels of the Deployment and its pods. */
  readonly labels: Record<string, string>;
  /** The Deployment's selector. */
  readonly selectorLabels: Record<string, string>;
  /** The `cdktf-ai-infra/sizing` annotation. */
  readonly sizingAnnotation: string;
  readonly replicas: number;
  /** `progressDeadlineSeconds` and the Terraform timeouts, minutes. */
  readonly rolloutMinutes: number;
  /** Annotations of the pods (the weights source's). */
  readonly podAnnotations?: Record<string, string>;
  readonly pod: GpuPod;
  /** Whether KEDA owns the replica count (Terraform then ignores it). */
  readonly autoscaled: boolean;
  /** Resources in the server's stack the Deployment waits for ({@link serverWeightsDependencies}). */
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * A server's Deployment (construct id `Resource`): one surge pod at a time and none unavailable,
 * a progress deadline and Terraform timeouts of the rollout budget, the replica count left to
 * KEDA when autoscaled.
 */
export function addServerDeployment(scope: Construct, o: ServerDeploymentOptions): DeploymentV1 {
  const podAnnotations = o.podAnnotations ?? {};
  const dependsOn = o.dependsOn ?? [];
  return new DeploymentV1(scope, 'Resource', {
    metadata: {
      name: o.deploymentName,
      namespace: o.namespace,
      labels: o.labels,
      annotations: { 'cdktf-ai-infra/sizing': o.sizingAnnotation },
    },
    spec: {
      replicas: String(o.replicas),
      progressDeadlineSeconds: o.rolloutMinutes * 60,
      selector: { matchLabels: o.selectorLabels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1', maxUnavailable: '0' } },
      template: {
        metadata: {
          labels: o.labels,
          ...(Object.keys(podAnnotations).length ? { annotations: podAnnotations } : {}),
        },
        spec: toDeploymentPodSpec(o.pod.spec),
      },
    },
    timeouts: { create: `${o.rolloutMinutes}m`, update: `${o.rolloutMinutes}m` },
    // KEDA owns the replica count.
    lifecycle: o.autoscaled ? { ignoreChanges: ['spec[0].replicas'] } : undefined,
    ...(dependsOn.length ? { dependsOn } : {}),
  });
}

/** What {@link addServerService} renders. */
export interface ServerServiceOptions {
  /** Name of the Service (the Deployment's). */
  readonly deploymentName: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  /** The pods serving the API. */
  readonly selectorLabels: Record<string, string>;
  /** The engine's ports, each exposed under its name. */
  readonly ports: EnginePort[];
}

/** A server's ClusterIP Service (construct id `Service`) on every engine port. */
export function addServerService(scope: Construct, o: ServerServiceOptions): ServiceV1 {
  return new ServiceV1(scope, 'Service', {
    metadata: { name: o.deploymentName, namespace: o.namespace, labels: o.labels },
    spec: {
      type: 'ClusterIP',
      selector: o.selectorLabels,
      port: o.ports.map((p) => ({
        name: p.name,
        port: p.containerPort,
        targetPort: p.name,
        protocol: 'TCP',
      })),
    },
  });
}

/** The in-cluster URL of a server's Service. */
export function serverUrl(deploymentName: string, namespace: string, port: number): string {
  return `http://${deploymentName}.${namespace}.svc.cluster.local:${port}`;
}
