import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  MlflowDatabase,
  MlflowServer,
  MlflowServerProps,
  ModelServer,
  TrainingJob,
  WeightsSource,
} from '../../lib/k8s';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { platformAndWorkloads } from './helpers';

const RDS = MlflowDatabase.kubernetesSecret({
  host: 'mlflow.abc123.us-east-1.rds.amazonaws.com',
  secretName: 'mlflow-db',
});

/** A server in a fresh workloads stack. */
function server(props: Partial<MlflowServerProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const s = new MlflowServer(workloads, 'Mlflow', {
    database: RDS,
    artifactsDestination: 's3://acme-mlflow-artifacts/artifacts',
    adminSecretName: 'mlflow-admin',
    ...props,
  });
  return { workloads, server: s };
}

function policy(props: Partial<MlflowServerProps> = {}): any {
  return resourcesOf(synthJson(server(props).workloads), 'kubernetes_network_policy_v1');
}

function only(props: Partial<MlflowServerProps> = {}): any {
  const all = Object.values(policy(props));
  expect(all).toHaveLength(1);
  return all[0];
}

function build(props: Partial<MlflowServerProps>): () => void {
  return () => server(props);
}

const DNS = {
  ports: [
    { port: '53', protocol: 'UDP' },
    { port: '53', protocol: 'TCP' },
  ],
};

describe('MlflowServer NetworkPolicy', () => {
  test('defaults to a policy on the server pods, ingress from its own namespace on port 5000', () => {
    const np = only();
    expect(np.metadata).toMatchObject({ name: 'mlflow', namespace: 'mlflow' });
    expect(np.spec.pod_selector.match_labels).toEqual({
      'app.kubernetes.io/name': 'mlflow',
      'app.kubernetes.io/instance': 'mlflow',
    });
    expect(np.spec.policy_types).toEqual(['Ingress', 'Egress']);
    expect(np.spec.ingress).toEqual([
      { from: [{ pod_selector: {} }], ports: [{ port: '5000', protocol: 'TCP' }] },
    ]);
  });

  test('defaults to egress to DNS, the database port anywhere for a host name, HTTPS and the credential endpoints', () => {
    expect(only().spec.egress).toEqual([
      DNS,
      { to: [{ ip_block: { cidr: '0.0.0.0/0' } }], ports: [{ port: '5432', protocol: 'TCP' }] },
      { to: [{ ip_block: { cidr: '0.0.0.0/0' } }], ports: [{ port: '443', protocol: 'TCP' }] },
      {
        to: [{ ip_block: { cidr: '169.254.170.23/32' } }, { ip_block: { cidr: '169.254.169.254/32' } }],
        ports: [{ port: '80', protocol: 'TCP' }],
      },
    ]);
  });

  test('narrows the database rule to the host /32 when the host is an IPv4 address', () => {
    const np = only({
      database: MlflowDatabase.kubernetesSecret({ host: '10.20.0.3', port: 6432, secretName: 'db' }),
    });
    expect(np.spec.egress[1]).toEqual({
      to: [{ ip_block: { cidr: '10.20.0.3/32' } }],
      ports: [{ port: '6432', protocol: 'TCP' }],
    });
  });

  test('databaseCidrs replace the database destinations', () => {
    const np = only({ networkPolicy: { databaseCidrs: ['10.0.64.0/20', '10.0.80.0/20'] } });
    expect(np.spec.egress[1].to).toEqual([
      { ip_block: { cidr: '10.0.64.0/20' } },
      { ip_block: { cidr: '10.0.80.0/20' } },
    ]);
  });

  test('admits the named clients, the route gateway namespace and client CIDRs', () => {
    const np = only({
      route: {
        gatewayName: 'internal',
        gatewayNamespace: 'gateway',
        hostnames: ['mlflow.internal.example.com'],
      },
      networkPolicy: {
        clients: [{ namespace: 'training' }, { namespace: 'llm', podLabels: { app: 'loader' } }],
        clientCidrs: ['10.1.0.0/24'],
        allowSameNamespace: false,
      },
    });
    expect(np.spec.ingress[0].from).toEqual([
      { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'training' } } },
      {
        namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'llm' } },
        pod_selector: { match_labels: { app: 'loader' } },
      },
      { namespace_selector: { match_labels: { 'kubernetes.io/metadata.name': 'gateway' } } },
      { ip_block: { cidr: '10.1.0.0/24' } },
    ]);
  });

  test('has no ingress rule (denies all callers) with no source left', () => {
    expect(only({ networkPolicy: { allowSameNamespace: false } }).spec.ingress).toEqual([]);
  });

  test('extraEgress adds TCP destinations', () => {
    const np = only({ networkPolicy: { extraEgress: [{ cidr: '169.254.169.252/32', port: 988 }] } });
    expect(np.spec.egress[4]).toEqual({
      to: [{ ip_block: { cidr: '169.254.169.252/32' } }],
      ports: [{ port: '988', protocol: 'TCP' }],
    });
  });

  test('enabled: false creates no NetworkPolicy', () => {
    expect(policy({ networkPolicy: { enabled: false } })).toEqual({});
  });

  test('the NetworkPolicy is exposed and selects the Deployment pods', () => {
    const { workloads, server: s } = server();
    expect(s.networkPolicy).toBeDefined();
    const json = synthJson(workloads);
    const np = onlyResource(json, 'kubernetes_network_policy_v1');
    const dep = onlyResource(json, 'kubernetes_deployment_v1');
    expect(dep.spec.template.metadata.labels).toMatchObject(np.spec.pod_selector.match_labels);
  });

  test.each<[string, Partial<MlflowServerProps>, RegExp]>([
    [
      'a bad client namespace',
      { networkPolicy: { clients: [{ namespace: 'Bad_NS' }] } },
      /networkPolicy\.clients\[0\]\.namespace/,
    ],
    [
      'a bad client pod label',
      { networkPolicy: { clients: [{ namespace: 'ml', podLabels: { app: 'no spaces' } }] } },
      /networkPolicy\.clients\[0\]\.podLabels/,
    ],
    [
      'a repeated client',
      { networkPolicy: { clients: [{ namespace: 'ml' }, { namespace: 'ml' }] } },
      /'networkPolicy\.clients\[1\]' repeats/,
    ],
    [
      'a bad client CIDR',
      { networkPolicy: { clientCidrs: ['10.0.0.1/16'] } },
      /networkPolicy\.clientCidrs\[0\]/,
    ],
    [
      'empty databaseCidrs',
      { networkPolicy: { databaseCidrs: [] } },
      /'networkPolicy\.databaseCidrs' is empty/,
    ],
    [
      'a bad database CIDR',
      { networkPolicy: { databaseCidrs: ['10.0.0.0/33'] } },
      /networkPolicy\.databaseCidrs\[0\]/,
    ],
    [
      'a bad extra egress port',
      { networkPolicy: { extraEgress: [{ cidr: '10.0.0.0/8', port: 70000 }] } },
      /networkPolicy\.extraEgress\[0\]\.port/,
    ],
    [
      'a non-boolean enabled',
      { networkPolicy: { enabled: 'yes' as unknown as boolean } },
      /networkPolicy\.enabled/,
    ],
  ])('throws on %s', (_what, props, message) => {
    expect(build(props)).toThrow(ValidationError);
    expect(build(props)).toThrow(message);
  });
});

