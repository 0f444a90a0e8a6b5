import { spawnSync } from 'child_process';
import { Accelerator, ModelSpec, Quantization, ValidationError } from '../../lib/core';
import {
  IMAGES,
  MLFLOW_PORT,
  MlflowDatabase,
  MlflowPermission,
  MlflowServer,
  MlflowServerProps,
  ModelServer,
  TrainingJob,
  WeightsSource,
  imageRef,
} from '../../lib/k8s';
import { BUCKET_URI } from '../../lib/k8s/private/common';
import { MLFLOW_LAUNCHER_PY } from '../../lib/k8s/private/mlflow-launcher';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:rds!db-0a1b2c3d-AbCdEf';
const DB = MlflowDatabase.awsSecretsManager({
  host: 'mlflow.abc123.us-east-1.rds.amazonaws.com',
  secretArn: SECRET_ARN,
  region: 'us-east-1',
});

function server(props: Partial<MlflowServerProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const s = new MlflowServer(workloads, 'Mlflow', {
    database: DB,
    artifactsDestination: 's3://acme-mlflow-artifacts/artifacts',
    adminSecretName: 'mlflow-admin',
    ...props,
  });
  return { stack: workloads, server: s };
}

function container(json: any): any {
  return onlyResource(json, 'kubernetes_deployment_v1').spec.template.spec.container[0];
}

function envOf(c: any): Record<string, any> {
  return Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.value_from]));
}

/**
 * The `mlflow server` options of the pinned release, from its click definitions
 * (mlflow/mlflow `mlflow/cli/__init__.py` commit 00747dbb and `mlflow/utils/cli_args.py` commit
 * 004d7de0): name -> whether the option takes a value.
 */
const MLFLOW_SERVER_OPTIONS: Record<string, boolean> = {
  '--backend-store-uri': true,
  '--registry-store-uri': true,
  '--default-artifact-root': true,
  '--serve-artifacts': false,
  '--no-serve-artifacts': false,
  '--artifacts-only': false,
  '--artifacts-destination': true,
  '--host': true,
  '--port': true,
  '--workers': true,
  '--allowed-hosts': true,
  '--cors-allowed-origins': true,
  '--disable-security-middleware': false,
  '--x-frame-options': true,
  '--static-prefix': true,
  '--gunicorn-opts': true,
  '--waitress-opts': true,
  '--uvicorn-opts': true,
  '--expose-prometheus': true,
  '--app-name': true,
  '--dev': false,
};

