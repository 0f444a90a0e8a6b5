import { constructStacks, exampleStacks } from './fixtures';
import { CRD_SCHEMAS } from './crd-schemas';
import {
  chartRenderedObjects,
  kubernetesObjects,
  kubernetesSchemaProblems,
  unresolvedManifests,
  validateKubernetesObject,
} from './k8s-schema';
import { typedResourceToObject } from './tf-to-k8s';

const meta = { name: 'x', namespace: 'llm' };
const deployment = (container: Record<string, unknown>) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: meta,
  spec: {
    selector: { matchLabels: { app: 'x' } },
    template: {
      metadata: { labels: { app: 'x' } },
      spec: { containers: [{ name: 'c', image: 'i:1', ...container }] },
    },
  },
});
const scaledObject = (spec: Record<string, unknown>) => ({
  apiVersion: 'keda.sh/v1alpha1',
  kind: 'ScaledObject',
  metadata: meta,
  spec: {
    scaleTargetRef: { name: 'x' },
    triggers: [
      {
        type: 'prometheus',
        metadata: { serverAddress: 'http://prometheus:9090', query: 'up', threshold: '5' } as Record<
          string,
          string
        >,
      },
    ],
    ...spec,
  },
});

describe('the Kubernetes schema checker', () => {
  test('accepts a valid built-in object', () => {
    expect(validateKubernetesObject(deployment({ ports: [{ containerPort: 8000, name: 'http' }] }))).toEqual(
      [],
    );
  });

  test('rejects unknown fields of built-in objects at any depth (the API server in Strict field validation)', () => {
    expect(validateKubernetesObject(deployment({ ports: [{ containerPort: 8000, nme: 'http' }] }))).toEqual([
      '/spec/template/spec/containers/0/ports/0/nme: unknown field',
    ]);
  });

  test('rejects fields added after Kubernetes 1.33 (the oldest supported version)', () => {
    // Container.restartPolicyRules is new in 1.34.
    expect(validateKubernetesObject(deployment({ restartPolicyRules: [] }))).toEqual([
      '/spec/template/spec/containers/0/restartPolicyRules: unknown field',
    ]);
  });

  test('rejects wrong types and missing required fields from the OpenAPI', () => {
    const problems = validateKubernetesObject({ ...deployment({}), spec: { replicas: '2', selector: {} } });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/spec\/replicas: must be integer/),
        expect.stringMatching(/^\/spec: must have required property template/),
      ]),
    );
  });

  test('rejects unknown fields, bad enums and failed CEL rules of custom resources', () => {
    expect(validateKubernetesObject(scaledObject({ minReplicas: 1 }))[0]).toMatch(
      /^\/spec: must NOT have additional properties 'minReplicas' \(unknown field; crd-schemas.ts is written from kedacore\/keda tag v2.20.2/,
    );
    expect(
      validateKubernetesObject(
        scaledObject({ fallback: { behavior: 'sometimes', failureThreshold: 3, replicas: 1 } }),
      ),
    ).toEqual([
      '/spec/fallback/behavior: must be equal to one of the allowed values ["static","currentReplicas","currentReplicasIfHigher","currentReplicasIfLower","scalingModifiers"]',
    ]);
    expect(validateKubernetesObject(scaledObject({ minReplicaCount: 3, maxReplicaCount: 2 }))).toEqual([
      '/spec: fails x-kubernetes-validations rule !has(self.minReplicaCount) || self.minReplicaCount <= (has(self.maxReplicaCount) ? self.maxReplicaCount : 100)',
    ]);
  });

  test('rejects Kueue Topology and TAS ResourceFlavor objects the API server would reject', () => {
    const topo = (levels: string[]) => ({
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'Topology',
      metadata: { name: 'training' },
      spec: { levels: levels.map((nodeLabel) => ({ nodeLabel })) },
    });
    expect(validateKubernetesObject(topo(['example.com/rack', 'kubernetes.io/hostname']))).toEqual([]);
    expect(validateKubernetesObject(topo(['kubernetes.io/hostname', 'example.com/rack']))[0]).toMatch(
      /^\/spec\/levels: fails x-kubernetes-validations rule size\(self.filter\(i, i.nodeLabel == 'kubernetes.io\/hostname'\)\)/,
    );
    expect(validateKubernetesObject(topo(['example.com/rack', 'example.com/rack']))[0]).toMatch(
      /must be unique|size\(self.filter\(i, size/,
    );
    expect(validateKubernetesObject(topo([]))[0]).toMatch(
      /^\/spec\/levels: must NOT have fewer than 1 items/,
    );
    expect(validateKubernetesObject(topo(['bad label!']))[0]).toMatch(
      /^\/spec\/levels\/0\/nodeLabel: must match pattern/,
    );
    const flavor = {
      apiVersion: 'kueue.x-k8s.io/v1beta2',
      kind: 'ResourceFlavor',
      metadata: { name: 'h100' },
    };
    expect(
      validateKubernetesObject({ ...flavor, spec: { topologyName: 'training', nodeLabels: {} } }),
    ).toEqual([
      '/spec: fails x-kubernetes-validations rule !has(self.topologyName) || self.nodeLabels.size() >= 1',
    ]);
    expect(
      validateKubernetesObject({ ...flavor, spec: { topologyName: 'training', nodeLabels: { a: 'b' } } }),
    ).toEqual([]);
  });

  test('rejects Gateway API and PodMonitor objects the API server would reject (gateway fields)', () => {
    const gw = (listener: Record<string, unknown>) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: meta,
      spec: { gatewayClassName: 'istio', listeners: [listener] },
    });
    expect(validateKubernetesObject(gw({ name: 'http', protocol: 'HTTP', port: 80 }))).toEqual([]);
    expect(
      validateKubernetesObject(
        gw({ name: 'http', protocol: 'HTTP', port: 80, tls: { certificateRefs: [{ name: 'tls' }] } }),
      ),
    ).toEqual([
      "/spec/listeners: fails x-kubernetes-validations rule self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)",
    ]);
    expect(validateKubernetesObject(gw({ name: 'https', protocol: 'HTTPS', port: 443, tls: {} }))).toEqual([
      "/spec/listeners/0/tls: fails x-kubernetes-validations rule self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true",
    ]);
    const route = (rule: Record<string, unknown>) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta,
      spec: { parentRefs: [{ name: 'gw' }], rules: [rule] },
    });
    expect(validateKubernetesObject(route({ backendRefs: [{ name: 'svc' }] }))).toEqual([
      "/spec/rules/0/backendRefs/0: fails x-kubernetes-validations rule (size(self.group) == 0 && self.kind == 'Service') ? has(self.port) : true",
    ]);
    expect(validateKubernetesObject(route({ timeouts: { request: '300' } }))).toEqual([
      '/spec/rules/0/timeouts/request: must match pattern "^([0-9]{1,5}(h|m|s|ms)){1,4}$"',
    ]);
    expect(
      validateKubernetesObject(route({ matches: [{ path: { type: 'PathPrefix', value: 'v1//chat' } }] })),
    ).toHaveLength(2);
    expect(
      validateKubernetesObject({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PodMonitor',
        metadata: meta,
        spec: { selector: {}, podMetricsEndpoints: [{ port: 'metrics', targetPort: 9090 }] },
      })[0],
    ).toMatch(/^\/spec\/podMetricsEndpoints\/0: must NOT have additional properties 'targetPort'/);
  });

  test('HTTPRoute PathPrefix values: the ones InferenceGateway refuses fail the schema, its edge cases pass', () => {
    const route = (value: string) => ({
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: meta,
      spec: { parentRefs: [{ name: 'gw' }], rules: [{ matches: [{ path: { type: 'PathPrefix', value } }] }] },
    });
    for (const refused of [
      '/v1//chat',
      '/v1/./chat',
      '/v1/../chat',
      '/v1/.',
      '/v1/..',
      `/${'a'.repeat(1024)}`,
    ]) {
      expect(validateKubernetesObject(route(refused)).length).toBeGreaterThan(0);
    }
    for (const accepted of ['/.well-known/x', '/v1/..x', '/v1/', `/${'a'.repeat(1023)}`]) {
      expect(validateKubernetesObject(route(accepted))).toEqual([]);
    }
  });

  test("rejects Prometheus trigger metadata KEDA's scaler does not read, or cannot parse", () => {
    const so = scaledObject({});
    so.spec.triggers[0].metadata = {
      ...so.spec.triggers[0].metadata,
      ignoreNullValue: 'false',
      threshold: '5 requests',
    } as any;
    expect(validateKubernetesObject(so)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^\/spec\/triggers\/0\/metadata: must NOT have additional properties 'ignoreNullValue'/,
        ),
        expect.stringMatching(/^\/spec\/triggers\/0\/metadata\/threshold: must match pattern/),
      ]),
    );
  });

  test('checks built-in types embedded in custom resources (JobSet Job templates, metadata)', () => {
    const jobSet = {
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata: { ...meta, labelz: {} },
      spec: {
        replicatedJobs: [
          {
            name: 'node',
            template: {
              spec: {
                template: { spec: { containers: [{ name: 'c', imagePullPolicy: 'Always', gpus: 8 }] } },
              },
            },
          },
        ],
      },
    };
    expect(validateKubernetesObject(jobSet)).toEqual([
      '/metadata/labelz: unknown field',
      '/spec/replicatedJobs/0/template/spec/template/spec/containers/0/gpus: unknown field',
    ]);
  });

  test('checks LeaderWorkerSets: enums, the webhook rollout rule and the embedded pod templates', () => {
    const lws = (spec: Record<string, unknown>, template: Record<string, unknown> = {}) => ({
      apiVersion: 'leaderworkerset.x-k8s.io/v1',
      kind: 'LeaderWorkerSet',
      metadata: meta,
      spec: {
        leaderWorkerTemplate: {
          size: 2,
          workerTemplate: { spec: { containers: [{ name: 'c', image: 'i:1', ...template }] } },
        },
        ...spec,
      },
    });
    expect(validateKubernetesObject(lws({ startupPolicy: 'LeaderCreated' }))).toEqual([]);
    expect(validateKubernetesObject(lws({ startupPolicy: 'WorkersFirst' }))[0]).toMatch(
      /^\/spec\/startupPolicy: must be equal to one of the allowed values/,
    );
    expect(
      validateKubernetesObject(
        lws({
          rolloutStrategy: {
            type: 'RollingUpdate',
            rollingUpdateConfiguration: { maxSurge: 0, maxUnavailable: 0 },
          },
        }),
      ),
    ).toEqual([
      expect.stringMatching(/^\/spec\/rolloutStrategy: fails x-kubernetes-validations rule webhook/),
    ]);
    expect(validateKubernetesObject(lws({}, { gpus: 8 }))).toEqual([
      '/spec/leaderWorkerTemplate/workerTemplate/spec/containers/0/gpus: unknown field',
    ]);
  });

  test('a kind with no schema is a problem, not a pass', () => {
    expect(
      validateKubernetesObject({ apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta }),
    ).toEqual([expect.stringMatching(/no schema for example.com\/v1 Widget/)]);
  });

  test.each([...CRD_SCHEMAS.values()].map((c) => [`${c.apiVersion} ${c.kind}`, c.source]))(
    'the %s schema cites the upstream CRD it was written from',
    (_kind, source) => {
      // A repository at a tag or a branch (AWS's docs repository for the Auto Mode NodeClass), or at a commit when the project tags no release of the CRD
      // (kubernetes-csi/external-snapshotter's client CRDs); GKE ships its own CRDs (ComputeClass,
      // multi-networking) with no repository: their reference page and the day it was read.
      expect(source).toMatch(
        /^([\w.-]+\/[\w.-]+ (tag \S+|branch \S+|commit) \([0-9a-f]{8}\) \S+|GKE docs https:\/\/cloud\.google\.com\/\S+ \(read \d{4}-\d{2}-\d{2}\))/,
      );
    },
  );
});

