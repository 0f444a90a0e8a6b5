import {
  Accelerator,
  ModelSpec,
  Quantization,
  ValidationError,
  loraSlotBytesPerGpu,
  sizeModel,
} from '../../lib/core';
import {
  GatewayImplementation,
  IMAGES,
  InferenceGateway,
  InferenceGatewayPlatform,
  InferencePool,
  LoraAdapter,
  ModelServer,
  ModelServerBackend,
  ModelServerProps,
  ServingEngine,
  WeightsSource,
  imageRef,
} from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

const BASE: ModelServerProps = {
  model: ModelSpec.LLAMA_3_1_8B,
  quantization: Quantization.AWQ,
  accelerator: Accelerator.L4,
  weights: WeightsSource.bucket('s3://models/llama-3.1-8b-awq/'),
};

const SUPPORT = LoraAdapter.fromBucket('llama-support', 's3://acme-models/lora/support/', { rank: 16 });
const SQL = LoraAdapter.fromHuggingFace('llama-sql', 'acme/llama-sql-lora', { rank: 8, revision: 'abc123' });
const LEGAL = LoraAdapter.fromVolume('llama-legal', 'lora-claim', { rank: 32, path: '/legal/v2/' });
const GCS = LoraAdapter.fromBucket('llama-gcs', 'gs://acme-models/lora/gcs', { rank: 8 });

function serve(props: Partial<ModelServerProps> = {}) {
  const { workloads } = platformAndWorkloads();
  const server = new ModelServer(workloads, 'Llama8B', { ...BASE, ...props });
  const json = synthJson(workloads);
  const deployment = Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0] as any;
  const spec = deployment.spec.template.spec;
  return { server, workloads, json, spec, container: spec.container[0], inits: spec.init_container ?? [] };
}

