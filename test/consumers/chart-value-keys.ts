/**
 * The values keys of each pinned Helm chart that the library sets, checked against the chart's
 * values.yaml at the pinned version (and, where noted, its templates or subcharts). Helm ignores
 * a key the chart does not read, silently: a renamed key in a new chart version would drop a
 * setting without an error. The test (helm-values.test.ts) walks every values document the
 * examples and constructs render and requires each key path to be listed here; below a
 * `freeForm` path any keys are allowed (maps the chart passes through, such as
 * `additionalPrometheusRulesMap` or `nodeSelector`).
 *
 * Keyed by `chart@version` as pinned in lib/k8s/versions.ts: bumping a chart makes the test fail
 * until the keys are re-checked against the new version's values.yaml and this list updated.
 * Checked 2026-12-03.
 */

/** The keys of one chart version the library may set. */
export interface ChartValueKeys {
  /** Repository, tag, commit and path the keys were checked against. */
  readonly source: string;
  /** Dotted key paths that exist at this version. */
  readonly known: readonly string[];
  /** Key paths whose value is a map the chart passes through (any keys below). */
  readonly freeForm: readonly string[];
  /** Keys the chart reads that its values.yaml does not list, each with where it is read. */
  readonly notInDefaults?: Readonly<Record<string, string>>;
}

/**
 * The `router.*` keys both llm-d-router charts (gateway and standalone) have at v0.10.0: each
 * chart's values.yaml and its `router` dependency config/charts/routerlib/values.yaml (sources below).
 */
const LLM_D_ROUTER_KEYS = [
  'router',
  'router.epp',
  'router.epp.affinity',
  'router.epp.image',
  'router.epp.image.pullPolicy',
  'router.epp.image.registry',
  'router.epp.image.repository',
  'router.epp.image.tag',
  'router.epp.pluginsConfigFile',
  'router.epp.pluginsCustomConfig',
  'router.epp.replicas',
  'router.epp.resources',
  'router.inferencePool',
  'router.inferencePool.create',
  'router.modelServers',
  'router.modelServers.protocol',
  'router.modelServers.targetPorts',
  'router.modelServers.type',
  'router.monitoring',
  'router.monitoring.interval',
  'router.monitoring.prometheus',
  'router.monitoring.prometheus.auth',
  'router.monitoring.prometheus.auth.enabled',
  'router.monitoring.prometheus.auth.secretName',
  'router.monitoring.prometheus.enabled',
  'router.monitoring.prometheus.extraLabels',
  'router.monitoring.provider',
  'router.monitoring.provider.name',
];
/** The free-form `router.*` maps of both llm-d-router charts at v0.10.0. */
const LLM_D_ROUTER_FREE_FORM = [
  'router.epp.affinity',
  'router.epp.pluginsCustomConfig',
  'router.epp.resources',
  'router.modelServers.matchLabels',
  'router.monitoring.prometheus.extraLabels',
];

