import { K8sTypeRef, OBJECT_META } from './k8s-openapi';

/**
 * JSON Schemas of the custom resources the library emits, written by hand from the upstream
 * CustomResourceDefinition at the version the library pins (lib/k8s/versions.ts), for the fields
 * the library sets. Every object level has `additionalProperties: false`: a field that is not
 * here is an error, either a real defect (the field does not exist at the pinned version) or a
 * field the library newly emits, to be added here after reading the upstream CRD at the pin.
 *
 * Beyond plain JSON Schema:
 * - `k8s`: the value is a built-in Kubernetes type (checked by k8s-openapi.ts against the v1.33.0
 *   OpenAPI), as CRDs embed them (JobSet's Job template, every `metadata`).
 * - `cel`: the CRD's `x-kubernetes-validations` rules, each as its upstream CEL text and a
 *   TypeScript predicate that evaluates it for the objects we create (no `oldSelf` rules: those
 *   only apply to updates).
 *
 * No npm package carries these CRDs at our pins (checked with `npm view`, Dec 2026):
 * `@kubernetes-models/keda` is KEDA 2.19.0 (ESM-only 1.x/2.x) or 2.10.1 (CommonJS 0.x);
 * `@kubernetes-models/prometheus-operator` is v0.90.1 (ESM-only) or v0.65.1 (CommonJS);
 * nothing for JobSet, Kueue or Managed Prometheus.
 */

/** A CEL rule of a CRD and its evaluation for a created object. */
export interface CelRule {
  /** The rule as written upstream. */
  readonly rule: string;
  /** Evaluates the rule on `self`. */
  readonly check: (self: any) => boolean;
}

/** A schema node (JSON Schema plus the `k8s` and `cel` keywords). */
export type Schema = Record<string, unknown> & { k8s?: K8sTypeRef; cel?: CelRule[] };

/** A custom resource schema and where it was read. */
export interface CrdSchema {
  readonly apiVersion: string;
  readonly kind: string;
  /** Repository, tag, commit and path of the CRD the schema was written from. */
  readonly source: string;
  readonly schema: Schema;
}

// --- building blocks ----------------------------------------------------------------------
const str: Schema = { type: 'string' };
const bool: Schema = { type: 'boolean' };
const int32: Schema = { type: 'integer', minimum: -2147483648, maximum: 2147483647 };
const int64: Schema = { type: 'integer' };
const nonNegInt32: Schema = { ...int32, minimum: 0 };
const strings: Schema = { type: 'array', items: str };
const stringMap: Schema = { type: 'object', additionalProperties: str };
/** resource.Quantity as CRDs declare it (`x-kubernetes-int-or-string` with this pattern). */
const QUANTITY =
  '^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$';
const quantity: Schema = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: QUANTITY }] };
const intOrString: Schema = { anyOf: [{ type: 'integer' }, { type: 'string' }] };
/** prometheus-operator's monitoringv1.Duration. */
const PROM_DURATION =
  '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$';