describe('custom resources kube-prometheus-stack renders from its values', () => {
  const release = (values: string) => ({
    resource: {
      helm_release: { Monitoring: { chart: 'kube-prometheus-stack', name: 'kps', values: [values] } },
    },
  });

  test('additionalServiceMonitors become ServiceMonitors; a key the template does not read is reported', () => {
    const json = release(
      'prometheus:\n  additionalServiceMonitors:\n  - name: jobset\n    interval: 30s\n' +
        '    selector: {matchLabels: {app: jobset}}\n    endpoints: [{port: https, interval: 30s}]\n',
    );
    expect(chartRenderedObjects(json).map((o) => o.object)).toEqual([
      {
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'ServiceMonitor',
        metadata: { name: 'jobset' },
        spec: {
          selector: { matchLabels: { app: 'jobset' } },
          endpoints: [{ port: 'https', interval: '30s' }],
          interval: '30s',
        },
      },
    ]);
    expect(kubernetesSchemaProblems(json)).toEqual([
      expect.stringMatching(/ServiceMonitor jobset\) \/spec: must NOT have additional properties 'interval'/),
    ]);
  });

  test('additionalPrometheusRulesMap entries become PrometheusRules', () => {
    const json = release(
      'additionalPrometheusRulesMap:\n  ai:\n    groups:\n    - name: g\n      rules:\n      - alert: A\n        expr: up == 0\n        for: 5 minutes\n',
    );
    expect(kubernetesSchemaProblems(json)).toEqual([
      expect.stringMatching(/PrometheusRule kps-ai\) \/spec\/groups\/0\/rules\/0\/for: must match pattern/),
    ]);
  });
});