describe('MlflowServer', () => {
  test('runs the pinned image through the launcher with --serve-artifacts, basic auth and the bucket', () => {
    const { stack, server: s } = server();
    const c = container(synthJson(stack));
    expect(c.image).toBe(imageRef(IMAGES.mlflow));
    expect(IMAGES.mlflow.tag).toMatch(/^v\d+\.\d+\.\d+-full$/);
    expect(c.command).toEqual(['python3', '/opt/mlflow-launcher/launcher.py']);
    expect(c.args).toEqual(s.serverArgs);
    const at = (flag: string) => c.args[c.args.indexOf(flag) + 1];
    expect(c.args).toContain('--serve-artifacts');
    expect(at('--artifacts-destination')).toBe('s3://acme-mlflow-artifacts/artifacts');
    expect(at('--app-name')).toBe('basic-auth');
    expect(at('--host')).toBe('0.0.0.0');
    expect(at('--port')).toBe(String(MLFLOW_PORT));
  });

  test('passes only options the pinned mlflow server defines, each value-taking option with a value', () => {
    const { server: s } = server({
      route: { gatewayName: 'internal', gatewayNamespace: 'gateway', hostnames: ['mlflow.example.com'] },
    });
    const args = s.serverArgs;
    for (let i = 0; i < args.length; i++) {
      expect(Object.keys(MLFLOW_SERVER_OPTIONS)).toContain(args[i]);
      if (MLFLOW_SERVER_OPTIONS[args[i]]) {
        expect(args[i + 1]).toBeDefined();
        expect(args[i + 1].startsWith('--')).toBe(false);
        i++;
      }
    }
    expect(new Set(args.filter((a) => a.startsWith('--'))).size).toBe(
      args.filter((a) => a.startsWith('--')).length,
    );
  });

  test('allows the Service DNS names (with and without a port) and the route host names', () => {
    const { server: s } = server({
      namespace: 'tracking',
      route: { gatewayName: 'internal', gatewayNamespace: 'gateway', hostnames: ['mlflow.example.com'] },
    });
    const hosts = s.serverArgs[s.serverArgs.indexOf('--allowed-hosts') + 1].split(',');
    for (const h of [
      'mlflow',
      'mlflow.tracking',
      'mlflow.tracking.svc',
      'mlflow.tracking.svc.cluster.local',
      'mlflow.example.com',
    ]) {
      expect(hosts).toContain(h);
      expect(hosts).toContain(`${h}:*`);
    }
    expect(hosts).not.toContain('*');
  });

  test('defaults: namespace mlflow, name mlflow, 2 replicas, 2 workers, READ, 500m CPU and 2Gi memory', () => {
    const { stack, server: s } = server();
    const json = synthJson(stack);
    const d = onlyResource(json, 'kubernetes_deployment_v1');
    expect(d.metadata.namespace).toBe('mlflow');
    expect(d.metadata.name).toBe('mlflow');
    expect(d.spec.replicas).toBe('2');
    const c = container(json);
    expect(c.args[c.args.indexOf('--workers') + 1]).toBe('2');
    expect(envOf(c).MLFLOW_AUTH_DEFAULT_PERMISSION).toBe('READ');
    expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '2Gi' }, limits: { memory: '2Gi' } });
    expect(s.trackingUri).toBe('http://mlflow.mlflow.svc.cluster.local:5000');
    expect(s.clientEnv()).toEqual({ MLFLOW_TRACKING_URI: s.trackingUri });
  });

  test('reads the database credentials from Secrets Manager and the admin from the Secret', () => {
    const { stack } = server({ defaultPermission: MlflowPermission.NO_PERMISSIONS });
    const env = envOf(container(synthJson(stack)));
    expect(env.MLFLOW_DB_CREDENTIALS).toBe('aws-secrets-manager');
    expect(env.MLFLOW_DB_SECRET_ARN).toBe(SECRET_ARN);
    expect(env.MLFLOW_DB_SECRET_REGION).toBe('us-east-1');
    expect(env.MLFLOW_DB_PORT).toBe('5432');
    expect(env.MLFLOW_DB_NAME).toBe('mlflow');
    expect(env.MLFLOW_AUTH_DB_NAME).toBe('mlflow_auth');
    expect(env.MLFLOW_AUTH_DEFAULT_PERMISSION).toBe('NO_PERMISSIONS');
    expect(env.MLFLOW_AUTH_ADMIN_PASSWORD).toEqual({
      secret_key_ref: { name: 'mlflow-admin', key: 'password' },
    });
    expect(env.MLFLOW_FLASK_SERVER_SECRET_KEY).toEqual({
      secret_key_ref: { name: 'mlflow-admin', key: 'flask-secret-key' },
    });
    expect(env.MLFLOW_DB_PASSWORD).toBeUndefined();
  });

  test('a Kubernetes Secret as the database credentials', () => {
    const { stack } = server({
      database: MlflowDatabase.kubernetesSecret({
        host: '10.20.0.3',
        secretName: 'mlflow-db',
        database: 'tracking',
      }),
    });
    const env = envOf(container(synthJson(stack)));
    expect(env.MLFLOW_DB_CREDENTIALS).toBe('environment');
    expect(env.MLFLOW_DB_NAME).toBe('tracking');
    expect(env.MLFLOW_DB_PASSWORD).toEqual({ secret_key_ref: { name: 'mlflow-db', key: 'password' } });
    expect(env.MLFLOW_DB_SECRET_ARN).toBeUndefined();
  });

  test('meets Pod Security restricted, probes /health and restarts after a rotation', () => {
    const { stack, server: s } = server();
    const json = synthJson(stack);
    const pod = onlyResource(json, 'kubernetes_deployment_v1').spec.template.spec;
    expect(s.podSecurityLevel).toBe('restricted');
    expect(pod.security_context).toMatchObject({
      run_as_non_root: true,
      run_as_user: '1000',
      seccomp_profile: { type: 'RuntimeDefault' },
    });
    const c = pod.container[0];
    expect(c.security_context).toEqual({
      allow_privilege_escalation: false,
      read_only_root_filesystem: true,
      run_as_non_root: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.readiness_probe.http_get).toEqual({ path: '/health', port: 'http' });
    expect(c.startup_probe.http_get).toEqual({ path: '/health', port: 'http' });
    expect(c.liveness_probe.exec.command).toEqual(['python3', '/opt/mlflow-launcher/launcher.py', '--check']);
    expect(pod.automount_service_account_token).toBe(false);
    expect(pod.service_account_name).toBe('mlflow');
  });

  test('a ClusterIP Service, a ServiceAccount, a disruption budget and the launcher ConfigMap', () => {
    const { stack } = server();
    const json = synthJson(stack);
    const svc = onlyResource(json, 'kubernetes_service_v1');
    expect(svc.spec.type).toBe('ClusterIP');
    expect(svc.spec.port).toEqual([{ name: 'http', port: 5000, target_port: 'http', protocol: 'TCP' }]);
    expect(onlyResource(json, 'kubernetes_service_account_v1').metadata.name).toBe('mlflow');
    expect(onlyResource(json, 'kubernetes_pod_disruption_budget_v1').spec.max_unavailable).toBe('1');
    expect(onlyResource(json, 'kubernetes_config_map_v1').data['launcher.py']).toBe(MLFLOW_LAUNCHER_PY);
    expect(resourcesOf(json, 'kubernetes_manifest')).toEqual({});
  });

  test('an HTTPRoute through the gateway when route is set', () => {
    const { stack } = server({
      route: { gatewayName: 'internal', gatewayNamespace: 'gateway', hostnames: ['mlflow.example.com'] },
    });
    const route = onlyResource(synthJson(stack), 'kubernetes_manifest').manifest;
    expect(route.kind).toBe('HTTPRoute');
    expect(route.spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'internal', namespace: 'gateway' },
    ]);
    expect(route.spec.hostnames).toEqual(['mlflow.example.com']);
    expect(route.spec.rules[0].backendRefs).toEqual([
      { group: '', kind: 'Service', name: 'mlflow', port: 5000 },
    ]);
  });

  test.each<[string, Partial<MlflowServerProps>, RegExp]>([
    [
      'artifactsDestination',
      { artifactsDestination: 'file:///tmp/artifacts' },
      /'artifactsDestination'.*s3:\/\/bucket/,
    ],
    ['adminSecretName', { adminSecretName: 'Admin_Secret' }, /'adminSecretName'/],
    [
      'defaultPermission',
      { defaultPermission: 'ALL' as MlflowPermission },
      /'defaultPermission' \('ALL'\) must be one of READ/,
    ],
    ['replicas', { replicas: 0 }, /'replicas' \(0\)/],
    ['workers', { workers: 64 }, /'workers' \(64\)/],
    ['namespace', { namespace: 'ML' }, /'namespace' \('ML'\)/],
    ['name', { name: '1mlflow' }, /'name' \('1mlflow'\)/],
    ['memory', { memory: 'lots' }, /'memory'/],
    [
      'route.hostnames empty',
      { route: { gatewayName: 'gw', gatewayNamespace: 'gateway', hostnames: [] } },
      /'route.hostnames' is empty/,
    ],
    [
      'route.hostnames wildcard',
      { route: { gatewayName: 'gw', gatewayNamespace: 'gateway', hostnames: ['*.example.com'] } },
      /'route.hostnames\[0\]'/,
    ],
    ['database type', { database: {} as MlflowDatabase }, /'database' must be an MlflowDatabase/],
    [
      'database.host',
      { database: MlflowDatabase.kubernetesSecret({ host: 'db host', secretName: 'db' }) },
      /'database.host' \('db host'\)/,
    ],
    [
      'database.port',
      { database: MlflowDatabase.kubernetesSecret({ host: 'db', port: 70000, secretName: 'db' }) },
      /'database.port' \(70000\)/,
    ],
    [
      'database.database',
      { database: MlflowDatabase.kubernetesSecret({ host: 'db', database: 'ML-flow', secretName: 'db' }) },
      /'database.database' \('ML-flow'\)/,
    ],
    [
      'database same auth db',
      {
        database: MlflowDatabase.kubernetesSecret({
          host: 'db',
          database: 'x',
          authDatabase: 'x',
          secretName: 'db',
        }),
      },
      /alembic_version/,
    ],
    [
      'database.secretArn',
      {
        database: MlflowDatabase.awsSecretsManager({
          host: 'db',
          secretArn: 'arn:aws:s3:::bucket',
          region: 'us-east-1',
        }),
      },
      /'database.secretArn'/,
    ],
    [
      'database.region',
      { database: MlflowDatabase.awsSecretsManager({ host: 'db', secretArn: SECRET_ARN, region: 'mars-1' }) },
      /'database.region'/,
    ],
    [
      'database.secretName',
      { database: MlflowDatabase.kubernetesSecret({ host: 'db', secretName: 'DB!' }) },
      /'database.secretName'/,
    ],
  ])('throws a ValidationError on a bad %s', (_what, props, message) => {
    expect(() => server(props)).toThrow(ValidationError);
    expect(() => server(props)).toThrow(message);
  });

  // The bucket part of the pattern refuses whitespace in every store; the prefix is an object key
  // (S3 and GCS keys may contain spaces), which MLflow's S3/GCS artifact repositories take from
  // urllib.parse.urlparse(...).path as is, and the launcher passes as one exec argument.
  test.each<[string, boolean]>([
    ['s3://acme-mlflow-artifacts/artifacts', true],
    ['gs://acme-mlflow-artifacts', true],
    ['s3://acme-mlflow-artifacts/team a/artifacts', true],
    ['gs://acme-mlflow-artifacts/team\ta', true],
    ['s3://acme mlflow/artifacts', false],
    ['s3://Acme-Mlflow/artifacts', false],
    ['s3://acme-mlflow-artifacts/a\nb', false],
    ['abfss://acme-mlflow-artifacts/artifacts', false],
  ])('artifactsDestination %j: accepted %s, as by WeightsSource.bucket and LoRA adapters', (uri, ok) => {
    expect(BUCKET_URI.test(uri)).toBe(ok);
    if (ok) {
      expect(server({ artifactsDestination: uri }).server.serverArgs).toContain(uri);
    } else {
      expect(() => server({ artifactsDestination: uri })).toThrow(
        /'artifactsDestination' .* must be an 's3:\/\/bucket\/prefix' or 'gs:\/\/bucket\/prefix' URI/,
      );
    }
  });
});