const promDuration: Schema = { type: 'string', pattern: PROM_DURATION };
/** Kubernetes `format: duration` (Go time.ParseDuration). */
const goDuration: Schema = { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' };
const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const dnsSubdomain: Schema = { type: 'string', pattern: DNS_SUBDOMAIN, maxLength: 253 };
const metadata: Schema = { k8s: OBJECT_META };
const labelSelector: Schema = {
  k8s: { module: '@kubernetes-models/apimachinery/apis/meta/v1/LabelSelector', name: 'LabelSelector' },
};
const enumOf = (...values: string[]): Schema => ({ type: 'string', enum: values });

/** A closed object: only `properties`, `required` ones present. */
function obj(properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema {
  return {
    type: 'object',
    properties,
    additionalProperties: false,
    ...(required.length ? { required } : {}),
    ...extra,
  };
}
function list(items: Schema, extra: Schema = {}): Schema {
  return { type: 'array', items, ...extra };
}
/** The top level of a custom resource. */
function resource(apiVersion: string, kind: string, spec: Schema, required = ['spec']): Schema {
  return obj({ apiVersion: { const: apiVersion }, kind: { const: kind }, metadata, spec }, [
    'apiVersion',
    'kind',
    'metadata',
    ...required,
  ]);
}

/** A CRD's schema: an object of `apiVersion` and `kind` with `metadata` and `spec` ({@link resource}). */
function crd(apiVersion: string, kind: string, source: string, spec: Schema, required?: string[]): CrdSchema {
  return { apiVersion, kind, source, schema: resource(apiVersion, kind, spec, required) };
}

// --- KEDA v2.20.2 (chart keda 2.20.2) -----------------------------------------------------
const KEDA = 'kedacore/keda tag v2.20.2 (68a5b502) config/crd/bases';

const hpaScalingRules: Schema = obj({
  policies: list(obj({ periodSeconds: int32, type: str, value: int32 }, ['periodSeconds', 'type', 'value'])),
  selectPolicy: str,
  stabilizationWindowSeconds: int32,
  tolerance: quantity,
});

const FLOAT = '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$';
/**
 * The Prometheus scaler's trigger metadata: kedacore/keda tag v2.20.2 (68a5b502)
 * pkg/scalers/prometheus_scaler.go `prometheusMetadata` (`keda:"name=..., order=triggerMetadata"`
 * tags) and pkg/scalers/authentication/authentication_types.go (`authModes`, `method`,
 * `keyParamName`, `apiKey`). Values are strings KEDA parses into the field's Go type.
 */
const PROMETHEUS_TRIGGER: Schema = obj(
  {
    serverAddress: { type: 'string', pattern: '^https?://' },
    query: { type: 'string', minLength: 1 },
    queryParameters: str,
    threshold: { type: 'string', pattern: FLOAT },
    activationThreshold: { type: 'string', pattern: FLOAT },
    namespace: str,
    customHeaders: str,
    ignoreNullValues: enumOf('true', 'false'),
    unsafeSsl: enumOf('true', 'false'),
    awsRegion: str,
    timeout: str,
    identityOwner: str,
    authModes: str,
    authMode: str,
    apiKey: str,
    method: enumOf('header', 'query'),
    keyParamName: str,
  },
  ['serverAddress', 'query', 'threshold'],
);

const scaledObject = crd(
  'keda.sh/v1alpha1',
  'ScaledObject',
  `${KEDA}/keda.sh_scaledobjects.yaml`,
  obj(
    {
      advanced: obj({
        horizontalPodAutoscalerConfig: obj({
          behavior: obj({ scaleDown: hpaScalingRules, scaleUp: hpaScalingRules }),
          name: str,
        }),
        restoreToOriginalReplicaCount: bool,
        scalingModifiers: obj({
          activationTarget: str,
          formula: str,
          metricType: enumOf('AverageValue', 'Value'),
          target: str,
        }),
      }),
      cooldownPeriod: nonNegInt32,
      fallback: obj(
        {
          behavior: enumOf(
            'static',
            'currentReplicas',
            'currentReplicasIfHigher',
            'currentReplicasIfLower',
            'scalingModifiers',
          ),
          failureThreshold: nonNegInt32,
          replicas: nonNegInt32,
        },
        ['failureThreshold', 'replicas'],
      ),
      idleReplicaCount: nonNegInt32,
      initialCooldownPeriod: nonNegInt32,
      maxReplicaCount: { ...int32, minimum: 1 },
      minReplicaCount: nonNegInt32,
      pollingInterval: { ...int32, minimum: 1 },
      scaleTargetRef: obj(
        { apiVersion: str, envSourceContainerName: str, kind: str, name: { type: 'string', minLength: 1 } },
        ['name'],
      ),
      triggers: list(
        obj(
          {
            authenticationRef: obj(
              { kind: enumOf('TriggerAuthentication', 'ClusterTriggerAuthentication'), name: str },
              ['name'],
            ),
            metadata: stringMap,
            metricType: str,
            name: str,
            type: { type: 'string', minLength: 1 },
            useCachedMetrics: bool,
          },
          ['metadata', 'type'],
          {
            if: { properties: { type: { const: 'prometheus' } } },
            then: { properties: { metadata: PROMETHEUS_TRIGGER } },
          },
        ),
        { minItems: 1 },
      ),
    },
    ['scaleTargetRef', 'triggers'],
    {
      cel: [
        {
          rule: '!has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)',
          check: (s) => s.minReplicaCount === undefined || s.minReplicaCount <= (s.maxReplicaCount ?? 100),
        },
      ],
    },
  ),
);

const triggerAuthentication = crd(
  'keda.sh/v1alpha1',
  'TriggerAuthentication',
  `${KEDA}/keda.sh_triggerauthentications.yaml`,
  obj({
    podIdentity: obj(
      {
        externalID: str,
        identityAuthorityHost: str,
        identityId: str,
        identityOwner: enumOf('keda', 'workload'),
        identityTenantId: str,
        provider: enumOf('azure-workload', 'gcp', 'aws', 'aws-eks', 'none'),
        roleArn: str,
      },
      ['provider'],
    ),
    secretTargetRef: list(obj({ key: str, name: str, parameter: str }, ['key', 'name', 'parameter'])),
  }),
);

// --- prometheus-operator v0.93.1 (CRDs shipped by kube-prometheus-stack 88.5.3) ------------
const PROM_OP =
  'prometheus-community/helm-charts tag kube-prometheus-stack-88.5.3 (ea930bae) charts/kube-prometheus-stack/charts/crds/crds (prometheus-operator v0.93.1)';

const serviceMonitor = crd(
  'monitoring.coreos.com/v1',
  'ServiceMonitor',
  `${PROM_OP}/crd-servicemonitors.yaml`,
  obj(
    {
      endpoints: list(
        obj({
          bearerTokenFile: str,
          honorLabels: bool,
          interval: promDuration,
          params: { type: 'object', additionalProperties: strings },
          path: str,
          port: str,
          scheme: enumOf('http', 'https', 'HTTP', 'HTTPS'),
          scrapeTimeout: promDuration,
          targetPort: intOrString,
          tlsConfig: obj({
            caFile: str,
            certFile: str,
            insecureSkipVerify: bool,
            keyFile: str,
            maxVersion: enumOf('TLS10', 'TLS11', 'TLS12', 'TLS13'),
            minVersion: enumOf('TLS10', 'TLS11', 'TLS12', 'TLS13'),
            serverName: str,
          }),
        }),
      ),
      jobLabel: str,
      namespaceSelector: obj({ any: bool, matchNames: strings }),
      podTargetLabels: strings,
      selector: labelSelector,
      targetLabels: strings,
    },
    ['endpoints', 'selector'],
  ),
);

/** A PrometheusRule, as kube-prometheus-stack renders `additionalPrometheusRulesMap` entries. */
const prometheusRule = crd(
  'monitoring.coreos.com/v1',
  'PrometheusRule',
  `${PROM_OP}/crd-prometheusrules.yaml`,
  obj({
    groups: list(
      obj(
        {
          interval: promDuration,
          labels: stringMap,
          limit: int64,
          name: { type: 'string', minLength: 1 },
          query_offset: promDuration,
          rules: list(
            obj(
              {
                alert: str,
                annotations: stringMap,
                expr: intOrString,
                for: promDuration,
                keep_firing_for: { ...promDuration, minLength: 1 },
                labels: stringMap,
                record: str,
              },
              ['expr'],
            ),
          ),
        },
        ['name'],
      ),
    ),
  }),
);

/** A PodMonitor (the Envoy statistics of the inference gateway's pods). */
const podMonitor = crd(
  'monitoring.coreos.com/v1',
  'PodMonitor',
  `${PROM_OP}/crd-podmonitors.yaml`,
  obj(
    {
      namespaceSelector: obj({ any: bool, matchNames: strings }),
      podMetricsEndpoints: list(
        obj({
          honorLabels: bool,
          interval: promDuration,
          path: str,
          port: str,
          portNumber: { ...int32, minimum: 1, maximum: 65535 },
          scheme: enumOf('http', 'https', 'HTTP', 'HTTPS'),
        }),
      ),
      selector: labelSelector,
    },
    ['selector'],
  ),
);

// --- Google Cloud Managed Service for Prometheus ------------------------------------------
const GMP =
  'GoogleCloudPlatform/prometheus-engine tag v0.17.2 (7920a2a2) charts/operator/crds/monitoring.googleapis.com_podmonitorings.yaml';

const podMonitoring = crd(
  'monitoring.googleapis.com/v1',
  'PodMonitoring',
  GMP,
  obj(
    {
      endpoints: list(
        obj(
          {
            interval: goDuration,
            params: { type: 'object', additionalProperties: strings },
            path: str,
            port: {
              anyOf: [
                { type: 'integer', not: { const: 0 } },
                { type: 'string', minLength: 1, maxLength: 253 },
              ],
            },
            scheme: enumOf('http', 'https'),
            timeout: goDuration,
          },
          ['interval', 'port'],
          {
            cel: [
              {
                rule: '!has(self.timeout) || self.timeout <= self.interval',
                check: (e) => e.timeout === undefined || goSeconds(e.timeout) <= goSeconds(e.interval),
              },
            ],
          },
        ),
        { minItems: 1, maxItems: 10 },
      ),
      filterRunning: bool,
      selector: labelSelector,
    },
    ['endpoints', 'selector'],
  ),
);

function goSeconds(d: string): number {
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };
  let total = 0;
  for (const m of d.matchAll(/([0-9.]+)(ns|us|µs|ms|s|m|h)/g)) total += Number(m[1]) * unit[m[2]];
  return total;
}

// --- JobSet v0.12.0 -----------------------------------------------------------------------
const JOBSET =
  'kubernetes-sigs/jobset tag v0.12.0 (f22e565a) config/components/crd/bases/jobset.x-k8s.io_jobsets.yaml';

const jobSet = crd(
  'jobset.x-k8s.io/v1alpha2',
  'JobSet',
  JOBSET,
  obj(
    {
      coordinator: obj({ jobIndex: int64, podIndex: int64, replicatedJob: str }, ['replicatedJob']),
      failurePolicy: obj({
        maxRestarts: int32,
        restartStrategy: enumOf('Recreate', 'BlockingRecreate', 'InPlaceRestart'),
        rules: list(
          obj(
            {
              action: enumOf(
                'FailJobSet',
                'RestartJobSet',
                'RestartJobSetAndIgnoreMaxRestarts',
                'RestartJob',
                'RestartJobAndIgnoreMaxRestarts',
              ),
              name: str,
              onJobFailureMessagePatterns: strings,
              onJobFailureReasons: strings,
              targetReplicatedJobs: strings,
            },
            ['action', 'name'],
          ),
        ),
      }),
      network: obj({ enableDNSHostnames: bool, publishNotReadyAddresses: bool, subdomain: str }),
      replicatedJobs: list(
        obj(
          {
            groupName: str,
            name: str,
            replicas: int32,
            template: {
              k8s: { module: 'kubernetes-models/batch/v1/JobTemplateSpec', name: 'JobTemplateSpec' },
            },
          },
          ['name', 'template'],
        ),
      ),
      successPolicy: obj({ operator: enumOf('All', 'Any'), targetReplicatedJobs: strings }, ['operator']),
      suspend: bool,
      ttlSecondsAfterFinished: nonNegInt32,
    },
    [],
    {
      cel: [
        {
          rule: "!(has(self.startupPolicy) && self.startupPolicy.startupPolicyOrder == 'InOrder' && self.replicatedJobs.exists(x, has(x.dependsOn)))",
          check: (s) =>
            !(
              s.startupPolicy?.startupPolicyOrder === 'InOrder' &&
              (s.replicatedJobs ?? []).some((x: any) => x.dependsOn !== undefined)
            ),
        },
      ],
    },
  ),
  [],
);

// --- LeaderWorkerSet v0.10.0 ------------------------------------------------------------
const LWS =
  'kubernetes-sigs/lws tag v0.10.0 (2161f38f) config/crd/bases/leaderworkerset.x-k8s.io_leaderworkersets.yaml';
const podTemplateSpec: Schema = {
  k8s: { module: 'kubernetes-models/v1/PodTemplateSpec', name: 'PodTemplateSpec' },
};

/**
 * The whole `spec` of the CRD (it has no `x-kubernetes-validations`); the pod templates are
 * core PodTemplateSpecs. `rollingUpdateConfiguration`'s int-or-percent and the "maxSurge and
 * maxUnavailable not both 0" rule are the validating webhook's (`pkg/webhooks/leaderworkerset_webhook.go`),
 * checked here as a CEL-style rule for created objects.
 */
const leaderWorkerSet = crd(
  'leaderworkerset.x-k8s.io/v1',
  'LeaderWorkerSet',
  LWS,
  obj(
    {
      leaderWorkerTemplate: obj(
        {
          leaderTemplate: podTemplateSpec,
          persistentVolumeClaimRetentionPolicy: obj({ whenDeleted: str, whenScaled: str }),
          restartPolicy: enumOf('Default', 'RecreateGroupOnPodRestart', 'RecreateGroupAfterStart', 'None'),
          size: { ...int32, minimum: 1 },
          subGroupPolicy: obj({
            subGroupPolicyType: enumOf('LeaderWorker', 'LeaderExcluded'),
            subGroupSize: int32,
          }),
          volumeClaimTemplates: list({
            k8s: { module: 'kubernetes-models/v1/PersistentVolumeClaim', name: 'PersistentVolumeClaim' },
          }),
          workerTemplate: podTemplateSpec,
        },
        ['workerTemplate'],
      ),
      networkConfig: obj({ subdomainPolicy: enumOf('Shared', 'UniquePerReplica') }, ['subdomainPolicy']),
      replicas: { ...int32, minimum: 0, maximum: 1000000 },
      rolloutStrategy: obj(
        {
          rollingUpdateConfiguration: obj({
            maxSurge: {
              anyOf: [
                { type: 'integer', minimum: 0 },
                { type: 'string', pattern: '^[0-9]+%$' },
              ],
            },
            maxUnavailable: {
              anyOf: [
                { type: 'integer', minimum: 0 },
                { type: 'string', pattern: '^[0-9]+%$' },
              ],
            },
            partition: int32,
          }),
          type: enumOf('RollingUpdate'),
        },
        ['type'],
        {
          cel: [
            {
              rule: 'webhook: maxUnavailable and maxSurge are not both 0 (replicas > 0)',
              check: (r) =>
                !(
                  (r.rollingUpdateConfiguration?.maxUnavailable ?? 1) === 0 &&
                  (r.rollingUpdateConfiguration?.maxSurge ?? 0) === 0
                ),
            },
          ],
        },
      ),
      startupPolicy: enumOf('LeaderCreated', 'LeaderReady'),
    },
    ['leaderWorkerTemplate'],
  ),
);

// --- Kueue v0.19.2, API v1beta2 -----------------------------------------------------------
const KUEUE = 'kubernetes-sigs/kueue tag v0.19.2 (8eab6877) config/components/crd/bases';

const clusterQueue = crd(
  'kueue.x-k8s.io/v1beta2',
  'ClusterQueue',
  `${KUEUE}/kueue.x-k8s.io_clusterqueues.yaml`,
  obj(
    {
      cohortName: dnsSubdomain,
      namespaceSelector: labelSelector,
      preemption: obj(
        {
          reclaimWithinCohort: enumOf('Never', 'LowerPriority', 'Any'),
          withinClusterQueue: enumOf('Never', 'LowerPriority', 'LowerOrNewerEqualPriority'),
        },
        [],
      ),
      queueingStrategy: enumOf('StrictFIFO', 'BestEffortFIFO'),
      admissionChecksStrategy: obj(
        {
          admissionChecks: list(
            obj(
              {
                name: { type: 'string', minLength: 1, maxLength: 316 },
                onFlavors: list(dnsSubdomain, { maxItems: 64 }),
              },
              ['name'],
            ),
            { minItems: 1, maxItems: 64 },
          ),
        },
        ['admissionChecks'],
      ),
      resourceGroups: list(
        obj(
          {
            coveredResources: list(str, { minItems: 1, maxItems: 64 }),
            flavors: list(
              obj(
                {
                  name: dnsSubdomain,
                  resources: list(
                    obj(
                      {
                        borrowingLimit: quantity,
                        lendingLimit: quantity,
                        name: str,
                        nominalQuota: quantity,
                      },
                      ['name', 'nominalQuota'],
                    ),
                    { minItems: 1, maxItems: 64 },
                  ),
                },
                ['name', 'resources'],
              ),
              { minItems: 1, maxItems: 64 },
            ),
          },
          ['coveredResources', 'flavors'],
          {
            cel: [
              {
                rule: 'self.flavors.all(x, size(x.resources) == size(self.coveredResources))',
                check: (rg) =>
                  rg.flavors.every((x: any) => x.resources.length === rg.coveredResources.length),
              },
            ],
          },
        ),
        { maxItems: 16 },
      ),
    },
    [],
    {
      cel: [
        {
          rule: '!has(self.cohortName) && has(self.resourceGroups) ? self.resourceGroups.all(rg, rg.flavors.all(f, f.resources.all(r, !has(r.borrowingLimit)))) : true',
          check: (s) =>
            s.cohortName !== undefined ||
            !s.resourceGroups ||
            s.resourceGroups.every((rg: any) =>
              rg.flavors.every((f: any) => f.resources.every((r: any) => r.borrowingLimit === undefined)),
            ),
        },
      ],
    },
  ),
  [],
);

const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const resourceFlavor = crd(
  'kueue.x-k8s.io/v1beta2',
  'ResourceFlavor',
  `${KUEUE}/kueue.x-k8s.io_resourceflavors.yaml`,
  obj(
    {
      nodeLabels: stringMap,
      topologyName: { ...dnsSubdomain },
      nodeTaints: list(obj({ effect: str, key: str, value: str }, ['effect', 'key']), {
        maxItems: 8,
        cel: [
          {
            rule: "self.all(x, x.effect in ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])",
            check: (l) => l.every((x: any) => TAINT_EFFECTS.includes(x.effect)),
          },
        ],
      }),
      tolerations: list(obj({ effect: str, key: str, operator: str, tolerationSeconds: int64, value: str }), {
        maxItems: 8,
        cel: [
          {
            rule: "self.all(x, !has(x.key) ? x.operator == 'Exists' : true)",
            check: (l) => l.every((x: any) => x.key !== undefined || x.operator === 'Exists'),
          },
          {
            rule: "self.all(x, has(x.tolerationSeconds) ? x.effect == 'NoExecute' : true)",
            check: (l) => l.every((x: any) => x.tolerationSeconds === undefined || x.effect === 'NoExecute'),
          },
          {
            rule: "self.all(x, !has(x.operator) || x.operator in ['Equal', 'Exists'])",
            check: (l) =>
              l.every((x: any) => x.operator === undefined || ['Equal', 'Exists'].includes(x.operator)),
          },
          {
            rule: "self.all(x, has(x.operator) && x.operator == 'Exists' ? !has(x.value) : true)",
            check: (l) => l.every((x: any) => x.operator !== 'Exists' || x.value === undefined),
          },
          {
            rule: "self.all(x, !has(x.effect) || x.effect in ['NoSchedule', 'PreferNoSchedule', 'NoExecute'])",
            check: (l) => l.every((x: any) => x.effect === undefined || TAINT_EFFECTS.includes(x.effect)),
          },
        ],
      }),
    },
    [],
    {
      cel: [
        {
          rule: '!has(self.topologyName) || self.nodeLabels.size() >= 1',
          check: (spec: any) =>
            spec.topologyName === undefined || Object.keys(spec.nodeLabels ?? {}).length >= 1,
        },
      ],
    },
  ),
  [],
);

/** Kueue's Topology level node label (v1beta2 CRD pattern, a qualified name). */
const TOPOLOGY_NODE_LABEL =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$';
const topology = crd(
  'kueue.x-k8s.io/v1beta2',
  'Topology',
  `${KUEUE}/kueue.x-k8s.io_topologies.yaml`,
  obj(
    {
      levels: list(
        obj({ nodeLabel: { type: 'string', minLength: 1, maxLength: 316, pattern: TOPOLOGY_NODE_LABEL } }, [
          'nodeLabel',
        ]),
        {
          minItems: 1,
          maxItems: 16,
          cel: [
            {
              rule: 'size(self.filter(i, size(self.filter(j, j == i)) > 1)) == 0',
              check: (l: any[]) => new Set(l.map((x) => x.nodeLabel)).size === l.length,
            },
            {
              rule: "size(self.filter(i, i.nodeLabel == 'kubernetes.io/hostname')) == 0 || self[size(self) - 1].nodeLabel == 'kubernetes.io/hostname'",
              check: (l: any[]) =>
                !l.some((x) => x.nodeLabel === 'kubernetes.io/hostname') ||
                l[l.length - 1].nodeLabel === 'kubernetes.io/hostname',
            },
          ],
        },
      ),
    },
    ['levels'],
  ),
);

const localQueue = crd(
  'kueue.x-k8s.io/v1beta2',
  'LocalQueue',
  `${KUEUE}/kueue.x-k8s.io_localqueues.yaml`,
  obj({ clusterQueue: dnsSubdomain, stopPolicy: enumOf('None', 'Hold', 'HoldAndDrain') }),
  [],
);

const multiKueueCluster = crd(
  'kueue.x-k8s.io/v1beta2',
  'MultiKueueCluster',
  `${KUEUE}/kueue.x-k8s.io_multikueueclusters.yaml`,
  obj(
    {
      clusterSource: obj(
        {
          kubeConfig: obj(
            {
              location: { type: 'string', minLength: 1, maxLength: 256 },
              locationType: enumOf('Secret', 'Path'),
            },
            ['location'],
          ),
          clusterProfileRef: obj({ name: { type: 'string', minLength: 1, maxLength: 256 } }, ['name']),
        },
        [],
        {
          cel: [
            {
              rule: 'exactly one of kubeConfig and clusterProfileRef',
              check: (c: any) => (c.kubeConfig !== undefined) !== (c.clusterProfileRef !== undefined),
            },
          ],
        },
      ),
    },
    ['clusterSource'],
  ),
);

const multiKueueConfig = crd(
  'kueue.x-k8s.io/v1beta2',
  'MultiKueueConfig',
  `${KUEUE}/kueue.x-k8s.io_multikueueconfigs.yaml`,
  obj(
    {
      clusters: list(
        { type: 'string', maxLength: 256 },
        {
          minItems: 1,
          maxItems: 20,
          cel: [{ rule: 'unique items', check: (l: string[]) => new Set(l).size === l.length }],
        },
      ),
      quotaManagement: enumOf('Manual', 'Automated'),
    },
    ['clusters'],
  ),
);

const admissionCheck = crd(
  'kueue.x-k8s.io/v1beta2',
  'AdmissionCheck',
  `${KUEUE}/kueue.x-k8s.io_admissionchecks.yaml`,
  obj(
    {
      controllerName: { type: 'string', minLength: 1, maxLength: 253 },
      parameters: obj(
        {
          apiGroup: { type: 'string', minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN },
          kind: {
            type: 'string',
            minLength: 1,
            maxLength: 63,
            pattern: '^[A-Za-z]([-A-Za-z0-9]*[A-Za-z0-9])?$',
          },
          name: { type: 'string', minLength: 1, maxLength: 63, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$' },
        },
        ['apiGroup', 'kind', 'name'],
      ),
    },
    ['controllerName'],
  ),
);

/** Every custom resource schema, by `apiVersion/kind`. */
// --- Gateway API v1.5.1, standard channel (GATEWAY_CRD_BUNDLES.gatewayApi) ------------------
const GATEWAY_API = 'kubernetes-sigs/gateway-api tag v1.5.1 (e7677b70) config/crd/standard';
/** Gateway API's Group, Kind, Namespace and object-name types. */
const GROUP = '^$|^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const gwGroup: Schema = { type: 'string', maxLength: 253, pattern: GROUP };
const gwKind: Schema = {
  type: 'string',
  minLength: 1,
  maxLength: 63,
  pattern: '^[a-zA-Z]([-a-zA-Z0-9]*[a-zA-Z0-9])?$',
};
const gwNamespace: Schema = {
  type: 'string',
  minLength: 1,
  maxLength: 63,
  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
};
const gwObjectName: Schema = { type: 'string', minLength: 1, maxLength: 253 };
const gwSectionName: Schema = { ...dnsSubdomain, minLength: 1 };
const gwPort: Schema = { type: 'integer', minimum: 1, maximum: 65535 };
const gwHostname: Schema = {
  type: 'string',
  minLength: 1,
  maxLength: 253,
  pattern: '^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
};
/** Label and annotation keys (the `self.all(key, key.matches(...))` rules of `infrastructure`). */
const QUALIFIED_KEY =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$/;
const qualifiedKeys: CelRule[] = [
  {
    rule: 'self.all(key, key.matches(r"""^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$"""))',
    check: (m) => Object.keys(m).every((k) => QUALIFIED_KEY.test(k)),
  },
  {
    rule: 'self.all(key, key.split("/")[0].size() < 253)',
    check: (m) => Object.keys(m).every((k) => k.split('/')[0].length < 253),
  },
];
const GW_DURATION = '^([0-9]{1,5}(h|m|s|ms)){1,4}$';
/** Gateway API Duration (GEP-2257) in seconds, for the CEL `duration()` comparisons. */
function gwSeconds(d: string): number {
  const unit: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001 };
  return [...d.matchAll(/([0-9]+)(h|ms|m|s)/g)].reduce((t, [, n, u]) => t + Number(n) * unit[u], 0);
}

const gateway = crd(
  'gateway.networking.k8s.io/v1',
  'Gateway',
  `${GATEWAY_API}/gateway.networking.k8s.io_gateways.yaml`,
  obj(
    {
      gatewayClassName: { type: 'string', minLength: 1, maxLength: 253 },
      infrastructure: obj({
        annotations: {
          type: 'object',
          additionalProperties: { type: 'string', maxLength: 4096 },
          maxProperties: 8,
          cel: qualifiedKeys,
        },
        labels: {
          type: 'object',
          additionalProperties: {
            type: 'string',
            maxLength: 63,
            pattern: '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$',
          },
          maxProperties: 8,
          cel: qualifiedKeys,
        },
      }),
      listeners: list(
        obj(
          {
            allowedRoutes: obj({
              kinds: list(obj({ group: gwGroup, kind: gwKind }, ['kind']), { maxItems: 8 }),
              namespaces: obj({
                from: enumOf('All', 'Selector', 'Same'),
                selector: obj({
                  matchExpressions: list(
                    obj({ key: str, operator: str, values: strings }, ['key', 'operator']),
                  ),
                  matchLabels: stringMap,
                }),
              }),
            }),
            hostname: gwHostname,
            name: gwSectionName,
            port: gwPort,
            protocol: {
              type: 'string',
              minLength: 1,
              maxLength: 255,
              pattern:
                '^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$|[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/[A-Za-z0-9]+$',
            },
            tls: obj(
              {
                certificateRefs: list(
                  obj({ group: gwGroup, kind: gwKind, name: gwObjectName, namespace: gwNamespace }, ['name']),
                  { maxItems: 64 },
                ),
                mode: enumOf('Terminate', 'Passthrough'),
                options: {
                  type: 'object',
                  additionalProperties: { type: 'string', maxLength: 4096 },
                  maxProperties: 16,
                },
              },
              [],
              {
                cel: [
                  {
                    // `mode` defaults to Terminate before the rule runs.
                    rule: "self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true",
                    check: (t) =>
                      (t.mode ?? 'Terminate') !== 'Terminate' ||
                      (t.certificateRefs ?? []).length > 0 ||
                      Object.keys(t.options ?? {}).length > 0,
                  },
                ],
              },
            ),
          },
          ['name', 'port', 'protocol'],
        ),
        {
          minItems: 1,
          maxItems: 64,
          cel: [
            {
              rule: "self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)",
              check: (ls) =>
                ls.every((l: any) => !['HTTP', 'TCP', 'UDP'].includes(l.protocol) || l.tls === undefined),
            },
            {
              rule: "self.all(l, (l.protocol == 'HTTPS' && has(l.tls)) ? (l.tls.mode == '' || l.tls.mode == 'Terminate') : true)",
              check: (ls) =>
                ls.every(
                  (l: any) =>
                    !(l.protocol === 'HTTPS' && l.tls) || [undefined, '', 'Terminate'].includes(l.tls.mode),
                ),
            },
            {
              rule: 'self.all(l1, self.exists_one(l2, l1.name == l2.name))',
              check: (ls) => ls.every((l1: any) => ls.filter((l2: any) => l1.name === l2.name).length === 1),
            },
            {
              rule: 'self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol && (has(l1.hostname) && has(l2.hostname) ? l1.hostname == l2.hostname : !has(l1.hostname) && !has(l2.hostname))))',
              check: (ls) =>
                ls.every(
                  (l1: any) =>
                    ls.filter(
                      (l2: any) =>
                        l1.port === l2.port && l1.protocol === l2.protocol && l1.hostname === l2.hostname,
                    ).length === 1,
                ),
            },
          ],
        },
      ),
    },
    ['gatewayClassName', 'listeners'],
  ),
);

/** Characters the CEL rule of HTTPPathMatch allows in Exact and PathPrefix values. */
const PATH_CHARS = /^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|[%][0-9a-fA-F]{2})+$/;
const httpRoute = crd(
  'gateway.networking.k8s.io/v1',
  'HTTPRoute',
  `${GATEWAY_API}/gateway.networking.k8s.io_httproutes.yaml`,
  obj({
    hostnames: list(gwHostname, { maxItems: 16 }),
    parentRefs: list(
      obj(
        {
          group: gwGroup,
          kind: gwKind,
          name: gwObjectName,
          namespace: gwNamespace,
          port: gwPort,
          sectionName: gwSectionName,
        },
        ['name'],
      ),
      { maxItems: 32 },
    ),
    rules: list(
      obj({
        backendRefs: list(
          obj(
            {
              group: gwGroup,
              kind: gwKind,
              name: gwObjectName,
              namespace: gwNamespace,
              port: gwPort,
              weight: { type: 'integer', minimum: 0, maximum: 1000000 },
            },
            ['name'],
            {
              cel: [
                {
                  // `group` defaults to "" and `kind` to Service before the rule runs.
                  rule: "(size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true",
                  check: (b) => !(!b.group && (b.kind ?? 'Service') === 'Service') || b.port !== undefined,
                },
              ],
            },
          ),
          { maxItems: 16 },
        ),
        matches: list(
          obj({
            path: obj(
              {
                type: enumOf('Exact', 'PathPrefix', 'RegularExpression'),
                value: { type: 'string', maxLength: 1024 },
              },
              [],
              {
                cel: [
                  {
                    rule: "(self.type in ['Exact','PathPrefix']) ? self.value.startsWith('/') : true",
                    check: (p) => p.type === 'RegularExpression' || (p.value ?? '/').startsWith('/'),
                  },
                  {
                    rule: "(self.type in ['Exact','PathPrefix']) ? !self.value.contains('//') : true (and the same rules for '/./', '/../', '%2f', '%2F', '#', and for '/..' and '/.' at the end)",
                    check: (p) =>
                      p.type === 'RegularExpression' ||
                      !(
                        ['//', '/./', '/../', '%2f', '%2F', '#'].some((x) => (p.value ?? '/').includes(x)) ||
                        /\/\.\.?$/.test(p.value ?? '/')
                      ),
                  },
                  {
                    rule: '(self.type in [\'Exact\',\'PathPrefix\']) ? self.value.matches(r"""^(?:[-A-Za-z0-9/._~!$&\'()*+,;=:@]|[%][0-9a-fA-F]{2})+$""") : true',
                    check: (p) => p.type === 'RegularExpression' || PATH_CHARS.test(p.value ?? '/'),
                  },
                ],
              },
            ),
          }),
          { maxItems: 64 },
        ),
        timeouts: obj(
          {
            backendRequest: { type: 'string', pattern: GW_DURATION },
            request: { type: 'string', pattern: GW_DURATION },
          },
          [],
          {
            cel: [
              {
                rule: "!(has(self.request) && has(self.backendRequest) && duration(self.request) != duration('0s') && duration(self.backendRequest) > duration(self.request))",
                check: (t) =>
                  !(
                    t.request !== undefined &&
                    t.backendRequest !== undefined &&
                    gwSeconds(t.request) !== 0 &&
                    gwSeconds(t.backendRequest) > gwSeconds(t.request)
                  ),
              },
            ],
          },
        ),
      }),
      { minItems: 1, maxItems: 16 },
    ),
  }),
);