describe('ModelServer LoRA adapters', () => {
  test('vLLM flags: --enable-lora, slots, rank, one --lora-modules per adapter at /models/lora/<name>', () => {
    const { container } = serve({ loraAdapters: [SUPPORT, SQL] });
    const args: string[] = container.args;
    const at = args.indexOf('--enable-lora');
    expect(at).toBeGreaterThan(0);
    expect(args.slice(at)).toEqual([
      '--enable-lora',
      '--max-loras',
      '2',
      '--max-lora-rank',
      '16',
      '--lora-modules',
      'llama-support=/models/lora/llama-support',
      'llama-sql=/models/lora/llama-sql',
    ]);
  });

  test('defaults to no LoRA flags, volumes or init containers', () => {
    const { container, inits, server } = serve();
    expect(container.args).not.toContain('--enable-lora');
    expect(inits).toEqual([]);
    expect(server.loraAdapterNames).toEqual([]);
    expect(server.sizing.loraSlotsPerGpuGiB).toBe(0);
  });

  test('fewer GPU slots than adapters: --max-cpu-loras keeps every adapter in the CPU cache, with a warning', () => {
    const { container, workloads } = serve({ loraAdapters: [SUPPORT, SQL, GCS], maxLoras: 1 });
    const args: string[] = container.args;
    expect(args.slice(args.indexOf('--max-loras'), args.indexOf('--lora-modules'))).toEqual([
      '--max-loras',
      '1',
      '--max-lora-rank',
      '16',
      '--max-cpu-loras',
      '3',
    ]);
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-lora-slots-shared/);
  });

  test('every pod fetches its adapters before the engine starts: bucket (S3, GCS) and Hugging Face init containers, volume mounts', () => {
    const { inits, container, spec } = serve({
      loraAdapters: [SUPPORT, SQL, LEGAL, GCS],
      weights: WeightsSource.huggingFace('hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4', {
        tokenSecret: { name: 'hf-token', key: 'token' },
      }),
    });
    expect(inits.map((c: any) => c.name)).toEqual(['fetch-lora-0', 'fetch-lora-1', 'fetch-lora-3']);
    const [s3, hf, gcs] = inits;
    expect(s3.image).toBe(imageRef(IMAGES.awsCli));
    expect(s3.command).toEqual([
      'aws',
      's3',
      'sync',
      '--only-show-errors',
      's3://acme-models/lora/support/',
      '/models/lora/llama-support/',
    ]);
    expect(gcs.image).toBe(imageRef(IMAGES.googleCloudCli));
    expect(gcs.command).toEqual([
      'gcloud',
      'storage',
      'rsync',
      '--recursive',
      'gs://acme-models/lora/gcs/',
      '/models/lora/llama-gcs/',
    ]);
    // Hugging Face: the engine image (already on the node), pinned revision, the weights' token.
    expect(hf.image).toBe(imageRef(IMAGES.vllm));
    expect(hf.command.slice(0, 2)).toEqual(['python3', '-c']);
    expect(hf.command[2]).toMatch(
      /snapshot_download\(repo_id=sys.argv\[1\], revision=sys.argv\[2\] or None, local_dir=sys.argv\[3\]\)/,
    );
    expect(hf.command.slice(3)).toEqual(['acme/llama-sql-lora', 'abc123', '/models/lora/llama-sql']);
    expect(hf.env).toContainEqual({
      name: 'HF_TOKEN',
      value_from: { secret_key_ref: { name: 'hf-token', key: 'token' } },
    });
    // Restricted: non-root, no escalation, all capabilities dropped, read-only root filesystem.
    for (const c of inits) {
      expect(c.security_context).toMatchObject({
        allow_privilege_escalation: false,
        capabilities: { drop: ['ALL'] },
        read_only_root_filesystem: true,
        run_as_non_root: true,
      });
      expect(c.volume_mount).toContainEqual({ name: 'lora-adapters', mount_path: '/models/lora' });
    }
    // The server reads each adapter read-only from its own directory.
    expect(container.volume_mount).toEqual(
      expect.arrayContaining([
        {
          name: 'lora-adapters',
          mount_path: '/models/lora/llama-support',
          read_only: true,
          sub_path: 'llama-support',
        },
        {
          name: 'lora-adapters',
          mount_path: '/models/lora/llama-sql',
          read_only: true,
          sub_path: 'llama-sql',
        },
        {
          name: 'lora-claim-2',
          mount_path: '/models/lora/llama-legal',
          read_only: true,
          sub_path: 'legal/v2',
        },
      ]),
    );
    expect(spec.volume).toEqual(
      expect.arrayContaining([
        { name: 'lora-adapters', empty_dir: { size_limit: '2Gi' } },
        { name: 'lora-claim-2', persistent_volume_claim: { claim_name: 'lora-claim', read_only: true } },
      ]),
    );
  });

  test("an adapter's own tokenSecret wins over the weights' token; without either no HF_TOKEN", () => {
    const own = LoraAdapter.fromHuggingFace('own', 'acme/own', {
      rank: 8,
      tokenSecret: { name: 'lora-token', key: 'hf' },
    });
    const { inits } = serve({ loraAdapters: [own, SQL] });
    expect(inits[0].env).toContainEqual({
      name: 'HF_TOKEN',
      value_from: { secret_key_ref: { name: 'lora-token', key: 'hf' } },
    });
    expect(inits[1].env.map((e: any) => e.name)).not.toContain('HF_TOKEN');
  });

  test('the LoRA slots come out of the KV cache, and the CPU adapter cache is added to the memory request', () => {
    const without = serve();
    const withLora = serve({ loraAdapters: [SUPPORT, SQL] });
    const slot = loraSlotBytesPerGpu(ModelSpec.LLAMA_3_1_8B, 1, 16) / 1024 ** 3;
    expect(withLora.server.sizing.loraSlotsPerGpuGiB).toBeCloseTo(2 * slot, 6);
    expect(without.server.sizing.kvCachePerGpuGiB - withLora.server.sizing.kvCachePerGpuGiB).toBeCloseTo(
      2 * slot,
      6,
    );
    expect(withLora.server.sizing.explanation.join('\n')).toMatch(/0\.2 GiB LoRA \(2 x rank 16\)/);
    expect(withLora.json).toBeDefined();
    expect(withLora.container.resources.requests.memory).toBe('16Gi');
    const many = serve({
      memoryGiB: undefined,
      loraAdapters: Array.from({ length: 40 }, (_, i) =>
        LoraAdapter.fromBucket(`a${i}`, `s3://acme-models/lora/a${i}/`, { rank: 64 }),
      ),
      maxLoras: 4,
    });
    // 40 adapters x 320 MiB (rank 64) = 12.5 GiB of CPU cache on top of 5.4 GiB weights + 8.
    expect(many.container.resources.requests.memory).toBe('26Gi');
  });

  test('the server exposes its adapter names, and its backend carries them to the pool (LoRA affinity by default)', () => {
    const { workloads, platform } = platformAndWorkloads();
    const server = new ModelServer(workloads, 'Llama8B', { ...BASE, loraAdapters: [SUPPORT] });
    expect(server.loraAdapterNames).toEqual(['llama-support']);
    const backend = ModelServerBackend.of(server);
    expect(backend.loraAdapterNames).toEqual(['llama-support']);
    const gatewayPlatform = new InferenceGatewayPlatform(platform, 'Gw', {
      implementation: GatewayImplementation.istio(),
    });
    const pool = new InferencePool(workloads, 'Pool', { backend, platform: gatewayPlatform });
    expect((pool.endpointPickerConfig.schedulingProfiles as any)[0].plugins).toContainEqual({
      pluginRef: 'lora-affinity-scorer',
      weight: 2,
    });
  });

  test("the gateway route answers the base model and the pools' adapters (InferenceModelRoute.modelNames)", () => {
    const { workloads, platform } = platformAndWorkloads();
    const gatewayPlatform = new InferenceGatewayPlatform(platform, 'Gw', {
      implementation: GatewayImplementation.istio(),
    });
    const server = new ModelServer(workloads, 'Llama8B', { ...BASE, loraAdapters: [SUPPORT, SQL] });
    const pool = new InferencePool(workloads, 'Pool', {
      backend: ModelServerBackend.of(server),
      platform: gatewayPlatform,
    });
    const route = new InferenceGateway(workloads, 'Gateway', { platform: gatewayPlatform }).addModel(
      'Llama',
      {
        variants: [{ pool, weight: 1 }],
      },
    );
    expect(route.modelNames).toEqual(['llama-3.1-8b', 'llama-support', 'llama-sql']);
  });

  test('the Deployment annotation states the LoRA reservation', () => {
    const { json } = serve({ loraAdapters: [SUPPORT] });
    const d = Object.values(resourcesOf(json, 'kubernetes_deployment_v1'))[0] as any;
    expect(d.metadata.annotations['cdktf-ai-infra/sizing']).toMatch(/LoRA 1 x rank 16 = 0\.08 GiB per GPU/);
  });

  test.each<[string, Partial<ModelServerProps>, RegExp]>([
    [
      'adapters on an engine without LoRA',
      {
        engine: ServingEngine.TRITON_TENSORRT_LLM,
        weights: WeightsSource.bucket('gs://models/llama-8b-trt/'),
        quantization: Quantization.FP8,
        accelerator: Accelerator.L4,
        loraAdapters: [SUPPORT],
      },
      /'loraAdapters' \(1\) cannot be served by Triton \+ TensorRT-LLM/,
    ],
    ['maxLoras without adapters', { maxLoras: 2 }, /'maxLoras' \(2\) is set but 'loraAdapters' is empty/],
    ['maxLoras 0', { loraAdapters: [SUPPORT], maxLoras: 0 }, /'maxLoras' \(0\)/],
    ['more slots than adapters', { loraAdapters: [SUPPORT], maxLoras: 2 }, /'maxLoras' \(2\)/],
    [
      'an adapter of another base model',
      {
        loraAdapters: [
          LoraAdapter.fromBucket('x', 's3://acme-models/x/', { rank: 8, baseModel: ModelSpec.LLAMA_3_1_70B }),
        ],
      },
      /adapter 'x' was trained on llama-3.1-70b \(baseModel\), but the server serves llama-3.1-8b/,
    ],
    [
      'a rank vLLM does not serve',
      { loraAdapters: [LoraAdapter.fromBucket('x', 's3://acme-models/x/', { rank: 1024 })] },
      /adapter 'x' has rank 1024/,
    ],
    [
      'two adapters with one name',
      {
        loraAdapters: [SUPPORT, LoraAdapter.fromBucket('llama-support', 's3://acme-models/y/', { rank: 8 })],
      },
      /'llama-support' is used twice/,
    ],
    [
      'an adapter named like the base model',
      { loraAdapters: [LoraAdapter.fromBucket('llama-3.1-8b', 's3://acme-models/y/', { rank: 8 })] },
      /equals the base model's served name/,
    ],
    [
      'a volume path leaving the claim',
      { loraAdapters: [LoraAdapter.fromVolume('v', 'claim', { rank: 8, path: '../other' })] },
      /path '..\/other' must stay inside the claim/,
    ],
    [
      'not a LoraAdapter',
      { loraAdapters: [{ name: 'x' } as unknown as LoraAdapter] },
      /loraAdapters\[0\] must be a LoraAdapter/,
    ],
    [
      'an extra arg repeating a LoRA flag',
      { loraAdapters: [SUPPORT], extraArgs: ['--max-lora-rank', '64'] },
      /'extraArgs' repeats --max-lora-rank/,
    ],
    [
      'LoRA on a mixture-of-experts model',
      {
        model: ModelSpec.QWEN3_235B_A22B,
        quantization: Quantization.FP8,
        accelerator: Accelerator.H200,
        loraAdapters: [SUPPORT],
      },
      /'loraAdapters' on qwen3-235b-a22b: .* mixture-of-experts .* not modelled/,
    ],
  ])('throws on %s', (_what, props, message) => {
    expect(() => serve(props)).toThrow(ValidationError);
    expect(() => serve(props)).toThrow(message);
  });

  test('a matching baseModel passes (the same model in another quantization)', () => {
    const a = LoraAdapter.fromBucket('ok', 's3://acme-models/ok/', {
      rank: 8,
      baseModel: ModelSpec.LLAMA_3_1_8B,
    });
    expect(() => serve({ loraAdapters: [a] })).not.toThrow();
  });
});