describe('the MLflow launcher', () => {
  const python = spawnSync('python3', ['--version']).status === 0;
  (python ? test : test.skip)('is valid Python 3 (parsed by the interpreter)', () => {
    const r = spawnSync('python3', ['-c', 'import ast, sys; ast.parse(sys.stdin.read())'], {
      input: MLFLOW_LAUNCHER_PY,
    });
    expect(r.stderr.toString()).toBe('');
    expect(r.status).toBe(0);
  });

  (python ? test : test.skip)(
    'writes a basic-auth file MLflow reads back (configparser with interpolation) and a URI with the password quoted',
    () => {
      // Runs the launcher's own functions: the URI quoting and the '%' doubling that MLflow's
      // read_auth_config (configparser.ConfigParser(), BasicInterpolation) undoes.
      const script = [
        'import configparser, os, sys, tempfile',
        'ns = {"__name__": "launcher"}',
        'exec(sys.stdin.read(), ns)',
        'd = tempfile.mkdtemp()',
        'ns["AUTH_INI"] = os.path.join(d, "basic_auth.ini")',
        'os.environ.update(MLFLOW_DB_HOST="db.internal", MLFLOW_DB_PORT="5432", MLFLOW_AUTH_DB_NAME="mlflow_auth",',
        '  MLFLOW_AUTH_DEFAULT_PERMISSION="READ", MLFLOW_AUTH_ADMIN_USERNAME="admin", MLFLOW_AUTH_ADMIN_PASSWORD="a%b:c")',
        'ns["write_auth_config"]("mlflow", "p@ss%w/rd:")',
        'c = configparser.ConfigParser()',
        'c.read(ns["AUTH_INI"])',
        'print(c["mlflow"]["database_uri"])',
        'print(c["mlflow"]["admin_password"])',
        'print(oct(os.stat(ns["AUTH_INI"]).st_mode & 0o777))',
      ].join('\n');
      const r = spawnSync('python3', ['-c', script], { input: MLFLOW_LAUNCHER_PY });
      expect(r.stderr.toString()).toBe('');
      expect(r.stdout.toString().trim().split('\n')).toEqual([
        'postgresql+psycopg2://mlflow:p%40ss%25w%2Frd%3A@db.internal:5432/mlflow_auth?sslmode=require',
        'a%b:c',
        '0o600',
      ]);
    },
  );

  test('reads the environment variables the construct sets', () => {
    const { stack } = server({
      database: MlflowDatabase.kubernetesSecret({ host: 'db', secretName: 'mlflow-db' }),
    });
    const env = Object.keys(envOf(container(synthJson(stack))));
    const read = [...MLFLOW_LAUNCHER_PY.matchAll(/os\.environ(?:\.get)?[[(]"([A-Z_]+)"/g)].map((m) => m[1]);
    const own = [
      'MLFLOW_DB_SECRET_ARN',
      'MLFLOW_DB_SECRET_REGION',
      'MLFLOW_DB_SSLMODE',
      'MLFLOW_BACKEND_STORE_URI',
      'MLFLOW_AUTH_CONFIG_PATH',
    ];
    for (const name of read.filter((n) => !own.includes(n))) {
      expect(env).toContain(name);
    }
  });
});

describe('TrainingJob tracking', () => {
  function job(tracking: any) {
    const { workloads } = platformAndWorkloads();
    new TrainingJob(workloads, 'Finetune', {
      image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
      command: ['torchrun', 'train.py'],
      nodes: 2,
      gpusPerNode: 8,
      accelerator: Accelerator.H100,
      namespace: 'training',
      checkpoint: { uri: 's3://ckpt/llama/' },
      tracking,
    });
    const js: any = (Object.values(resourcesOf(synthJson(workloads), 'kubernetes_manifest')) as any[])
      .map((m) => m.manifest)
      .find((m) => m.kind === 'JobSet');
    const c = js.spec.replicatedJobs[0].template.spec.template.spec.containers[0];
    return Object.fromEntries(c.env.map((e: any) => [e.name, e.value ?? e.valueFrom]));
  }

  test('gets MLFLOW_TRACKING_URI, the experiment (default the JobSet name) and the credentials', () => {
    const { server: s } = server();
    const env = job({ server: s, credentialsSecretName: 'mlflow-trainer' });
    expect(env.MLFLOW_TRACKING_URI).toBe('http://mlflow.mlflow.svc.cluster.local:5000');
    expect(env.MLFLOW_EXPERIMENT_NAME).toBe('finetune');
    expect(env.MLFLOW_TRACKING_PASSWORD).toEqual({
      secretKeyRef: { name: 'mlflow-trainer', key: 'password' },
    });
  });

  test('takes a SageMaker managed MLflow ARN as the tracking URI', () => {
    const arn = 'arn:aws:sagemaker:us-east-1:111122223333:mlflow-tracking-server/llm';
    const env = job({ server: { trackingUri: arn }, experimentName: 'llama-sft' });
    expect(env.MLFLOW_TRACKING_URI).toBe(arn);
    expect(env.MLFLOW_EXPERIMENT_NAME).toBe('llama-sft');
    expect(env.MLFLOW_TRACKING_USERNAME).toBeUndefined();
  });

  test('no MLflow environment by default', () => {
    expect(job(undefined).MLFLOW_TRACKING_URI).toBeUndefined();
  });

  test.each([
    [{ server: { trackingUri: 'mlflow:5000' } }, /'tracking.server.trackingUri'/],
    [
      { server: { trackingUri: 'http://mlflow:5000' }, experimentName: 'x'.repeat(501) },
      /'tracking.experimentName' must be 1 to 500/,
    ],
    [
      { server: { trackingUri: 'http://mlflow:5000' }, credentialsSecretName: 'Bad_Name' },
      /'tracking.credentialsSecretName'/,
    ],
  ])('throws a ValidationError on bad tracking %#', (tracking, message) => {
    expect(() => job(tracking)).toThrow(ValidationError);
    expect(() => job(tracking)).toThrow(message);
  });
});

describe('WeightsSource.mlflowModel', () => {
  const TRACKING = {
    server: { trackingUri: 'http://mlflow.mlflow.svc.cluster.local:5000' },
    credentialsSecretName: 'mlflow-reader',
  };
  function serve(weights: WeightsSource) {
    const { workloads } = platformAndWorkloads();
    new ModelServer(workloads, 'Llama8B', {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
      weights,
    });
    return workloads;
  }
  function podOf(stack: any) {
    return onlyResource(synthJson(stack), 'kubernetes_deployment_v1').spec.template.spec;
  }

  test('downloads a registered model version through the tracking server before the engine starts', () => {
    const pod = podOf(
      serve(WeightsSource.mlflowModel('models:/llama-3.1-8b-sft/3', { tracking: TRACKING, path: 'model' })),
    );
    const init = pod.init_container[0];
    expect(init.image).toBe(imageRef(IMAGES.mlflow));
    expect(init.command.slice(0, 2)).toEqual(['python3', '-c']);
    expect(init.command.slice(3)).toEqual(['models:/llama-3.1-8b-sft/3/model', '/models/weights/']);
    const env = Object.fromEntries(init.env.map((e: any) => [e.name, e.value ?? e.value_from]));
    expect(env.MLFLOW_TRACKING_URI).toBe('http://mlflow.mlflow.svc.cluster.local:5000');
    expect(env.MLFLOW_TRACKING_PASSWORD).toEqual({
      secret_key_ref: { name: 'mlflow-reader', key: 'password' },
    });
    expect(env.MLFLOW_EXPERIMENT_NAME).toBeUndefined();
    expect(pod.container[0].args[0]).toBe('/models/weights/model');
  });

  test('the root of the version when no path is given', () => {
    const pod = podOf(serve(WeightsSource.mlflowModel('models:/llama-3.1-8b-sft/3', { tracking: TRACKING })));
    expect(pod.init_container[0].command[3]).toBe('models:/llama-3.1-8b-sft/3');
    expect(pod.container[0].args[0]).toBe('/models/weights');
  });

  test('warns on an alias', () => {
    const stack = serve(
      WeightsSource.mlflowModel('models:/llama-3.1-8b-sft@champion', { tracking: TRACKING }),
    );
    expect(warningsOf(stack).join('\n')).toMatch(/k8s-mlflow-model-alias/);
  });

  test.each([
    ['runs:/abc/model', {}, /must be 'models:\/<name>\/<version>'/],
    ['models:/llama', {}, /must be 'models:\/<name>\/<version>'/],
    ['models:/llama/1', { path: '../secrets' }, /path '..\/secrets'/],
    [
      'models:/llama/1',
      { tracking: { server: { trackingUri: 'mlflow' } } },
      /'weights tracking.server.trackingUri'/,
    ],
  ])('throws a ValidationError on %s %j', (uri, extra, message) => {
    const w = WeightsSource.mlflowModel(uri, { tracking: TRACKING, ...(extra as object) });
    expect(() => serve(w)).toThrow(ValidationError);
    expect(() => serve(w)).toThrow(message);
  });
});