// --- Karpenter v1.14.1 (KARPENTER_CHART) ---------------------------------------------------
const KARPENTER = 'aws/karpenter-provider-aws tag v1.14.1 (bde00654) pkg/apis/crds';
/**
 * A Terraform expression (`${...}`) in place of an id the cloud assigns at apply (a subnet or
 * security group made in the same apply): its value is only known then, so the pattern is
 * checked on literal ids only.
 */
const tfExpression: Schema = { type: 'string', pattern: '^\\$\\{[\\s\\S]*\\}$' };
const idOrExpression = (pattern: string): Schema => ({
  anyOf: [{ type: 'string', pattern }, tfExpression],
});
const K8S_LABEL_VALUE = '^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$';
const K8S_QUALIFIED_KEY =
  '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*(\\/))?([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$';
/** The label keys of the karpenter.k8s.aws domain a NodePool may use (NodePool CRD v1.14.1). */
const KARPENTER_AWS_LABELS = [
  'karpenter.k8s.aws/instance-tenancy',
  'karpenter.k8s.aws/capacity-reservation-type',
  'karpenter.k8s.aws/capacity-reservation-id',
  'karpenter.k8s.aws/capacity-reservation-interruptible',
  'karpenter.k8s.aws/ec2nodeclass',
  'karpenter.k8s.aws/instance-encryption-in-transit-supported',
  'karpenter.k8s.aws/instance-category',
  'karpenter.k8s.aws/instance-hypervisor',
  'karpenter.k8s.aws/instance-family',
  'karpenter.k8s.aws/instance-generation',
  'karpenter.k8s.aws/instance-local-nvme',
  'karpenter.k8s.aws/instance-size',
  'karpenter.k8s.aws/instance-cpu',
  'karpenter.k8s.aws/instance-cpu-manufacturer',
  'karpenter.k8s.aws/instance-cpu-sustained-clock-speed-mhz',
  'karpenter.k8s.aws/instance-memory',
  'karpenter.k8s.aws/instance-ebs-bandwidth',
  'karpenter.k8s.aws/instance-network-bandwidth',
  'karpenter.k8s.aws/instance-gpu-name',
  'karpenter.k8s.aws/instance-gpu-manufacturer',
  'karpenter.k8s.aws/instance-gpu-count',
  'karpenter.k8s.aws/instance-gpu-memory',
  'karpenter.k8s.aws/instance-accelerator-name',
  'karpenter.k8s.aws/instance-accelerator-manufacturer',
  'karpenter.k8s.aws/instance-accelerator-count',
  'karpenter.k8s.aws/instance-capability-flex',
  'karpenter.k8s.aws/placement-group-id',
  'karpenter.k8s.aws/placement-group-partition',
];
const keyDomain = (k: string): string => /^([^/]+)/.exec(k)![1];
/** The restricted-key rules, on one key (requirements) or every key of a map (labels). */
function restrictedKeyRules(all: boolean): CelRule[] {
  const each = (f: (k: string) => boolean) => (self: any) =>
    all ? Object.keys(self).every(f) : f(self as string);
  const x = all ? 'self.all(x, x' : 'self';
  const close = all ? ')' : '';
  return [
    {
      rule: `${all ? 'self.all(x, x' : 'self'} in ["karpenter.sh/capacity-type", "karpenter.sh/nodepool"] || !${all ? 'x' : 'self'}.find("^([^/]+)").endsWith("karpenter.sh")${close}`,
      check: each(
        (k) =>
          ['karpenter.sh/capacity-type', 'karpenter.sh/nodepool'].includes(k) ||
          !keyDomain(k).endsWith('karpenter.sh'),
      ),
    },
    { rule: `${x} != "karpenter.sh/nodepool"${close}`, check: each((k) => k !== 'karpenter.sh/nodepool') },
    { rule: `${x} != "kubernetes.io/hostname"${close}`, check: each((k) => k !== 'kubernetes.io/hostname') },
    {
      rule: `${all ? 'self.all(x, x' : 'self'} in [${KARPENTER_AWS_LABELS.map((l) => `"${l}"`).join(', ')}] || !${all ? 'x' : 'self'}.find("^([^/]+)").endsWith("karpenter.k8s.aws")${close}`,
      check: each((k) => KARPENTER_AWS_LABELS.includes(k) || !keyDomain(k).endsWith('karpenter.k8s.aws')),
    },
  ];
}
const karpenterTaint: Schema = obj(
  {
    key: { type: 'string', minLength: 1, pattern: K8S_QUALIFIED_KEY },
    value: { type: 'string', pattern: K8S_QUALIFIED_KEY },
    effect: enumOf(...TAINT_EFFECTS),
    timeAdded: { type: 'string' },
  },
  ['key', 'effect'],
);
const nonEmpty = (rule = "self != ''"): Schema => ({
  type: 'string',
  cel: [{ rule, check: (v: string) => v !== '' }],
});
const nodePool = crd(
  'karpenter.sh/v1',
  'NodePool',
  `${KARPENTER}/karpenter.sh_nodepools.yaml`,
  obj(
    {
      template: obj(
        {
          metadata: obj({
            annotations: stringMap,
            labels: {
              type: 'object',
              additionalProperties: { type: 'string', maxLength: 63, pattern: K8S_LABEL_VALUE },
              maxProperties: 100,
              cel: restrictedKeyRules(true),
            },
          }),
          spec: obj(
            {
              nodeClassRef: obj({ group: nonEmpty(), kind: nonEmpty(), name: nonEmpty() }, [
                'group',
                'kind',
                'name',
              ]),
              requirements: list(
                obj(
                  {
                    key: {
                      type: 'string',
                      maxLength: 316,
                      pattern: K8S_QUALIFIED_KEY,
                      cel: restrictedKeyRules(false),
                    },
                    operator: enumOf('Gte', 'Lte', 'In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'),
                    values: list({ type: 'string', maxLength: 63, pattern: K8S_LABEL_VALUE }),
                    minValues: { type: 'integer', minimum: 1, maximum: 50 },
                  },
                  ['key', 'operator'],
                ),
                {
                  maxItems: 100,
                  cel: [
                    {
                      rule: "self.all(x, x.operator == 'In' ? x.values.size() != 0 : true)",
                      check: (l: any[]) =>
                        l.every((x) => x.operator !== 'In' || (x.values ?? []).length !== 0),
                    },
                    {
                      rule: "self.all(x, (x.operator == 'Gt' || x.operator == 'Lt' || x.operator == 'Gte' || x.operator == 'Lte') ? (x.values.size() == 1 && int(x.values[0]) >= 0) : true)",
                      check: (l: any[]) =>
                        l.every(
                          (x) =>
                            !['Gt', 'Lt', 'Gte', 'Lte'].includes(x.operator) ||
                            ((x.values ?? []).length === 1 && /^[0-9]+$/.test(x.values[0])),
                        ),
                    },
                    {
                      rule: "self.all(x, (x.operator == 'In' && has(x.minValues)) ? x.values.size() >= x.minValues : true)",
                      check: (l: any[]) =>
                        l.every(
                          (x) =>
                            x.operator !== 'In' ||
                            x.minValues === undefined ||
                            x.values.length >= x.minValues,
                        ),
                    },
                  ],
                },
              ),
              taints: list(karpenterTaint),
              startupTaints: list(karpenterTaint),
              expireAfter: { type: 'string', pattern: '^(([0-9]+(s|m|h))+|Never)$' },
              terminationGracePeriod: { type: 'string', pattern: '^([0-9]+(s|m|h))+$' },
            },
            ['nodeClassRef', 'requirements'],
          ),
        },
        ['spec'],
      ),
      disruption: obj(
        {
          budgets: list(
            obj(
              {
                nodes: { type: 'string', pattern: '^((100|[0-9]{1,2})%|[0-9]+)$' },
                reasons: list(enumOf('Underutilized', 'Empty', 'Drifted'), { maxItems: 50 }),
                schedule: { type: 'string' },
                duration: { type: 'string', pattern: '^((([0-9]+(h|m))|([0-9]+h[0-9]+m))(0s)?)$' },
              },
              ['nodes'],
            ),
            {
              maxItems: 50,
              cel: [
                {
                  rule: 'self.all(x, has(x.schedule) == has(x.duration))',
                  check: (l: any[]) =>
                    l.every((x) => (x.schedule === undefined) === (x.duration === undefined)),
                },
              ],
            },
          ),
          consolidateAfter: { type: 'string', pattern: '^(([0-9]+(s|m|h))+|Never)$' },
          consolidationPolicy: enumOf('WhenEmpty', 'WhenEmptyOrUnderutilized', 'Balanced'),
        },
        ['consolidateAfter'],
      ),
      limits: { type: 'object', additionalProperties: quantity },
      weight: { type: 'integer', minimum: 1, maximum: 100 },
      replicas: { type: 'integer', minimum: 0 },
    },
    ['template'],
    {
      cel: [
        {
          rule: "!has(self.replicas) || (!has(self.limits) || size(self.limits) == 0 || (size(self.limits) == 1 && 'nodes' in self.limits))",
          check: (s: any) =>
            s.replicas === undefined ||
            s.limits === undefined ||
            Object.keys(s.limits).length === 0 ||
            (Object.keys(s.limits).length === 1 && 'nodes' in s.limits),
        },
        {
          rule: '!has(self.replicas) || !has(self.weight)',
          check: (s: any) => s.replicas === undefined || s.weight === undefined,
        },
      ],
    },
  ),
);
const selectorRules = (fields: string[], idExclusive: string[]): CelRule[] => [
  {
    rule: `self.all(x, ${fields.map((f) => `has(x.${f})`).join(' || ')})`,
    check: (l: any[]) => l.every((x) => fields.some((f) => x[f] !== undefined)),
  },
  {
    rule: `!self.all(x, has(x.id) && (${idExclusive.map((f) => `has(x.${f})`).join(' || ')}))`,
    check: (l: any[]) => !l.every((x) => x.id !== undefined && idExclusive.some((f) => x[f] !== undefined)),
  },
];
const tagMap: Schema = {
  type: 'object',
  additionalProperties: str,
  maxProperties: 20,
  cel: [
    {
      rule: "self.all(k, k != '' && self[k] != '')",
      check: (m: Record<string, string>) => Object.entries(m).every(([k, v]) => k !== '' && v !== ''),
    },
  ],
};
const ec2NodeClass = crd(
  'karpenter.k8s.aws/v1',
  'EC2NodeClass',
  `${KARPENTER}/karpenter.k8s.aws_ec2nodeclasses.yaml`,
  obj(
    {
      role: nonEmpty(),
      instanceProfile: str,
      amiFamily: enumOf(
        'AL2',
        'AL2023',
        'Bottlerocket',
        'Custom',
        'Windows2019',
        'Windows2022',
        'Windows2025',
      ),
      amiSelectorTerms: list(
        obj({
          alias: {
            type: 'string',
            maxLength: 30,
            cel: [
              {
                rule: "self.matches('^[a-zA-Z0-9]+@.+$')",
                check: (v: string) => /^[a-zA-Z0-9]+@.+$/.test(v),
              },
              {
                rule: "self.split('@')[0] in ['al2','al2023','bottlerocket','windows2019','windows2022','windows2025']",
                check: (v: string) =>
                  ['al2', 'al2023', 'bottlerocket', 'windows2019', 'windows2022', 'windows2025'].includes(
                    v.split('@')[0],
                  ),
              },
            ],
          },
          id: { type: 'string', pattern: 'ami-[0-9a-z]+' },
        }),
        {
          minItems: 1,
          maxItems: 30,
          cel: [
            {
              rule: '!self.exists(x, has(x.alias) && (has(x.id) || has(x.tags) || has(x.name) || has(x.owner)))',
              check: (l: any[]) => !l.some((x) => x.alias !== undefined && Object.keys(x).length > 1),
            },
            {
              rule: '!(self.exists(x, has(x.alias)) && self.size() != 1)',
              check: (l: any[]) => !(l.some((x) => x.alias !== undefined) && l.length !== 1),
            },
          ],
        },
      ),
      subnetSelectorTerms: list(obj({ id: idOrExpression('subnet-[0-9a-z]+'), tags: tagMap }), {
        minItems: 1,
        maxItems: 30,
        cel: selectorRules(['tags', 'id'], ['tags']),
      }),
      securityGroupSelectorTerms: list(obj({ id: idOrExpression('sg-[0-9a-z]+'), name: str, tags: tagMap }), {
        minItems: 1,
        maxItems: 30,
        cel: selectorRules(['tags', 'id', 'name'], ['tags', 'name']),
      }),
      capacityReservationSelectorTerms: list(
        obj({
          id: { type: 'string', pattern: '^cr-[0-9a-z]+$' },
          instanceMatchCriteria: enumOf('open', 'targeted'),
          ownerID: { type: 'string', pattern: '^[0-9]{12}$' },
          tags: tagMap,
        }),
        {
          maxItems: 30,
          cel: selectorRules(
            ['tags', 'id', 'instanceMatchCriteria'],
            ['tags', 'ownerID', 'instanceMatchCriteria'],
          ),
        },
      ),
      networkInterfaces: list(
        obj(
          {
            networkCardIndex: nonNegInt32,
            deviceIndex: nonNegInt32,
            interfaceType: enumOf('interface', 'efa-only'),
          },
          ['deviceIndex', 'interfaceType', 'networkCardIndex'],
        ),
        {
          maxItems: 150,
          cel: [
            {
              rule: "self.size() == 0 || self.exists(x, x.deviceIndex == 0 && x.networkCardIndex == 0 && x.interfaceType == 'interface')",
              check: (l: any[]) =>
                l.length === 0 ||
                l.some(
                  (x) => x.deviceIndex === 0 && x.networkCardIndex === 0 && x.interfaceType === 'interface',
                ),
            },
            {
              rule: "self.all(x, self.filter(y, x.networkCardIndex == y.networkCardIndex && x.deviceIndex == y.deviceIndex).size() == 1 && (x.interfaceType != 'efa-only' || self.filter(y, x.networkCardIndex == y.networkCardIndex && y.interfaceType == 'efa-only').size() == 1))",
              check: (l: any[]) =>
                l.every(
                  (x) =>
                    l.filter(
                      (y) => x.networkCardIndex === y.networkCardIndex && x.deviceIndex === y.deviceIndex,
                    ).length === 1 &&
                    (x.interfaceType !== 'efa-only' ||
                      l.filter(
                        (y) => x.networkCardIndex === y.networkCardIndex && y.interfaceType === 'efa-only',
                      ).length === 1),
                ),
            },
          ],
        },
      ),
      metadataOptions: obj({
        httpEndpoint: enumOf('enabled', 'disabled'),
        httpProtocolIPv6: enumOf('enabled', 'disabled'),
        httpPutResponseHopLimit: { type: 'integer', minimum: 1, maximum: 64 },
        httpTokens: enumOf('required', 'optional'),
      }),
      blockDeviceMappings: list(
        obj({
          deviceName: str,
          rootVolume: bool,
          ebs: obj(
            {
              deleteOnTermination: bool,
              encrypted: bool,
              iops: int64,
              kmsKeyID: str,
              snapshotID: str,
              throughput: int64,
              volumeSize: {
                type: 'string',
                pattern:
                  '^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$',
              },
              volumeType: enumOf('standard', 'io1', 'io2', 'gp2', 'sc1', 'st1', 'gp3'),
            },
            [],
            {
              cel: [
                {
                  rule: 'has(self.snapshotID) || has(self.volumeSize)',
                  check: (e: any) => e.snapshotID !== undefined || e.volumeSize !== undefined,
                },
              ],
            },
          ),
        }),
        {
          maxItems: 50,
          cel: [
            {
              rule: 'self.filter(x, has(x.rootVolume)?x.rootVolume==true:false).size() <= 1',
              check: (l: any[]) => l.filter((x) => x.rootVolume === true).length <= 1,
            },
          ],
        },
      ),
      instanceStorePolicy: enumOf('RAID0'),
      placementGroupSelector: obj({ id: { type: 'string', pattern: '^pg-[0-9a-z]+$' }, name: str }),
      userData: str,
      tags: {
        type: 'object',
        additionalProperties: str,
        cel: [
          { rule: "self.all(k, k != '')", check: (m: any) => Object.keys(m).every((k) => k !== '') },
          {
            rule: "self.all(k, k !='eks:eks-cluster-name')",
            check: (m: any) => Object.keys(m).every((k) => k !== 'eks:eks-cluster-name'),
          },
          {
            rule: "self.all(k, !k.startsWith('kubernetes.io/cluster') )",
            check: (m: any) => Object.keys(m).every((k) => !k.startsWith('kubernetes.io/cluster')),
          },
          {
            rule: "self.all(k, k != 'karpenter.sh/nodepool')",
            check: (m: any) => Object.keys(m).every((k) => k !== 'karpenter.sh/nodepool'),
          },
          {
            rule: "self.all(k, k !='karpenter.sh/nodeclaim')",
            check: (m: any) => Object.keys(m).every((k) => k !== 'karpenter.sh/nodeclaim'),
          },
          {
            rule: "self.all(k, k !='karpenter.k8s.aws/ec2nodeclass')",
            check: (m: any) => Object.keys(m).every((k) => k !== 'karpenter.k8s.aws/ec2nodeclass'),
          },
        ],
      },
    },
    ['amiSelectorTerms', 'securityGroupSelectorTerms', 'subnetSelectorTerms'],
    {
      cel: [
        {
          rule: '(has(self.role) && !has(self.instanceProfile)) || (!has(self.role) && has(self.instanceProfile))',
          check: (s: any) => (s.role !== undefined) !== (s.instanceProfile !== undefined),
        },
        {
          rule: 'self.amiSelectorTerms.exists(x, has(x.alias)) ? true : has(self.amiFamily)',
          check: (s: any) =>
            s.amiSelectorTerms.some((x: any) => x.alias !== undefined) || s.amiFamily !== undefined,
        },
      ],
    },
  ),
);

