import { Accelerator, ModelSpec, Quantization } from '../../lib/core';
import {
  ModelServer,
  ModelServerProps,
  POD_SECURITY_VERSION,
  PodSecurityLevel,
  ServingEngine,
  TrainingJob,
  TrainingJobProps,
  VolumeAccessMode,
  WeightsSource,
  podSecurityLabels,
} from '../../lib/k8s';
import { Testing } from 'cdktf';
import { synthJson } from '../util';
import { clusterStack, warningsOf } from './helpers';
import { podSpecsOf, providerPodSpecToApi, restrictedViolations } from './pod-security-standards';

/** A pod spec that meets every rule. */
function compliant(): any {
  return {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [
      {
        name: 'app',
        image: 'example/app:1.0.0',
        securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      },
    ],
    volumes: [{ name: 'tmp', emptyDir: {} }],
  };
}

describe('the Pod Security Standards checker (test helper)', () => {
  test('passes a compliant pod', () => {
    expect(restrictedViolations(compliant())).toEqual([]);
  });

  const c0 = (s: any) => s.containers[0];
  test.each<[string, (s: any) => void]>([
    ['B1', (s) => (s.securityContext.windowsOptions = { hostProcess: true })],
    ['B2', (s) => (s.hostNetwork = true)],
    ['B2', (s) => (s.hostPID = true)],
    ['B2', (s) => (s.hostIPC = true)],
    ['B3', (s) => (c0(s).securityContext.privileged = true)],
    ['B4', (s) => (c0(s).securityContext.capabilities.add = ['SYS_ADMIN'])],
    ['B4', (s) => (c0(s).securityContext.capabilities.add = ['IPC_LOCK'])],
    ['B5', (s) => s.volumes.push({ name: 'host', hostPath: { path: '/var' } })],
    ['B6', (s) => (c0(s).ports = [{ containerPort: 80, hostPort: 80 }])],
    ['B7', (s) => (c0(s).securityContext.appArmorProfile = { type: 'Unconfined' })],
    ['B8', (s) => (c0(s).securityContext.seLinuxOptions = { type: 'spc_t' })],
    ['B8', (s) => (s.securityContext.seLinuxOptions = { user: 'system_u' })],
    ['B9', (s) => (c0(s).securityContext.procMount = 'Unmasked')],
    ['B10', (s) => (c0(s).securityContext.seccompProfile = { type: 'Unconfined' })],
    ['B11', (s) => (s.securityContext.sysctls = [{ name: 'kernel.msgmax', value: '1' }])],
    ['R1', (s) => s.volumes.push({ name: 'nfs', nfs: { server: 'x', path: '/' } })],
    ['R2', (s) => delete c0(s).securityContext.allowPrivilegeEscalation],
    ['R3', (s) => delete s.securityContext.runAsNonRoot],
    ['R3', (s) => (c0(s).securityContext.runAsNonRoot = false)],
    ['R4', (s) => (c0(s).securityContext.runAsUser = 0)],
    ['R5', (s) => delete s.securityContext.seccompProfile],
    ['R6', (s) => (c0(s).securityContext.capabilities.drop = [])],
    ['R6', (s) => (c0(s).securityContext.capabilities.add = ['CHOWN'])],
    [
      'R2',
      (s) =>
        s.containers.push({
          name: 'init',
          image: 'x/y:1',
          securityContext: { capabilities: { drop: ['ALL'] } },
        }),
    ],
  ])('flags rule %s', (rule, mutate) => {
    const spec = compliant();
    mutate(spec);
    expect(restrictedViolations(spec).some((v) => v.startsWith(`${rule} `))).toBe(true);
  });

  test('reads the kubernetes provider shape', () => {
    const api = providerPodSpecToApi({
      security_context: [{ run_as_user: '0', run_as_non_root: true }],
      container: [{ name: 'a', image: 'x/y:1', volume_mount: [] }],
    });
    expect(api.securityContext.runAsUser).toBe(0);
    expect(api.containers[0].image).toBe('x/y:1');
    expect(restrictedViolations(api)).toContain('R4 pod: runAsUser 0');
  });
});

const SERVER: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
};

function testStack() {
  return { stack: clusterStack(Testing.app(), 'workloads') };
}

function serverPods(props: Partial<ModelServerProps>) {
  const { stack } = testStack();
  const server = new ModelServer(stack, 'Llama8B', { ...SERVER, ...props });
  const pods = podSpecsOf(synthJson(stack));
  expect(pods).toHaveLength(1);
  return { server, spec: pods[0].spec };
}