describe('typed resources as the kubernetes provider sends them', () => {
  test('a Deployment: plural lists, camelCase, numbers from strings, IntOrString, single lifecycle handlers', () => {
    const object = typedResourceToObject('kubernetes_deployment_v1', {
      metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'x' } },
      spec: {
        replicas: '2',
        selector: { match_labels: { app: 'x' } },
        strategy: { type: 'RollingUpdate', rolling_update: { max_surge: '1', max_unavailable: '25%' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: {
            security_context: {
              run_as_user: '1000',
              fs_group: '2000',
              seccomp_profile: { type: 'RuntimeDefault' },
            },
            container: [
              {
                name: 'c',
                image: 'i:1',
                port: [{ container_port: 8000, name: 'http' }],
                readiness_probe: { http_get: { path: '/health', port: '8000' } },
                lifecycle: { pre_stop: [{ exec: { command: ['sleep', '15'] } }] },
                volume_mount: [{ name: 'cfg', mount_path: '/etc/cfg' }],
              },
            ],
            volume: [{ name: 'cfg', config_map: { name: 'cfg', default_mode: '0644' } }],
          },
        },
      },
      wait_for_rollout: false,
      timeouts: { create: '10m' },
      lifecycle: { ignore_changes: ['spec[0].replicas'] },
    });
    expect(object).toEqual({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', labels: { 'app.kubernetes.io/name': 'x' } },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'x' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: '25%' } },
        template: {
          metadata: { labels: { app: 'x' } },
          spec: {
            securityContext: { runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: 'RuntimeDefault' } },
            containers: [
              {
                name: 'c',
                image: 'i:1',
                ports: [{ containerPort: 8000, name: 'http' }],
                readinessProbe: { httpGet: { path: '/health', port: 8000 } },
                lifecycle: { preStop: { exec: { command: ['sleep', '15'] } } },
                volumeMounts: [{ name: 'cfg', mountPath: '/etc/cfg' }],
              },
            ],
            volumes: [{ name: 'cfg', configMap: { name: 'cfg', defaultMode: 0o644 } }],
          },
        },
      },
    });
    expect(validateKubernetesObject(object)).toEqual([]);
  });

  test("a Service keeps its selector map and a PersistentVolume's source is inlined into its spec", () => {
    expect(
      typedResourceToObject('kubernetes_service_v1', {
        metadata: { name: 's' },
        spec: {
          selector: { match_labels: 'a label named match_labels' },
          port: [{ port: 80, target_port: 'http' }],
        },
      }),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: {
        selector: { match_labels: 'a label named match_labels' },
        ports: [{ port: 80, targetPort: 'http' }],
      },
    });
    expect(
      typedResourceToObject('kubernetes_persistent_volume_v1', {
        metadata: { name: 'pv' },
        spec: {
          capacity: { storage: '1200Gi' },
          access_modes: ['ReadWriteMany'],
          persistent_volume_source: [{ csi: { driver: 'fsx.csi.aws.com', volume_handle: 'fs-1' } }],
        },
      }),
    ).toEqual({
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv' },
      spec: {
        capacity: { storage: '1200Gi' },
        accessModes: ['ReadWriteMany'],
        csi: { driver: 'fsx.csi.aws.com', volumeHandle: 'fs-1' },
      },
    });
  });

  test('a typed resource type without a conversion fails loudly', () => {
    expect(() => kubernetesObjects({ resource: { kubernetes_cron_job_v1: { c: {} } } })).toThrow(
      /no conversion/,
    );
  });
});