// --- Kubeflow MPI Operator v0.8.0 ---------------------------------------------------------
const MPI_OPERATOR =
  'kubeflow/mpi-operator tag v0.8.0 (101db144) manifests/base/kubeflow.org_mpijobs.yaml, with the ' +
  "controller's checks of pkg/apis/kubeflow/validation/validation.go and the enum of pkg/apis/kubeflow/v2beta1/types.go";

/** A replica spec as the operator accepts it (validateReplicaSpec: replicas and restartPolicy set). */
const mpiReplicaSpec = (replicas: Schema): Schema =>
  obj(
    {
      replicas,
      restartPolicy: enumOf('Never', 'OnFailure'),
      template: { k8s: { module: 'kubernetes-models/v1/PodTemplateSpec', name: 'PodTemplateSpec' } },
    },
    ['replicas', 'restartPolicy', 'template'],
  );

const mpiJob = crd(
  'kubeflow.org/v2beta1',
  'MPIJob',
  MPI_OPERATOR,
  obj(
    {
      // types.go declares AtStartup | WaitForWorkersReady (its kubebuilder enum marker is malformed,
      // so the CRD itself does not enforce it: the controller treats any other value as AtStartup).
      launcherCreationPolicy: enumOf('AtStartup', 'WaitForWorkersReady'),
      mpiImplementation: enumOf('OpenMPI', 'Intel', 'MPICH'),
      mpiReplicaSpecs: obj(
        {
          Launcher: mpiReplicaSpec({ const: 1 }),
          Worker: mpiReplicaSpec({ ...int32, minimum: 1 }),
        },
        ['Launcher'],
      ),
      runLauncherAsWorker: bool,
      runPolicy: obj(
        {
          activeDeadlineSeconds: { ...int64, minimum: 0 },
          backoffLimit: nonNegInt32,
          cleanPodPolicy: enumOf('None', 'Running', 'All'),
          managedBy: enumOf('kubeflow.org/mpi-operator', 'kueue.x-k8s.io/multikueue'),
          suspend: bool,
          ttlSecondsAfterFinished: nonNegInt32,
        },
        ['cleanPodPolicy'],
      ),
      slotsPerWorker: nonNegInt32,
      sshAuthMountPath: { type: 'string', minLength: 1 },
    },
    ['mpiReplicaSpecs', 'slotsPerWorker', 'runPolicy', 'sshAuthMountPath'],
  ),
);