/** By `chart@version`. */
export const CHART_VALUE_KEYS: Readonly<Record<string, ChartValueKeys>> = {
  'dcgm-exporter@4.8.2': {
    source: 'NVIDIA/dcgm-exporter tag 4.5.3-4.8.2 (691c9276) deployment/values.yaml',
    known: [
      'affinity',
      'arguments',
      'extraConfigMapVolumes',
      'extraVolumeMounts',
      'image',
      'image.repository',
      'image.tag',
      'serviceMonitor',
      'serviceMonitor.additionalLabels',
      'serviceMonitor.enabled',
      'serviceMonitor.honorLabels',
      'serviceMonitor.interval',
      'serviceMonitor.relabelings',
      'tolerations',
    ],
    freeForm: ['affinity', 'serviceMonitor.additionalLabels'],
  },
  'nvidia-device-plugin@0.20.0': {
    source:
      'NVIDIA/k8s-device-plugin tag v0.20.0 (1b826acc) deployments/helm/nvidia-device-plugin/values.yaml',
    known: [
      'affinity',
      'affinity.nodeAffinity',
      'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution',
      'affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms',
      'tolerations',
    ],
    freeForm: [],
  },
  'kube-prometheus-stack@88.5.3': {
    source:
      'prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3 (ea930bae) charts/kube-prometheus-stack/values.yaml',
    known: [
      'additionalPrometheusRulesMap',
      'alertmanager',
      'alertmanager.alertmanagerSpec',
      'alertmanager.alertmanagerSpec.secrets',
      'alertmanager.config',
      'alertmanager.config.receivers',
      'alertmanager.config.route',
      'alertmanager.config.route.group_by',
      'alertmanager.config.route.group_interval',
      'alertmanager.config.route.group_wait',
      'alertmanager.config.route.receiver',
      'alertmanager.config.route.repeat_interval',
      'alertmanager.config.route.routes',
      'crds',
      'crds.enabled',
      'fullnameOverride',
      'grafana',
      'grafana.admin',
      'grafana.admin.existingSecret',
      'grafana.admin.passwordKey',
      'grafana.admin.userKey',
      'grafana.sidecar',
      'grafana.sidecar.dashboards',
      'grafana.sidecar.dashboards.enabled',
      'grafana.sidecar.dashboards.label',
      'grafana.sidecar.dashboards.labelValue',
      'grafana.sidecar.dashboards.searchNamespace',
      'kube-state-metrics',
      'prometheus',
      'prometheus.additionalServiceMonitors',
      'prometheus.prometheusSpec',
      'prometheus.prometheusSpec.podMonitorSelectorNilUsesHelmValues',
      'prometheus.prometheusSpec.probeSelectorNilUsesHelmValues',
      'prometheus.prometheusSpec.remoteWrite',
      'prometheus.prometheusSpec.retention',
      'prometheus.prometheusSpec.ruleNamespaceSelector',
      'prometheus.prometheusSpec.ruleSelectorNilUsesHelmValues',
      'prometheus.prometheusSpec.serviceMonitorNamespaceSelector',
      'prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues',
      'prometheus.prometheusSpec.storageSpec',
      'prometheus.serviceAccount',
      'prometheus.serviceAccount.create',
      'prometheus.serviceAccount.name',
    ],
    freeForm: [
      'additionalPrometheusRulesMap',
      'prometheus.prometheusSpec.ruleNamespaceSelector',
      'prometheus.prometheusSpec.serviceMonitorNamespaceSelector',
      'prometheus.prometheusSpec.storageSpec',
    ],
    notInDefaults: {
      'kube-state-metrics.metricLabelsAllowlist':
        'subchart kube-state-metrics 8.4.0 (Chart.yaml dependency), charts/kube-state-metrics/values.yaml at the same tag',
    },
  },
  'aws-efa-k8s-device-plugin@v0.5.30': {
    source:
      'aws/eks-charts commit bfe91c4b (chart version v0.5.30) stable/aws-efa-k8s-device-plugin/values.yaml',
    known: ['tolerations'],
    freeForm: [],
  },
  'keda@2.20.2': {
    source: 'kedacore/charts tag v2.20.2 (cbb9bb8c) keda/values.yaml',
    known: [
      'serviceAccount',
      'serviceAccount.operator',
      'serviceAccount.operator.annotations',
      'serviceAccount.operator.name',
    ],
    freeForm: ['serviceAccount.operator.annotations'],
  },
  'gpu-operator@v26.7.0': {
    source: 'NVIDIA/gpu-operator tag v26.7.0 (10ee5b36) deployments/gpu-operator/values.yaml',
    known: [
      'daemonsets',
      'daemonsets.tolerations',
      'dcgmExporter',
      'dcgmExporter.enabled',
      'dcgmExporter.env',
      'dcgmExporter.serviceMonitor',
      'dcgmExporter.serviceMonitor.additionalLabels',
      'dcgmExporter.serviceMonitor.enabled',
      'dcgmExporter.serviceMonitor.honorLabels',
      'dcgmExporter.serviceMonitor.interval',
      'dcgmExporter.serviceMonitor.relabelings',
      'devicePlugin',
      'devicePlugin.enabled',
      'dcgm',
      'dcgm.enabled',
      'driver',
      'driver.enabled',
      'toolkit',
      'toolkit.enabled',
    ],
    freeForm: ['dcgmExporter.serviceMonitor.additionalLabels'],
    notInDefaults: {
      'dcgmExporter.config':
        'not in values.yaml; read by templates/clusterpolicy.yaml (`.Values.dcgmExporter.config.name`) and templates/dcgm_exporter_config.yaml',
    },
  },
  'istiod@1.29.2': {
    source:
      'istio/istio tag 1.29.2 (0c774325) manifests/charts/istio-control/istio-discovery/values.yaml (`_internal_defaults_do_not_set.env`, merged to the top level by templates/zzz_profile.yaml; read by templates/deployment.yaml as `.Values.env`)',
    known: ['env'],
    // Each key becomes an istiod container environment variable (`range $key, $val := .Values.env`).
    freeForm: ['env'],
  },
  'llm-d-router-gateway@v0.10.0': {
    source:
      'llm-d/llm-d-router tag v0.10.0 (71f4f099) config/charts/llm-d-router-gateway/values.yaml and its `router` dependency config/charts/routerlib/values.yaml',
    known: [
      ...LLM_D_ROUTER_KEYS,
      'provider',
      'provider.name',
      'router.inferencePool.failureMode',
      'router.tracing',
      'router.tracing.enabled',
      'router.tracing.otelExporterEndpoint',
      'router.tracing.sampling',
      'router.tracing.sampling.sampler',
      'router.tracing.sampling.samplerArg',
    ],
    freeForm: [...LLM_D_ROUTER_FREE_FORM],
    notInDefaults: {
      'router.modelServers.matchLabels':
        'commented out as REQUIRED in config/charts/llm-d-router-gateway/values.yaml; documented in config/charts/README.md (`router.modelServers.matchLabels`)',
    },
  },
  'llm-d-router-standalone@v0.10.0': {
    source:
      'llm-d/llm-d-router tag v0.10.0 (71f4f099) config/charts/llm-d-router-standalone/values.yaml and its `router` dependency config/charts/routerlib/values.yaml',
    known: [
      ...LLM_D_ROUTER_KEYS,
      'router.proxy',
      'router.proxy.enabled',
      'router.proxy.failOpen',
      'router.proxy.mode',
      'router.proxy.proxyType',
      'router.proxy.replicas',
    ],
    freeForm: [...LLM_D_ROUTER_FREE_FORM, 'router.proxy.securityContext'],
    notInDefaults: {
      'router.modelServers.matchLabels':
        'commented out as REQUIRED in config/charts/llm-d-router-standalone/values.yaml; rendered into --endpoint-selector by config/charts/routerlib/templates/_deployment.yaml',
      'router.proxy.securityContext':
        'merged over the selected preset (routerlib _helpers.tpl "llm-d-router.proxy") and rendered as the Envoy container securityContext by routerlib templates/_deployment.yaml (sidecar) and _proxy-deployment.yaml (service)',
    },
  },
  'aws-load-balancer-controller@3.5.0': {
    source:
      'kubernetes-sigs/aws-load-balancer-controller tag v3.5.0 (11eb202c) helm/aws-load-balancer-controller/values.yaml',
    known: [
      'clusterName',
      'podDisruptionBudget',
      'podSecurityContext',
      'region',
      'replicaCount',
      'securityContext',
      'serviceAccount',
      'serviceAccount.create',
      'serviceAccount.name',
      'serviceMutatorWebhookConfig',
      'serviceMutatorWebhookConfig.failurePolicy',
      'vpcId',
    ],
    // Passed through with toYaml by templates/deployment.yaml and templates/pdb.yaml.
    freeForm: ['podDisruptionBudget', 'podSecurityContext', 'securityContext'],
  },
  'opentelemetry-collector@0.170.0': {
    source:
      'open-telemetry/opentelemetry-helm-charts tag opentelemetry-collector-0.170.0 (f5178cb9) charts/opentelemetry-collector/values.yaml and values.schema.json',
    known: [
      'alternateConfig',
      'command',
      'command.name',
      'fullnameOverride',
      'image',
      'image.repository',
      'image.tag',
      'mode',
      'podDisruptionBudget',
      'podDisruptionBudget.enabled',
      'podSecurityContext',
      'ports',
      'ports.jaeger-compact',
      'ports.jaeger-compact.enabled',
      'ports.jaeger-grpc',
      'ports.jaeger-grpc.enabled',
      'ports.jaeger-thrift',
      'ports.jaeger-thrift.enabled',
      'ports.metrics',
      'ports.metrics.enabled',
      'ports.otlp',
      'ports.otlp-http',
      'ports.otlp-http.enabled',
      'ports.otlp.enabled',
      'ports.zipkin',
      'ports.zipkin.enabled',
      'replicaCount',
      'resources',
      'resources.limits',
      'resources.limits.memory',
      'resources.requests',
      'resources.requests.cpu',
      'resources.requests.memory',
      'securityContext',
      'serviceAccount',
      'serviceAccount.annotations',
      'serviceAccount.create',
      'serviceAccount.name',
      'serviceMonitor',
      'serviceMonitor.enabled',
      'serviceMonitor.extraLabels',
    ],
    freeForm: [
      'alternateConfig',
      'podSecurityContext',
      'securityContext',
      'serviceAccount.annotations',
      'serviceMonitor.extraLabels',
    ],
    notInDefaults: {
      'podDisruptionBudget.minAvailable':
        'commented out in values.yaml; read by templates/pdb.yaml (`.Values.podDisruptionBudget.minAvailable`)',
    },
  },
  'opencost@2.5.17': {
    source: 'opencost/opencost-helm-chart tag opencost-2.5.17 (725bb939) charts/opencost/values.yaml',
    known: [
      'fullnameOverride',
      'podSecurityContext',
      'opencost',
      'opencost.cloudCost',
      'opencost.cloudCost.enabled',
      'opencost.cloudIntegrationSecret',
      'opencost.customPricing',
      'opencost.customPricing.costModel',
      'opencost.customPricing.createConfigmap',
      'opencost.customPricing.enabled',
      'opencost.customPricing.provider',
      'opencost.exporter',
      'opencost.exporter.defaultClusterId',
      'opencost.exporter.securityContext',
      'opencost.metrics',
      'opencost.metrics.serviceMonitor',
      'opencost.metrics.serviceMonitor.additionalLabels',
      'opencost.metrics.serviceMonitor.enabled',
      'opencost.prometheus',
      'opencost.prometheus.internal',
      'opencost.prometheus.internal.enabled',
      'opencost.prometheus.internal.namespaceName',
      'opencost.prometheus.internal.port',
      'opencost.prometheus.internal.serviceName',
      'opencost.ui',
      'opencost.ui.enabled',
    ],
    freeForm: [
      'podSecurityContext',
      // Written key by key into the custom pricing ConfigMap (templates/configmap-custom-pricing.yaml).
      'opencost.customPricing.costModel',
      'opencost.exporter.securityContext',
      'opencost.metrics.serviceMonitor.additionalLabels',
    ],
  },
  'fluent-bit@0.58.1': {
    source: 'fluent/helm-charts tag fluent-bit-0.58.1 (22a564dc) charts/fluent-bit/values.yaml',
    known: [
      'config',
      'config.outputs',
      'fullnameOverride',
      'securityContext',
      'serviceAccount',
      'serviceAccount.create',
      'serviceAccount.name',
      'serviceMonitor',
      'serviceMonitor.enabled',
      'tolerations',
    ],
    freeForm: ['securityContext'],
    notInDefaults: {
      'serviceMonitor.selector':
        'commented out in values.yaml; read by templates/servicemonitor.yaml (`.Values.serviceMonitor.selector`, written into the labels)',
    },
  },
  'tempo@2.2.4': {
    source:
      'grafana-community/helm-charts tag tempo-2.2.4 (7d2a00b3) charts/tempo/values.yaml and templates/statefulset.yaml',
    known: [
      'fullnameOverride',
      'persistence',
      'persistence.enabled',
      'persistence.size',
      'replicas',
      'securityContext',
      'serviceAccount',
      'serviceAccount.annotations',
      'serviceAccount.create',
      'serviceAccount.name',
      'serviceMonitor',
      'serviceMonitor.additionalLabels',
      'serviceMonitor.enabled',
      'tempo',
      'tempo.memBallastSizeMbs',
      'tempo.reportingEnabled',
      'tempo.resources',
      'tempo.retention',
      'tempo.securityContext',
      'tempo.storage',
      'tempo.storage.trace',
      'tempo.storage.trace.backend',
      'tempo.storage.trace.local',
      'tempo.storage.trace.local.path',
      'tempo.storage.trace.wal',
      'tempo.storage.trace.wal.path',
    ],
    // The pod and container securityContext and resources are written with toYaml by
    // templates/statefulset.yaml; tempo.storage is written with toYaml into tempo.yaml (the
    // `config` template), so its backend blocks (s3, gcs) are Tempo's own keys.
    freeForm: [
      'securityContext',
      'serviceAccount.annotations',
      'serviceMonitor.additionalLabels',
      'tempo.resources',
      'tempo.securityContext',
      'tempo.storage.trace',
    ],
    notInDefaults: {
      'persistence.storageClassName':
        'commented out in values.yaml; read by templates/statefulset.yaml (`.Values.persistence.storageClassName`)',
    },
  },
  'loki@18.11.0': {
    source:
      'grafana-community/helm-charts tag loki-18.11.0 (3386a115) charts/loki/values.yaml and templates/_helpers.tpl',
    known: [
      'chunksCache',
      'chunksCache.enabled',
      'deploymentMode',
      'fullnameOverride',
      'gateway',
      'gateway.enabled',
      'loki',
      'loki.analytics',
      'loki.auth_enabled',
      'loki.commonConfig',
      'loki.commonConfig.replication_factor',
      'loki.compactor',
      'loki.containerSecurityContext',
      'loki.limits_config',
      'loki.podSecurityContext',
      'loki.rulerConfig',
      'loki.schemaConfig',
      'loki.storage',
      'loki.storage.s3',
      'loki.storage.s3.region',
      'loki.storage.type',
      'lokiCanary',
      'lokiCanary.enabled',
      'monitoring',
      'monitoring.serviceMonitor',
      'monitoring.serviceMonitor.enabled',
      'monitoring.serviceMonitor.labels',
      'rbac',
      'rbac.namespaced',
      'resultsCache',
      'resultsCache.enabled',
      'serviceAccount',
      'serviceAccount.annotations',
      'serviceAccount.create',
      'serviceAccount.name',
      'sidecar',
      'sidecar.rules',
      'sidecar.rules.enabled',
      'singleBinary',
      'singleBinary.extraVolumeMounts',
      'singleBinary.extraVolumes',
      'singleBinary.persistence',
      'singleBinary.persistence.size',
      'singleBinary.persistence.storageClass',
      'singleBinary.replicas',
      'singleBinary.resources',
      'singleBinary.sidecar',
      'test',
      'test.enabled',
    ],
    // Written with toYaml (or tpl of toYaml) into Loki's config.yaml by the `loki.config` template
    // and `loki.rulerConfig` helper, so the keys below them are Loki's own (v3.7.6); the security
    // contexts, resources and labels are written with toYaml into the pod and ServiceMonitor.
    freeForm: [
      'loki.analytics',
      'loki.compactor',
      'loki.containerSecurityContext',
      'loki.limits_config',
      'loki.podSecurityContext',
      'loki.rulerConfig',
      'loki.schemaConfig',
      'monitoring.serviceMonitor.labels',
      'serviceAccount.annotations',
      'singleBinary.resources',
    ],
    notInDefaults: {
      'loki.storage.bucketNames':
        'commented out in values.yaml; read by templates/_helpers.tpl (`dig "storage" "bucketNames" "chunks"`, `loki.commonStorageConfig`)',
    },
  },
  'karpenter@1.14.1': {
    source: 'aws/karpenter-provider-aws tag v1.14.1 (bde00654) charts/karpenter/values.yaml',
    known: [
      'replicas',
      'serviceAccount',
      'serviceAccount.create',
      'serviceAccount.name',
      'settings',
      'settings.clusterName',
      'settings.interruptionQueue',
      'settings.featureGates',
      'settings.featureGates.reservedCapacity',
      'controller',
      'controller.resources',
    ],
    freeForm: ['controller.resources'],
  },
  'slurm-operator@1.2.1': {
    source: 'SlinkyProject/slurm-operator tag v1.2.1 (87313dac) helm/slurm-operator/values.yaml',
    known: [
      'certManager',
      'certManager.enabled',
      'operator',
      'operator.namespaces',
      'operator.podSecurityContext',
      'operator.securityContext',
      'webhook',
      'webhook.namespaces',
      'webhook.podSecurityContext',
      'webhook.securityContext',
    ],
    // Rendered with toYaml into the Deployments (templates/operator/deployment.yaml, templates/webhook/deployment.yaml).
    freeForm: [
      'operator.podSecurityContext',
      'operator.securityContext',
      'webhook.podSecurityContext',
      'webhook.securityContext',
    ],
  },
  'nvsentinel@v1.14.0': {
    source:
      'NVIDIA/NVSentinel v1.14.0 (values read at 26d39eb, the last main commit before the v1.14.0 registration 1abd31d) distros/kubernetes/nvsentinel/values.yaml and its node-drainer subchart charts/node-drainer/values.yaml',
    known: [
      'global',
      'global.dryRun',
      'global.dcgm',
      'global.dcgm.mode',
      'global.dcgm.service',
      'global.dcgm.service.endpoint',
      'global.dcgm.service.port',
      'global.gpuHealthMonitor',
      'global.gpuHealthMonitor.enabled',
      'global.syslogHealthMonitor',
      'global.syslogHealthMonitor.enabled',
      'global.faultQuarantine',
      'global.faultQuarantine.enabled',
      'global.nodeDrainer',
      'global.nodeDrainer.enabled',
      'global.faultRemediation',
      'global.faultRemediation.enabled',
      'global.mongodbStore',
      'global.mongodbStore.enabled',
      'podMonitor',
      'podMonitor.enabled',
      'node-drainer',
      'node-drainer.systemNamespaces',
      'node-drainer.userNamespaces',
    ],
    freeForm: ['podMonitor.labels'],
    notInDefaults: {
      'podMonitor.labels':
        'not in values.yaml; read by templates/podMonitor.yaml (`with .Values.podMonitor.labels`, added to the PodMonitor labels)',
    },
  },
  'cert-manager@v1.21.1': {
    source: 'cert-manager/cert-manager tag v1.21.1 (24e33194) deploy/charts/cert-manager/values.yaml',
    known: ['crds', 'crds.enabled', 'crds.keep'],
    freeForm: [],
  },
};