describe('MlflowServer NetworkPolicy clients that name the server', () => {
  const ingressOf = (workloads: any) =>
    (Object.values(resourcesOf(synthJson(workloads), 'kubernetes_network_policy_v1')) as any[])
      .find((p) => p.metadata.name === 'mlflow')
      .spec.ingress[0].from.map(
        (f: any) => f.namespace_selector?.match_labels['kubernetes.io/metadata.name'] ?? 'own',
      );

  test("a TrainingJob that logs to the server adds its namespace; a model server's mlflowModel weights add theirs", () => {
    const { workloads, server: mlflow } = server();
    const job = (id: string, namespace?: string) =>
      new TrainingJob(workloads, id, {
        image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
        command: ['torchrun', 'train.py'],
        nodes: 1,
        gpusPerNode: 8,
        checkpoint: { uri: 's3://ckpt/a/' },
        ...(namespace ? { namespace } : {}),
        tracking: { server: mlflow, credentialsSecretName: 'mlflow-trainer' },
      });
    job('A', 'training');
    job('B', 'training');
    job('C');
    new ModelServer(workloads, 'Registered', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      namespace: 'llm',
      weights: WeightsSource.mlflowModel('models:/llama-3.1-8b-awq/2', {
        tracking: { server: mlflow, credentialsSecretName: 'mlflow-reader' },
      }),
    });
    expect(ingressOf(workloads)).toEqual(['own', 'training', 'default', 'llm']);
  });

  test('allowClientNamespace skips the own namespace and repeats; adds it when allowSameNamespace is false', () => {
    const { workloads, server: s } = server({ networkPolicy: { allowSameNamespace: false } });
    s.allowClientNamespace('mlflow');
    s.allowClientNamespace('ci');
    s.allowClientNamespace('ci');
    expect(ingressOf(workloads)).toEqual(['mlflow', 'ci']);
  });

  test('allowClientNamespace throws on a bad namespace', () => {
    const { server: s } = server();
    expect(() => s.allowClientNamespace('Not_A_Namespace')).toThrow(ValidationError);
    expect(() => s.allowClientNamespace('Not_A_Namespace')).toThrow(/'allowClientNamespace'/);
  });
});