describe('ModelServer pods meet Pod Security "restricted"', () => {
  test.each<[string, Partial<ModelServerProps>]>([
    ['vLLM streaming from s3://', {}],
    ['vLLM with a gs:// init container', { weights: WeightsSource.bucket('gs://models/llama/') }],
    [
      'vLLM from Hugging Face',
      { weights: WeightsSource.huggingFace('org/model', { tokenSecret: { name: 'hf', key: 't' } }) },
    ],
    [
      'vLLM from a claim',
      { weights: WeightsSource.volume('models', { accessMode: VolumeAccessMode.READ_ONLY_MANY }) },
    ],
    ['Triton + TensorRT-LLM', { engine: ServingEngine.TRITON_TENSORRT_LLM, quantization: Quantization.FP8 }],
  ])('%s', (_name, props) => {
    const { server, spec } = serverPods(props);
    expect(restrictedViolations(spec)).toEqual([]);
    expect(server.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
  });

  test('vLLM runs as the image user vllm (UID 2000, GID 0) with HOME and USER set', () => {
    const { spec } = serverPods({});
    expect(spec.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 2000,
      runAsGroup: 0,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    const c = spec.containers[0];
    expect(c.env.slice(0, 2)).toEqual([
      { name: 'HOME', value: '/home/vllm' },
      { name: 'USER', value: 'vllm' },
    ]);
  });

  test('vLLM has a read-only root filesystem with emptyDirs at HOME and /tmp', () => {
    const { spec } = serverPods({});
    const c = spec.containers[0];
    expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(c.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'home', mountPath: '/home/vllm' },
        { name: 'tmp', mountPath: '/tmp' },
      ]),
    );
    expect(spec.volumes).toEqual(
      expect.arrayContaining([
        { name: 'home', emptyDir: {} },
        { name: 'tmp', emptyDir: {} },
      ]),
    );
  });

  test('the read-only root filesystem can be turned off', () => {
    const { spec } = serverPods({ readOnlyRootFilesystem: false });
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
  });

  test('Triton runs as the image user triton-server (UID 1000, GID 1000)', () => {
    const { spec } = serverPods({
      engine: ServingEngine.TRITON_TENSORRT_LLM,
      quantization: Quantization.FP8,
    });
    expect(spec.securityContext.runAsUser).toBe(1000);
    expect(spec.securityContext.runAsGroup).toBe(1000);
    expect(spec.containers[0].env).toContainEqual({ name: 'HOME', value: '/home/triton-server' });
    expect(spec.containers[0].env).toContainEqual({ name: 'USER', value: 'triton-server' });
  });

  test('the init container gets the same security context, HOME and memory limit', () => {
    const { spec } = serverPods({ weights: WeightsSource.bucket('gs://models/llama/') });
    const init = spec.initContainers[0];
    expect(init.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
    });
    expect(init.env).toContainEqual({ name: 'HOME', value: '/home/vllm' });
    expect(init.volumeMounts).toContainEqual({ name: 'tmp', mountPath: '/tmp' });
    expect(init.resources.limits.memory).toBe('4Gi');
    // gcloud's parallelism is bounded so the copy fits the limit on a many-vCPU GPU node.
    expect(init.env).toEqual(
      expect.arrayContaining([
        { name: 'CLOUDSDK_STORAGE_PROCESS_COUNT', value: '4' },
        { name: 'CLOUDSDK_STORAGE_THREAD_COUNT', value: '8' },
      ]),
    );
  });

  test('every container has a memory limit; the server limit adds /dev/shm to the request', () => {
    const { spec } = serverPods({ weights: WeightsSource.bucket('gs://models/llama/') });
    for (const c of [...spec.containers, ...spec.initContainers]) {
      expect(c.resources.limits.memory).toMatch(/^\d+Gi$/);
    }
    expect(spec.containers[0].resources.requests.memory).toBe('16Gi');
    expect(spec.containers[0].resources.limits.memory).toBe('18Gi');
  });

  test('a user env var replaces the default HOME instead of duplicating it', () => {
    const { spec } = serverPods({ env: { HOME: '/data/home' } });
    const homes = spec.containers[0].env.filter((e: any) => e.name === 'HOME');
    expect(homes).toEqual([{ name: 'HOME', value: '/data/home' }]);
  });
});

const JOB: TrainingJobProps = {
  image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
  command: ['torchrun', 'train.py'],
  nodes: 2,
  gpusPerNode: 8,
  accelerator: Accelerator.H100,
  checkpoint: { uri: 's3://ckpt/run/' },
};