// --- EKS Auto Mode NodeClass (eks.amazonaws.com/v1) ----------------------------------------
// AWS publishes no CRD for it: written from the Amazon EKS User Guide, whose source is
// awsdocs/amazon-eks-user-guide (branch mainline): latest/ug/ml/device-management-efa.adoc at
// 43d79bdb ("EKS Auto Mode": advancedNetworking.networkInterfaces, placementGroupSelector),
// latest/ug/automode/create-node-class.adoc at 0026c9df ("Node Class Specification": role,
// selector terms, snatPolicy, networkPolicy, ephemeralStorage ranges, advancedNetworking proxy
// fields, certificateBundles, restricted tags), latest/ug/automode/auto-odcr.adoc at 4f3d5005
// (capacityReservationSelectorTerms id / tags / owner), and the release notes
// (docs.aws.amazon.com/eks/latest/userguide/auto-change.html, to 2026-08-12: instanceProfile
// exclusive with role, associatePublicIPAddress, podSubnetSelectorTerms /
// podSecurityGroupSelectorTerms, advancedSecurity.fips, ipv4PrefixSize). The `cel` entries state
// the documented constraints (there is no upstream CEL text to quote).
const EKS_AUTO_MODE =
  'awsdocs/amazon-eks-user-guide branch mainline (43d79bdb) latest/ug/ml/device-management-efa.adoc, ' +
  'latest/ug/automode/create-node-class.adoc (0026c9df), latest/ug/automode/auto-odcr.adoc (4f3d5005)';