describe('manifests Terraform computes (skipped, and reported as skipped)', () => {
  test('a manifest that is one whole Terraform expression is skipped and listed; a partial one is checked', () => {
    const json = {
      resource: {
        kubernetes_manifest: {
          bundle: { manifest: '${each.value}' },
          broken: { manifest: 'kind: ${var.kind}' },
        },
      },
    };
    expect(unresolvedManifests(json)).toEqual([
      { address: 'kubernetes_manifest.bundle', expression: '${each.value}' },
    ]);
    expect(kubernetesSchemaProblems(json)).toEqual([
      'kubernetes_manifest.broken (undefined undefined) /: apiVersion and kind are required',
    ]);
  });

  test('the only skipped manifests are the CRD and operator bundles read through the http data source', () => {
    const skipped = [...exampleStacks(), ...constructStacks()].flatMap((s) =>
      unresolvedManifests(s.json).map((m) => `${s.name}: ${m.address} = ${m.expression}`),
    );
    // Reported, not passed silently: these objects are checked by the API server at apply only.
    expect(skipped.length).toBeGreaterThan(0);
    for (const line of skipped) {
      expect(line).toMatch(
        /: kubernetes_manifest\.(InferenceGateway_(GatewayApiCrds|InferenceExtensionCrds)|Gpu_MpiOperator(Crds)?|NcclPlugin_(Installer|NriDeviceInjector)(Crds)?)_[0-9A-F]{8} = \$\{each\.value\}$/,
      );
    }
  });
});

describe('every Kubernetes object is accepted by the API server schema', () => {
  test.each([...exampleStacks(), ...constructStacks()].map((s) => [s.name, s]))('%s', (_name, s) => {
    expect(kubernetesSchemaProblems(s.json)).toEqual([]);
  });

  test('the examples and construct configurations emit every custom resource kind that has a schema', () => {
    const kinds = new Set(
      [...exampleStacks(), ...constructStacks()].flatMap((s) =>
        [...kubernetesObjects(s.json), ...chartRenderedObjects(s.json)].map(
          (o) => `${o.object.apiVersion}/${o.object.kind}`,
        ),
      ),
    );
    const missing = [...CRD_SCHEMAS.keys()].filter((k) => !kinds.has(k));
    expect(missing).toEqual([]);
  });
});