function jobPods(props: Partial<TrainingJobProps>) {
  const { stack } = testStack();
  const job = new TrainingJob(stack, 'Train', { ...JOB, ...props });
  const pods = podSpecsOf(synthJson(stack));
  expect(pods).toHaveLength(1);
  return { job, spec: pods[0].spec };
}

describe('TrainingJob pods', () => {
  test('meet "restricted" without a fabric', () => {
    const { job, spec } = jobPods({});
    expect(restrictedViolations(spec)).toEqual([]);
    expect(job.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
  });

  test('run as UID 1000 by default with HOME and USER, and a writable root filesystem', () => {
    const { spec } = jobPods({});
    expect(spec.securityContext.runAsUser).toBe(1000);
    expect(spec.containers[0].env).toContainEqual({ name: 'HOME', value: '/home/trainer' });
    expect(spec.containers[0].env).toContainEqual({ name: 'USER', value: 'trainer' });
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
  });

  test('runAsUser and readOnlyRootFilesystem can be set', () => {
    const { spec } = jobPods({ runAsUser: 1001, readOnlyRootFilesystem: true });
    expect(spec.securityContext.runAsUser).toBe(1001);
    expect(spec.securityContext.runAsGroup).toBe(1001);
    expect(spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test.each([-1, 1.5, 2 ** 31])('throws on runAsUser %p', (uid) => {
    expect(() => jobPods({ runAsUser: uid })).toThrow(/'runAsUser' \(.*\) must be an integer from 0/);
  });

  test('runAsUser 0 without a fabric is refused', () => {
    expect(() => jobPods({ runAsUser: 0 })).toThrow(/'runAsUser' 0 \(root\) is only for RDMA or EFA pods/);
  });

  test('runAsUser 0 with a fabric runs as root with IPC_LOCK, warns, and is privileged level', () => {
    const { stack } = testStack();
    const job = new TrainingJob(stack, 'Train', {
      ...JOB,
      runAsUser: 0,
      extraResourcesPerNode: { 'rdma/ib': 8 },
    });
    const [pod] = podSpecsOf(synthJson(stack));
    expect(pod.spec.securityContext).toMatchObject({ runAsNonRoot: false, runAsUser: 0 });
    expect(pod.spec.containers[0].securityContext).toMatchObject({
      runAsNonRoot: false,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'], add: ['IPC_LOCK'] },
    });
    expect(job.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    expect(warningsOf(stack).join('\n')).toMatch(/k8s-training-runs-as-root/);
  });

  test.each<Record<string, number>>([{ 'vpc.amazonaws.com/efa': 32 }, { 'rdma/ib': 8 }])(
    'with a fabric (%p) add only IPC_LOCK and meet "privileged" (IPC_LOCK is outside Baseline)',
    (extraResourcesPerNode) => {
      const { job, spec } = jobPods({ extraResourcesPerNode });
      expect(restrictedViolations(spec)).toEqual(['B4 containers[trainer]: adds IPC_LOCK']);
      expect(restrictedViolations(spec, { allowCapabilities: ['IPC_LOCK'] })).toEqual([]);
      expect(job.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    },
  );
});

describe('nodeSelector has one meaning in ModelServer and TrainingJob', () => {
  const selector = { 'cdktf-ai-infra/accelerator': 'h100-custom', pool: 'a' };
  test('both merge the given keys over the accelerator default', () => {
    const server = serverPods({ accelerator: Accelerator.H100, nodeSelector: selector }).spec.nodeSelector;
    const job = jobPods({ nodeSelector: selector }).spec.nodeSelector;
    expect(server).toEqual(selector);
    expect(job).toEqual(selector);
    const serverAdd = serverPods({ accelerator: Accelerator.H100, nodeSelector: { pool: 'a' } }).spec
      .nodeSelector;
    const jobAdd = jobPods({ nodeSelector: { pool: 'a' } }).spec.nodeSelector;
    expect(serverAdd).toEqual({ 'cdktf-ai-infra/accelerator': 'h100', pool: 'a' });
    expect(jobAdd).toEqual(serverAdd);
  });
});

describe('podSecurityLabels', () => {
  test('enforces, audits and warns at the level with the pinned version', () => {
    expect(podSecurityLabels(PodSecurityLevel.RESTRICTED)).toEqual({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': POD_SECURITY_VERSION,
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/audit-version': POD_SECURITY_VERSION,
      'pod-security.kubernetes.io/warn': 'restricted',
      'pod-security.kubernetes.io/warn-version': POD_SECURITY_VERSION,
    });
    expect(POD_SECURITY_VERSION).toMatch(/^v1\.\d+$/);
  });
});