const AUTO_MODE_RESTRICTED_TAGS = [
  'karpenter.sh/provisioner-name',
  'karpenter.sh/nodepool',
  'karpenter.sh/nodeclaim',
  'karpenter.sh/managed-by',
  'eks.amazonaws.com/nodeclass',
];
const autoModeInterface: Schema = obj(
  {
    networkCardIndex: nonNegInt32,
    deviceIndex: nonNegInt32,
    interfaceType: enumOf('interface', 'efa-only'),
    secondaryIPv4Count: { type: 'integer', minimum: 1 },
    secondaryIPv4PrefixCount: { type: 'integer', minimum: 1 },
  },
  ['networkCardIndex', 'deviceIndex', 'interfaceType'],
  {
    cel: [
      {
        rule: 'only one of secondaryIPv4Count and secondaryIPv4PrefixCount per interface',
        check: (x: any) => x.secondaryIPv4Count === undefined || x.secondaryIPv4PrefixCount === undefined,
      },
      {
        rule: 'secondary IPv4 addresses and prefixes only on networkCardIndex 0 and never on efa-only interfaces',
        check: (x: any) =>
          (x.secondaryIPv4Count === undefined && x.secondaryIPv4PrefixCount === undefined) ||
          (x.networkCardIndex === 0 && x.interfaceType !== 'efa-only'),
      },
    ],
  },
);
const autoModeNodeClass = crd(
  'eks.amazonaws.com/v1',
  'NodeClass',
  EKS_AUTO_MODE,
  obj(
    {
      role: nonEmpty(),
      instanceProfile: str,
      subnetSelectorTerms: list(obj({ id: idOrExpression('subnet-[0-9a-z]+'), tags: tagMap }), {
        minItems: 1,
        cel: selectorRules(['tags', 'id'], ['tags']),
      }),
      securityGroupSelectorTerms: list(obj({ id: idOrExpression('sg-[0-9a-z]+'), name: str, tags: tagMap }), {
        minItems: 1,
        cel: selectorRules(['tags', 'id', 'name'], ['tags', 'name']),
      }),
      podSubnetSelectorTerms: list(obj({ id: idOrExpression('subnet-[0-9a-z]+'), tags: tagMap })),
      podSecurityGroupSelectorTerms: list(
        obj({ id: idOrExpression('sg-[0-9a-z]+'), name: str, tags: tagMap }),
      ),
      capacityReservationSelectorTerms: list(
        obj({
          id: { type: 'string', pattern: '^cr-[0-9a-z]+$' },
          tags: tagMap,
          owner: { type: 'string', pattern: '^[0-9]{12}$' },
        }),
        { cel: selectorRules(['tags', 'id'], ['tags', 'owner']) },
      ),
      placementGroupSelector: obj(
        { id: { type: 'string', pattern: '^pg-[0-9a-z]+$' }, name: { type: 'string', minLength: 1 } },
        [],
        {
          cel: [
            {
              rule: 'exactly one of name and id',
              check: (x: any) => (x.name === undefined) !== (x.id === undefined),
            },
          ],
        },
      ),
      snatPolicy: enumOf('Random', 'Disabled'),
      networkPolicy: enumOf('DefaultAllow', 'DefaultDeny'),
      networkPolicyEventLogs: enumOf('Disabled', 'Enabled'),
      ephemeralStorage: obj({
        size: {
          type: 'string',
          pattern:
            '^((?:[1-9][0-9]{0,3}|[1-4][0-9]{4}|[5][0-8][0-9]{3}|59000)Gi|(?:[1-9][0-9]{0,3}|[1-5][0-9]{4}|[6][0-3][0-9]{3}|64000)G|([1-9]||[1-5][0-7]|58)Ti|([1-9]||[1-5][0-9]|6[0-3]|64)T)$',
        },
        iops: { type: 'integer', minimum: 3000, maximum: 16000 },
        throughput: { type: 'integer', minimum: 125, maximum: 1000 },
        kmsKeyID: str,
      }),
      advancedNetworking: obj(
        {
          httpsProxy: { type: 'string', maxLength: 255 },
          noProxy: list({ type: 'string', maxLength: 255 }, { maxItems: 50 }),
          associatePublicIPAddress: bool,
          ipv4PrefixSize: enumOf('Auto', '32'),
          enableV4Egress: bool,
          networkInterfaces: list(autoModeInterface, {
            cel: [
              {
                rule: "the primary interface (networkCardIndex 0, deviceIndex 0) has interfaceType 'interface'",
                check: (l: any[]) =>
                  l.length === 0 ||
                  l.some(
                    (x) => x.networkCardIndex === 0 && x.deviceIndex === 0 && x.interfaceType === 'interface',
                  ),
              },
              {
                rule: 'no two interfaces on one networkCardIndex and deviceIndex',
                check: (l: any[]) =>
                  new Set(l.map((x) => `${x.networkCardIndex}/${x.deviceIndex}`)).size === l.length,
              },
            ],
          }),
        },
        [],
        {
          cel: [
            {
              rule: 'associatePublicIPAddress is not compatible with more than one network interface',
              check: (a: any) =>
                a.associatePublicIPAddress !== true || (a.networkInterfaces ?? []).length <= 1,
            },
          ],
        },
      ),
      certificateBundles: list(obj({ name: str, data: str }, ['name', 'data'])),
      advancedSecurity: obj({ fips: bool }),
      tags: {
        type: 'object',
        additionalProperties: str,
        cel: [
          {
            rule: `no kubernetes.io/cluster/* key and none of ${AUTO_MODE_RESTRICTED_TAGS.join(', ')}`,
            check: (m: Record<string, string>) =>
              Object.keys(m).every(
                (k) => !k.startsWith('kubernetes.io/cluster') && !AUTO_MODE_RESTRICTED_TAGS.includes(k),
              ),
          },
        ],
      },
    },
    ['subnetSelectorTerms', 'securityGroupSelectorTerms'],
    {
      cel: [
        {
          rule: 'exactly one of role and instanceProfile',
          check: (s: any) => (s.role !== undefined) !== (s.instanceProfile !== undefined),
        },
      ],
    },
  ),
);

