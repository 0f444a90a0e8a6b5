import { Construct } from 'constructs';
import { Accelerator, ModelSpec, Quantization, VALIDATION_CODES, ValidationError } from '../../lib/core';
import {
  GatewayImplementation,
  InferenceGatewayPlatform,
  InferencePool,
  LlamaCppServer,
  MlflowDatabase,
  MlflowServer,
  ModelServer,
  ModelServerBackend,
  MpiJob,
  NcclTest,
  SlurmCluster,
  StandaloneInferencePool,
  TrainingJob,
  WeightsSource,
} from '../../lib/k8s';
import { platformAndWorkloads } from './helpers';

// Values of the wrong JavaScript type or shape that the property suite (test/properties) found
// crashing with a TypeError or synthesizing what the API server rejects: each is now a
// ValidationError naming the prop.

const SERVER = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
};
const LLAMA_CPP = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.GGUF_Q4_K_M,
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-gguf/'),
  ggufFile: 'Llama-3.1-8B-Instruct-Q4_K_M.gguf',
};
const TRAINING = {
  image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
  command: ['torchrun', 'train.py'],
  nodes: 2,
  gpusPerNode: 8,
  accelerator: Accelerator.H100,
  checkpoint: { uri: 's3://ckpt/llama/' },
};
const MPI = {
  image: 'registry.example.com/ds-train:2026.12.1',
  command: ['deepspeed', 'train.py'],
  workers: 2,
  gpusPerWorker: 8,
  accelerator: Accelerator.H100,
};
const MLFLOW = {
  database: MlflowDatabase.kubernetesSecret({ host: '10.20.0.3', secretName: 'mlflow-db' }),
  artifactsDestination: 'gs://acme-mlflow/artifacts',
  adminSecretName: 'mlflow-admin',
};

function gateway() {
  const { platform, workloads } = platformAndWorkloads();
  const gatewayPlatform = new InferenceGatewayPlatform(platform, 'InferenceGateway', {
    implementation: GatewayImplementation.istio(),
  });
  const server = new ModelServer(workloads, 'Llama8B', { ...SERVER, namespace: 'llm' });
  return { workloads, gatewayPlatform, backend: ModelServerBackend.of(server) };
}

/** The ValidationError `make` throws in a fresh workloads stack. */
function errorOf(make: (scope: Construct) => void): ValidationError {
  try {
    make(platformAndWorkloads().workloads);
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw e;
  }
  throw new Error('no error');
}

const NOT_AN_OBJECT = 'x' as any;

describe('hostile prop types are ValidationErrors', () => {
  test.each<[string, (s: Construct) => void, RegExp, string]>([
    [
      'ModelServer model null',
      (s) => new ModelServer(s, 'M', { ...SERVER, model: null as any }),
      /'model' \(null\) must be a ModelSpec, for example ModelSpec.LLAMA_3_1_8B/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'ModelServer image not an ImageVersion',
      (s) => new ModelServer(s, 'M', { ...SERVER, image: NOT_AN_OBJECT }),
      /'image' must be an object, got a string/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'ModelServer image with a numeric tag',
      (s) => new ModelServer(s, 'M', { ...SERVER, image: { repository: 'vllm/vllm-openai', tag: 1 as any } }),
      /'image.tag' must be a string/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'ModelServer tolerations not an array',
      (s) => new ModelServer(s, 'M', { ...SERVER, tolerations: 42 as any }),
      /'tolerations' must be an array/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'LlamaCppServer model not a ModelSpec',
      (s) => new LlamaCppServer(s, 'L', { ...LLAMA_CPP, model: {} as any }),
      /'model' \(an object\) must be a ModelSpec/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'LlamaCppServer weights not a WeightsSource',
      (s) => new LlamaCppServer(s, 'L', { ...LLAMA_CPP, weights: NOT_AN_OBJECT }),
      /'weights' \('x'\) must be a WeightsSource/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'LlamaCppServer engine not a LlamaCppEngine',
      (s) => new LlamaCppServer(s, 'L', { ...LLAMA_CPP, engine: {} as any }),
      /'engine' \(an object\) must be a LlamaCppEngine/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'LlamaCppServer image not an ImageVersion',
      (s) => new LlamaCppServer(s, 'L', { ...LLAMA_CPP, image: 42 as any }),
      /'image' must be an object, got a number/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'LlamaCppServer tolerations not an array',
      (s) => new LlamaCppServer(s, 'L', { ...LLAMA_CPP, tolerations: {} as any }),
      /'tolerations' must be an array/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'MlflowServer image not an ImageVersion',
      (s) => new MlflowServer(s, 'F', { ...MLFLOW, image: NOT_AN_OBJECT }),
      /'image' must be an object/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'TrainingJob tolerations not an array',
      (s) => new TrainingJob(s, 'T', { ...TRAINING, tolerations: 42 as any }),
      /'tolerations' must be an array/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'TrainingJob env name with a space',
      (s) => new TrainingJob(s, 'T', { ...TRAINING, env: { 'A B': 'x' } }),
      /'env key "A B"' \('A B'\) is not a valid environment variable name/,
      VALIDATION_CODES.K8S_ENV_NAME,
    ],
    [
      'TrainingJob env a string',
      (s) => new TrainingJob(s, 'T', { ...TRAINING, env: NOT_AN_OBJECT }),
      /'env' must be an object of string keys and string values/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'ModelServer env name with a slash',
      (s) => new ModelServer(s, 'M', { ...SERVER, env: { 'a/b': 'x' } }),
      /is not a valid environment variable name/,
      VALIDATION_CODES.K8S_ENV_NAME,
    ],
    [
      'MpiJob tolerations not an array',
      (s) => new MpiJob(s, 'J', { ...MPI, tolerations: {} as any }),
      /'tolerations' must be an array/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'NcclTest tolerations not an array',
      (s) =>
        new NcclTest(s, 'N', {
          image: 'registry.example.com/nccl-tests:2.27.7-efa',
          workers: 2,
          gpusPerWorker: 8,
          accelerator: Accelerator.H100,
          minBusBandwidthGBps: 300,
          tolerations: 'x' as any,
        }),
      /'tolerations' must be an array/,
      VALIDATION_CODES.TYPE,
    ],
    [
      'SlurmCluster.addNodeSet tolerations not an array',
      (s) =>
        new SlurmCluster(s, 'Slurm').addNodeSet('H100', {
          accelerator: Accelerator.H100,
          replicas: 2,
          gpusPerNode: 8,
          tolerations: NOT_AN_OBJECT,
        }),
      /'tolerations' must be an array/,
      VALIDATION_CODES.TYPE,
    ],
  ])('%s', (_name, make, message, code) => {
    const e = errorOf(make);
    expect(e.message).toMatch(message);
    expect(e.code).toBe(code);
  });

  test.each([
    ['InferencePool', 'a string', NOT_AN_OBJECT],
    ['InferencePool', 'a plain object', {}],
    ['StandaloneInferencePool', 'a number', 42],
    ['StandaloneInferencePool', 'a plain object', {}],
  ])('%s schedulingProfile %s', (kind, _what, schedulingProfile) => {
    const { workloads, gatewayPlatform, backend } = gateway();
    const make = () =>
      kind === 'InferencePool'
        ? new InferencePool(workloads, 'Pool', { backend, platform: gatewayPlatform, schedulingProfile })
        : new StandaloneInferencePool(workloads, 'Router', { backend, schedulingProfile });
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(
      /'schedulingProfile' \(\w+\) must be a SchedulingProfile: SchedulingProfile.of/,
    );
    expect((error as ValidationError).code).toBe(VALIDATION_CODES.TYPE);
  });
});