describe('core sizing of LoRA slots', () => {
  test('Llama-3.1-8B rank 16 at TP 1 is the 42M-parameter all-linear adapter: 80 MiB per slot', () => {
    const bytes = loraSlotBytesPerGpu(ModelSpec.LLAMA_3_1_8B, 1, 16);
    expect(bytes).toBe(32 * 81_920 * 16 * 2);
    expect(bytes / 2 / 1e6).toBeCloseTo(41.9, 1);
  });

  test('tensor parallelism shards B of column-parallel and A of row-parallel layers only', () => {
    const m = ModelSpec.LLAMA_3_1_70B;
    const h = m.hiddenSize;
    const q = m.attentionHeads * m.headDim;
    const perRank = (tp: number) =>
      3 * h +
      q / tp +
      2 * Math.ceil(m.kvHeads / tp) * m.headDim +
      q / tp +
      h +
      2 * h +
      (3 * m.intermediateSize) / tp +
      h;
    expect(loraSlotBytesPerGpu(m, 4, 8)).toBe(m.layers * perRank(4) * 8 * 2);
    expect(loraSlotBytesPerGpu(m, 4, 8)).toBeLessThan(loraSlotBytesPerGpu(m, 1, 8));
    expect(loraSlotBytesPerGpu(m, 4, 8)).toBeGreaterThan(loraSlotBytesPerGpu(m, 1, 8) / 4);
  });

  test('sizeModel takes the slots from the KV budget and reports them; without lora nothing changes', () => {
    const o = {
      model: ModelSpec.LLAMA_3_1_8B,
      quantization: Quantization.BF16,
      accelerator: Accelerator.H100,
    };
    const plain = sizeModel(o);
    const lora = sizeModel({ ...o, lora: { maxLoras: 4, maxLoraRank: 64 } });
    expect(plain.loraSlotsPerGpuGiB).toBe(0);
    expect(plain.maxLoras).toBe(0);
    expect(lora.maxLoras).toBe(4);
    expect(lora.maxLoraRank).toBe(64);
    expect(lora.loraSlotsPerGpuGiB).toBeCloseTo((4 * loraSlotBytesPerGpu(o.model, 1, 64)) / 1024 ** 3, 9);
    expect(plain.kvCachePerGpuGiB - lora.kvCachePerGpuGiB).toBeCloseTo(lora.loraSlotsPerGpuGiB, 9);
  });

  test('sizeModel refuses LoRA on a mixture-of-experts model', () => {
    expect(() =>
      sizeModel({
        model: ModelSpec.QWEN3_235B_A22B,
        quantization: Quantization.FP8,
        accelerator: Accelerator.H200,
        lora: { maxLoras: 1, maxLoraRank: 16 },
      }),
    ).toThrow(/'lora' \(LoRA adapters\) on qwen3-235b-a22b/);
  });

  test.each<[string, object, RegExp]>([
    ['maxLoras 0', { maxLoras: 0, maxLoraRank: 16 }, /'maxLoras' \(0\)/],
    ['maxLoraRank 0', { maxLoras: 1, maxLoraRank: 0 }, /'maxLoraRank' \(0\)/],
    ['maxLoraRank 1.5', { maxLoras: 1, maxLoraRank: 1.5 }, /'maxLoraRank' \(1.5\)/],
  ])('sizeModel refuses %s', (_w, lora, message) => {
    expect(() =>
      sizeModel({
        model: ModelSpec.LLAMA_3_1_8B,
        quantization: Quantization.BF16,
        accelerator: Accelerator.H100,
        lora: lora as any,
      }),
    ).toThrow(message);
  });
});