// --- Slinky slurm-operator v1.2.1 ---------------------------------------------------------
const SLINKY =
  'SlinkyProject/slurm-operator tag v1.2.1 (87313dac) config/crd/bases/slinky.slurm.net_*.yaml, the Go types of ' +
  'api/v1beta1/*_types.go and the admission checks of internal/webhook/*_webhook.go';

/** A Secret or ConfigMap key selector as the CRDs declare it (corev1.SecretKeySelector). */
const slinkyKeyRef: Schema = obj({ key: str, name: str, optional: bool }, ['key']);
const slinkyLocalRef: Schema = obj({ name: str });
/**
 * The `slurmctld`, `slurmd`, `login`, `logfile`, ... fields: `x-kubernetes-preserve-unknown-fields`
 * in the CRD, unmarshalled into a corev1.Container the operator merges over its own
 * (api/v1beta1/base_types.go ContainerWrapper, internal/builder/common/container.go). Go's
 * unmarshalling drops unknown fields silently, so the subset the library sets is closed here.
 */
const slinkyContainer: Schema = obj({
  image: { type: 'string', minLength: 1 },
  imagePullPolicy: enumOf('Always', 'IfNotPresent', 'Never'),
  args: strings,
  env: list({ k8s: { module: 'kubernetes-models/v1/EnvVar', name: 'EnvVar' } }),
  resources: { k8s: { module: 'kubernetes-models/v1/ResourceRequirements', name: 'ResourceRequirements' } },
  securityContext: { k8s: { module: 'kubernetes-models/v1/SecurityContext', name: 'SecurityContext' } },
  volumeMounts: list({ k8s: { module: 'kubernetes-models/v1/VolumeMount', name: 'VolumeMount' } }),
});
/** `template`: metadata plus a corev1.PodSpec merged over the operator's (the subset the library sets). */
const slinkyPodTemplate: Schema = obj({
  metadata: obj({ labels: stringMap, annotations: stringMap }),
  spec: obj({
    // nodeset_webhook.go: NameIsDNSSubdomain(hostname, prefix=true), so a trailing '-' is allowed.
    hostname: { type: 'string', pattern: '^[a-z0-9]([-a-z0-9.]*)?$', maxLength: 253 },
    nodeSelector: stringMap,
    tolerations: list({ k8s: { module: 'kubernetes-models/v1/Toleration', name: 'Toleration' } }),
    volumes: list({ k8s: { module: 'kubernetes-models/v1/Volume', name: 'Volume' } }),
    securityContext: {
      k8s: { module: 'kubernetes-models/v1/PodSecurityContext', name: 'PodSecurityContext' },
    },
    priorityClassName: str,
  }),
});
const slinkyService: Schema = obj({
  metadata: obj({ labels: stringMap, annotations: stringMap }),
  spec: obj({ type: enumOf('ClusterIP', 'LoadBalancer', 'NodePort'), loadBalancerSourceRanges: strings }),
  port: int64,
  nodePort: int64,
});
const slinkyAuthCel = [
  {
    rule: '!self.external ? has(self.slurmKeyRef) : true',
    check: (s: any) => s.external === true || s.slurmKeyRef !== undefined,
  },
  {
    rule: '!self.external ? has(self.jwtKeyRef) || has(self.jwtHs256KeyRef) : true',
    check: (s: any) => s.external === true || s.jwtKeyRef !== undefined || s.jwtHs256KeyRef !== undefined,
  },
  {
    rule: 'self.external ? has(self.externalConfig) : true',
    check: (s: any) => s.external !== true || s.externalConfig !== undefined,
  },
];

const slinkyController = crd(
  'slinky.slurm.net/v1beta1',
  'Controller',
  SLINKY,
  obj(
    {
      // controller_webhook.go ValidateCreate: ClusterName at most 40 characters.
      clusterName: { type: 'string', minLength: 1, maxLength: 40 },
      slurmKeyRef: slinkyKeyRef,
      jwtKeyRef: slinkyKeyRef,
      accountingRef: slinkyLocalRef,
      external: bool,
      configFileRefs: list(slinkyLocalRef),
      prologScriptRefs: list(slinkyLocalRef),
      epilogScriptRefs: list(slinkyLocalRef),
      extraConf: str,
      inplaceReconfigure: bool,
      slurmctld: slinkyContainer,
      reconfigure: slinkyContainer,
      logfile: slinkyContainer,
      template: slinkyPodTemplate,
      persistence: obj(
        {
          enabled: bool,
          existingClaim: str,
          accessModes: strings,
          storageClassName: str,
          resources: obj({ requests: { type: 'object', additionalProperties: quantity } }),
        },
        ['enabled'],
      ),
      service: slinkyService,
      metrics: obj({
        enabled: bool,
        serviceMonitor: obj({
          enabled: bool,
          labels: stringMap,
          annotations: stringMap,
          interval: promDuration,
          scrapeTimeout: promDuration,
          endpoints: list(obj({ path: str, interval: promDuration, scrapeTimeout: promDuration }, ['path'])),
        }),
      }),
    },
    [],
    { cel: slinkyAuthCel },
  ),
);

const slinkyNodeSet = crd(
  'slinky.slurm.net/v1beta1',
  'NodeSet',
  SLINKY,
  obj(
    {
      controllerRef: obj({ name: { type: 'string', minLength: 1 } }, ['name']),
      replicas: { ...int32, minimum: 0 },
      scalingMode: enumOf('DaemonSet', 'StatefulSet'),
      slurmd: slinkyContainer,
      logfile: slinkyContainer,
      template: slinkyPodTemplate,
      // worker_app.go slurmdConfArgs: split on single spaces, every item `Key=Value` (else a panic).
      extraConf: { type: 'string', pattern: '^[A-Za-z]+=[^ =\\n]+( [A-Za-z]+=[^ =\\n]+)*$' },
      partition: obj({ enabled: bool, config: { type: 'string', pattern: '^[^\\n]+$' } }, ['enabled']),
      updateStrategy: obj({
        type: enumOf('RollingUpdate', 'OnDelete', 'ScheduledUpdate'),
        // nodeset_webhook.go: maxUnavailable must be above 0 (or a non-zero percentage).
        rollingUpdate: obj({
          maxUnavailable: {
            anyOf: [
              { type: 'integer', minimum: 1 },
              { type: 'string', pattern: '^[1-9][0-9]*%$' },
            ],
          },
        }),
      }),
      minReadySeconds: nonNegInt32,
      ordinalPadding: { type: 'integer', minimum: 0 },
      pinToNode: bool,
      workloadDisruptionProtection: bool,
      pruneSlurmNodeRecords: enumOf('Never', 'NodeNotFound'),
      oversubscribeNode: bool,
    },
    ['controllerRef'],
  ),
);

// --- GKE ComputeClass (cloud.google.com/v1) ------------------------------------------------
// GKE ships the CRD itself; no repository carries it. Written from the GKE reference page
// https://cloud.google.com/kubernetes-engine/docs/reference/crds/computeclass (read 2026-12-03)
// for the fields the library sets and their documented neighbours.
const GKE_CCC =
  'GKE docs https://cloud.google.com/kubernetes-engine/docs/reference/crds/computeclass (read 2026-12-03)';
