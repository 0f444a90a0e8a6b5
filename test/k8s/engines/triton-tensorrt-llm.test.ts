import { Construct } from 'constructs';
import { Accelerator, ModelSpec, Quantization, sizeModel } from '../../../lib/core';
import {
  ModelServer,
  ModelServerProps,
  ServingEngine,
  TritonTensorRtLlmEngine,
  VolumeAccessMode,
  WeightsSource,
} from '../../../lib/k8s';
import { resourcesOf, synthJson } from '../../util';
import { platformAndWorkloads } from '../helpers';

/** Llama 3.1 70B FP8 on L40S: tensor parallel 2 (or more) by sizing. */
const PROPS: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_70B,
  quantization: Quantization.FP8,
  accelerator: Accelerator.L40S,
  engine: ServingEngine.TRITON_TENSORRT_LLM,
  weights: WeightsSource.volume('trtllm-repo', { accessMode: VolumeAccessMode.READ_ONLY_MANY }),
};

function serve(props: Partial<ModelServerProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const server = new ModelServer(workloads, 'Llama70B', { ...PROPS, ...props });
  const json = synthJson(workloads);
  const deployment: any = Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0];
  return { server, deployment, container: deployment.spec.template.spec.container[0] };
}

/** The per-rank segments of `mpirun -n 1 a ... : -n 1 b ...`. */
function ranks(args: string[]): string[][] {
  const out: string[][] = [[]];
  for (const a of args) {
    if (a === ':') out.push([]);
    else out[out.length - 1].push(a);
  }
  return out;
}

describe('Triton + TensorRT-LLM on more than one GPU', () => {
  test('runs one tritonserver per GPU under mpirun, in leader mode', () => {
    const { container, server } = serve();
    const world = server.sizing.gpusPerReplica;
    expect(world).toBeGreaterThan(1);
    expect(container.command).toEqual(['mpirun']);
    expect(container.resources.limits['nvidia.com/gpu']).toBe(String(world));
    const segments = ranks(container.args);
    expect(segments).toHaveLength(world);
    segments.forEach((seg, rank) => {
      expect(seg.slice(0, 3)).toEqual(['-n', '1', 'tritonserver']);
      expect(seg).toEqual(
        expect.arrayContaining([
          '--model-repository=/models/weights',
          '--http-port=8000',
          '--grpc-port=8001',
          '--metrics-port=8002',
          '--disable-auto-complete-config',
          `--backend-config=python,shm-region-prefix-name=prefix${rank}_`,
        ]),
      );
      if (rank === 0) {
        expect(seg).not.toContain('--model-control-mode=explicit');
      } else {
        expect(seg).toEqual(
          expect.arrayContaining(['--model-control-mode=explicit', '--load-model=tensorrt_llm']),
        );
      }
    });
    expect(container.args).not.toContain('--allow-run-as-root');
  });

  test('one GPU keeps the plain tritonserver command', () => {
    const { container } = serve({
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.AWQ,
      accelerator: Accelerator.L4,
    });
    expect(container.command).toEqual(['tritonserver']);
    expect(container.args).not.toContain('--disable-auto-complete-config');
  });

  test('engines built TP x PP matching the GPUs are accepted (world size = TP x PP = GPUs)', () => {
    const gpus = serve().server.sizing.gpusPerReplica;
    const engine = ServingEngine.tritonTensorRtLlm({ tensorParallelSize: gpus / 2, pipelineParallelSize: 2 });
    const { container } = serve({ engine });
    expect(ranks(container.args)).toHaveLength(gpus);
  });

  test('defaults: TP from sizing, PP 1', () => {
    const s = sizeModel({
      model: PROPS.model,
      quantization: PROPS.quantization,
      accelerator: PROPS.accelerator,
    });
    expect(new TritonTensorRtLlmEngine().worldSize(s)).toBe(s.tensorParallelSize);
  });

  test('throws when the world size differs from the GPUs of a replica', () => {
    const gpus = serve().server.sizing.gpusPerReplica;
    expect(() =>
      serve({ engine: ServingEngine.tritonTensorRtLlm({ tensorParallelSize: gpus * 2 }) }),
    ).toThrow(
      new RegExp(
        `Llama70B: 'engine' TensorRT-LLM engines built for tensor parallel ${gpus * 2} x pipeline parallel 1 = ${gpus * 2} GPUs, .*` +
          `gives each replica ${gpus} GPU\\(s\\).*Rebuild the engines with tp_size x pp_size = ${gpus}`,
      ),
    );
    expect(() =>
      serve({
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.AWQ,
        accelerator: Accelerator.L4,
        engine: ServingEngine.tritonTensorRtLlm({ pipelineParallelSize: 2 }),
      }),
    ).toThrow(/= 2 GPUs, but the sizing .* gives each replica 1 GPU\(s\)/);
  });

  test.each([0, 1.5, 65, NaN])('throws for tensorParallelSize %p', (tp) => {
    expect(() => serve({ engine: ServingEngine.tritonTensorRtLlm({ tensorParallelSize: tp }) })).toThrow(
      /ServingEngine.tritonTensorRtLlm\(\{ tensorParallelSize: .* \}\): must be an integer from 1 to 64, the tp_size/,
    );
  });

  test('throws for pipelineParallelSize 0', () => {
    expect(() => serve({ engine: ServingEngine.tritonTensorRtLlm({ pipelineParallelSize: 0 }) })).toThrow(
      /pipelineParallelSize: 0 \}\): must be an integer from 1 to 64, the pp_size/,
    );
  });

  test('throws for a replica that spans nodes', () => {
    const sizing = sizeModel({
      model: PROPS.model,
      quantization: PROPS.quantization,
      accelerator: PROPS.accelerator,
    });
    expect(() =>
      ServingEngine.TRITON_TENSORRT_LLM.validate(new Construct(undefined as any, 'Scope'), {
        model: PROPS.model,
        quantization: PROPS.quantization,
        accelerator: PROPS.accelerator,
        sizing: { ...sizing, nodesPerReplica: 2 },
      }),
    ).toThrow(
      /spans 2 nodes per replica; this construct runs Triton \+ TensorRT-LLM with MPI inside one pod/,
    );
  });
});

test('extraArgs reach every rank under mpirun, and the single command line once', () => {
  const { container } = serve({ extraArgs: ['--log-verbose=1'] });
  const segments = ranks(container.args);
  expect(segments.length).toBeGreaterThan(1);
  for (const seg of segments) {
    expect(seg[seg.length - 1]).toBe('--log-verbose=1');
  }
  expect(container.args.filter((a: string) => a === '--log-verbose=1')).toHaveLength(segments.length);
  const one = serve({
    model: ModelSpec.LLAMA_3_1_8B,
    quantization: Quantization.AWQ,
    accelerator: Accelerator.L4,
    extraArgs: ['--log-verbose=1'],
  }).container;
  expect(one.args.slice(-1)).toEqual(['--log-verbose=1']);
  expect(one.args.filter((a: string) => a === '--log-verbose=1')).toHaveLength(1);
});

test('extraArgs repeating a flag the library renders are still refused under mpirun', () => {
  expect(() => serve({ extraArgs: ['--http-port=9000'] })).toThrow(/'extraArgs' repeats --http-port/);
});