const cccTaint: Schema = obj(
  { key: str, value: str, effect: enumOf('NoSchedule', 'PreferNoSchedule', 'NoExecute') },
  ['key', 'effect'],
);
const cccPriority: Schema = obj({
  machineFamily: str,
  machineType: str,
  minCores: nonNegInt32,
  minMemoryGb: nonNegInt32,
  spot: bool,
  gpu: obj({ type: str, count: { ...int32, minimum: 1 }, driverVersion: enumOf('default', 'latest') }, [
    'type',
    'count',
  ]),
  reservations: obj(
    {
      affinity: enumOf('Specific', 'AnyBestEffort', 'None'),
      specific: list(
        obj({ name: str, project: str, reservationBlock: obj({ name: str }, ['name']) }, ['name']),
        {
          minItems: 1,
        },
      ),
    },
    ['affinity'],
  ),
  flexStart: obj({ enabled: bool, nodeRecycling: obj({ leadTimeSeconds: nonNegInt32 }) }, ['enabled']),
  maxRunDurationSeconds: { ...int64, minimum: 1 },
  location: obj({ zones: strings, locationPolicy: enumOf('ANY', 'BALANCED') }),
  placement: obj({ policyName: str }),
  nodepools: strings,
});
const computeClass = crd(
  'cloud.google.com/v1',
  'ComputeClass',
  GKE_CCC,
  obj(
    {
      description: str,
      priorities: list(cccPriority, { minItems: 1 }),
      priorityDefaults: obj({ location: obj({ zones: strings }) }),
      nodePoolAutoCreation: obj({ enabled: bool }),
      nodePoolConfig: obj({
        imageType: enumOf('cos_containerd', 'ubuntu_containerd'),
        serviceAccount: str,
        nodeLabels: stringMap,
        taints: list(cccTaint),
        gvnic: obj({ enabled: bool }),
        imageStreaming: obj({ enabled: bool }),
        autoRepair: bool,
        autoUpgrade: bool,
      }),
      activeMigration: obj({ optimizeRulePriority: bool }, ['optimizeRulePriority']),
      autoscalingPolicy: obj({
        consolidationDelayMinutes: nonNegInt32,
        consolidationThreshold: nonNegInt32,
        gpuConsolidationThreshold: nonNegInt32,
      }),
      whenUnsatisfiable: enumOf('DoNotScaleUp', 'ScaleUpAnyway'),
    },
    ['priorities'],
  ),
);

const slinkyLoginSet = crd(
  'slinky.slurm.net/v1beta1',
  'LoginSet',
  SLINKY,
  obj(
    {
      controllerRef: obj({ name: { type: 'string', minLength: 1 } }, ['name']),
      replicas: { ...int32, minimum: 0 },
      login: slinkyContainer,
      initconf: slinkyContainer,
      template: slinkyPodTemplate,
      rootSshAuthorizedKeys: str,
      extraSshdConfig: str,
      // loginset_webhook.go: sssdConfRef.name must not be empty.
      sssdConfRef: obj({ key: str, name: { type: 'string', minLength: 1 }, optional: bool }, ['key', 'name']),
      service: slinkyService,
    },
    ['controllerRef', 'sssdConfRef'],
  ),
);

const slinkyAccounting = crd(
  'slinky.slurm.net/v1beta1',
  'Accounting',
  SLINKY,
  obj(
    {
      slurmKeyRef: slinkyKeyRef,
      jwtKeyRef: slinkyKeyRef,
      external: bool,
      slurmdbd: slinkyContainer,
      template: slinkyPodTemplate,
      storageConfig: obj(
        {
          host: { type: 'string', minLength: 1 },
          port: { type: 'integer', minimum: 1, maximum: 65535 },
          database: str,
          username: str,
          passwordKeyRef: slinkyKeyRef,
        },
        ['host', 'passwordKeyRef'],
      ),
      extraConf: str,
      service: slinkyService,
    },
    [],
    { cel: slinkyAuthCel },
  ),
);

// --- GKE multi-networking (networking.gke.io/v1) ------------------------------------------
// GKE installs these CRDs when multi-networking is on. Written from
// https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multinetwork-support-for-pods
// (read 2026-12-03), the fields of Device networks.
const GKE_MN =
  'GKE docs https://cloud.google.com/kubernetes-engine/docs/how-to/setup-multinetwork-support-for-pods (read 2026-12-03)';
const gkeNetworkParamSet = crd(
  'networking.gke.io/v1',
  'GKENetworkParamSet',
  GKE_MN,
  obj({ vpc: str, vpcSubnet: str, deviceMode: enumOf('NetDevice', 'RDMA', 'DPDK-VFIO') }, [
    'vpc',
    'vpcSubnet',
  ]),
);
const gkeNetwork = crd(
  'networking.gke.io/v1',
  'Network',
  GKE_MN,
  obj(
    {
      type: enumOf('L3', 'Device'),
      parametersRef: obj(
        { group: { const: 'networking.gke.io' }, kind: { const: 'GKENetworkParamSet' }, name: str },
        ['group', 'kind', 'name'],
      ),
    },
    ['type'],
  ),
);

// --- CSI volume snapshots (snapshot.storage.k8s.io/v1) -------------------------------------
// GKE installs the snapshot CRDs. Written from kubernetes-csi/external-snapshotter
// client/config/crd (volumesnapshots @ 03682631, volumesnapshotclasses @ 1c8e6b39).
const SNAP = 'kubernetes-csi/external-snapshotter commit';
const volumeSnapshotClass: CrdSchema = {
  apiVersion: 'snapshot.storage.k8s.io/v1',
  kind: 'VolumeSnapshotClass',
  source: `${SNAP} (1c8e6b39) client/config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml`,
  schema: obj(
    {
      apiVersion: { const: 'snapshot.storage.k8s.io/v1' },
      kind: { const: 'VolumeSnapshotClass' },
      metadata,
      driver: str,
      deletionPolicy: enumOf('Delete', 'Retain'),
      parameters: stringMap,
    },
    ['apiVersion', 'kind', 'metadata', 'driver', 'deletionPolicy'],
  ),
};
const volumeSnapshot = crd(
  'snapshot.storage.k8s.io/v1',
  'VolumeSnapshot',
  `${SNAP} (03682631) client/config/crd/snapshot.storage.k8s.io_volumesnapshots.yaml`,
  obj(
    {
      source: obj({ persistentVolumeClaimName: str, volumeSnapshotContentName: str }, [], {
        oneOf: [
          { properties: { persistentVolumeClaimName: str }, required: ['persistentVolumeClaimName'] },
          { properties: { volumeSnapshotContentName: str }, required: ['volumeSnapshotContentName'] },
        ],
      }),
      volumeSnapshotClassName: { type: 'string', minLength: 1 },
    },
    ['source'],
  ),
);

// --- GKE Gateway policies (networking.gke.io/v1) -------------------------------------------
// GKE installs these CRDs with the Gateway API. Written from GoogleCloudPlatform/gke-gateway-api
// apis/networking/v1/healthcheck_types.go (@ 530c0624) and gcpbackendpolicy_types.go
// (@ 067db6f1), the fields the library sets; targetRef is gateway-api v1alpha2
// PolicyTargetReference.
const gkePolicyTargetRef: Schema = obj(
  {
    group: { type: 'string', maxLength: 253 },
    kind: { type: 'string', minLength: 1, maxLength: 63 },
    name: { type: 'string', minLength: 1, maxLength: 253 },
    namespace: str,
  },
  ['group', 'kind', 'name'],
);
const gkeHttpHealthCheck: Schema = obj({
  portSpecification: enumOf('USE_FIXED_PORT', 'USE_NAMED_PORT', 'USE_SERVING_PORT'),
  port: { type: 'integer', minimum: 1, maximum: 65535 },
  portName: { type: 'string', maxLength: 63 },
  host: { type: 'string', maxLength: 2048 },
  requestPath: { type: 'string', maxLength: 2048, pattern: "\\/[A-Za-z0-9\\/\\-._~%!?$&'()*+,;=:]*$" },
  proxyHeader: enumOf('NONE', 'PROXY_V1'),
  response: { type: 'string', maxLength: 1024 },
});
const healthCheckPolicy = crd(
  'networking.gke.io/v1',
  'HealthCheckPolicy',
  'GoogleCloudPlatform/gke-gateway-api commit (530c0624) apis/networking/v1/healthcheck_types.go',
  obj(
    {
      targetRef: gkePolicyTargetRef,
      default: obj({
        checkIntervalSec: { type: 'integer', minimum: 1, maximum: 300 },
        timeoutSec: { type: 'integer', minimum: 1, maximum: 300 },
        unhealthyThreshold: { type: 'integer', minimum: 1, maximum: 10 },
        healthyThreshold: { type: 'integer', minimum: 1, maximum: 10 },
        // A union: the type and the one matching protocol block (MinProperties = MaxProperties = 2).
        config: obj(
          { type: enumOf('TCP', 'HTTP', 'HTTPS', 'HTTP2', 'GRPC'), httpHealthCheck: gkeHttpHealthCheck },
          [],
          {
            minProperties: 2,
            maxProperties: 2,
          },
        ),
        logConfig: obj({ enabled: bool }),
      }),
    },
    ['targetRef'],
  ),
);
const gcpBackendPolicy = crd(
  'networking.gke.io/v1',
  'GCPBackendPolicy',
  'GoogleCloudPlatform/gke-gateway-api commit (067db6f1) apis/networking/v1/gcpbackendpolicy_types.go',
  obj(
    {
      targetRef: gkePolicyTargetRef,
      default: obj({
        timeoutSec: { type: 'integer', minimum: 1, maximum: 2147483647 },
        connectionDraining: obj({ drainingTimeoutSec: { type: 'integer', minimum: 0, maximum: 3600 } }),
        maxRatePerEndpoint: { type: 'integer', minimum: 1, maximum: 1000000000 },
      }),
    },
    ['targetRef'],
  ),
);

export const CRD_SCHEMAS: ReadonlyMap<string, CrdSchema> = new Map(
  [
    scaledObject,
    triggerAuthentication,
    serviceMonitor,
    prometheusRule,
    podMonitor,
    gateway,
    httpRoute,
    podMonitoring,
    jobSet,
    leaderWorkerSet,
    clusterQueue,
    resourceFlavor,
    topology,
    localQueue,
    multiKueueCluster,
    multiKueueConfig,
    admissionCheck,
    nodePool,
    ec2NodeClass,
    mpiJob,
    autoModeNodeClass,
    slinkyController,
    slinkyNodeSet,
    slinkyLoginSet,
    slinkyAccounting,
    computeClass,
    gkeNetworkParamSet,
    gkeNetwork,
    volumeSnapshotClass,
    volumeSnapshot,
    healthCheckPolicy,
    gcpBackendPolicy,
  ].map((c) => [`${c.apiVersion}/${c.kind}`, c]),
);
