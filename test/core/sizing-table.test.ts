import {
  Accelerator,
  KvCacheDtype,
  ModelSpec,
  Quantization,
  SizingOptions,
  ValidationError,
  sizeModel,
} from '../../lib/core';

/**
 * Published deployments, each with its source. `gpus` is the GPU count of one replica in the
 * source; `minimum` marks rows whose source states (or whose numbers imply) that fewer GPUs do
 * not work, so the sizing must equal it; `fits: false` rows are deployments the source says do
 * not fit on that hardware, so the sizing must refuse them. Options are the source's own flags
 * (`--max-model-len`, `--gpu-memory-utilization`, `--max-num-batched-tokens`, ...); where a source
 * sets no `--max-model-len` the library default (8192) applies.
 *
 * Sources pinned to a commit where they live in a repository:
 * - vLLM recipes: vllm-project/recipes @ 8959cf64189c71d36e11c6a30335f923f261b1f7
 * - GPUStack performance lab: gpustack/gpustack @ 47277d79f4a5bae12a2d25e9ecbed2a2177a5f2d
 */
interface Row {
  readonly name: string;
  readonly source: string;
  readonly options: SizingOptions;
  readonly gpus: number;
  readonly minimum?: boolean;
  readonly fits?: boolean;
  /**
   * Why the source's count is above the sizing's (checked by the "rows that differ" tests below):
   * a layout the library does not use (`tensor-parallel-across-nodes`); a count that was the
   * minimum for the source's vLLM, which kept every token in every chunked-attention layer, and
   * is a choice at the pinned one (`hybrid-kv-cache`); or a count the source chose without
   * needing it (`deployment-choice`).
   */
  readonly differs?: 'tensor-parallel-across-nodes' | 'hybrid-kv-cache' | 'deployment-choice';
  /** Why the row is what it is, when the numbers alone do not say. */
  readonly note?: string;
}

/**
 * SGLang's DeepSeek-V3 multi-node commands (`--tp 32 --nnodes 4`, SGLANG_DEEPSEEK) shard every
 * layer over all GPUs of all nodes: tensor parallelism must divide the 128 attention heads, so
 * the node counts are powers of two (8 x nodes GPUs). The sizing uses vLLM's layout (tensor
 * parallel within a node, pipeline parallel across nodes: the vLLM Llama 3.1 405B layout), where
 * three nodes are valid and fit. The rows' 32 GPUs are the smallest tensor-parallel-only layout,
 * not a memory shortfall of 24.
 */
const DEEPSEEK_ATTENTION_HEADS = ModelSpec.DEEPSEEK_V3.attentionHeads;

const RECIPES = 'https://github.com/vllm-project/recipes/blob/8959cf64189c71d36e11c6a30335f923f261b1f7';
const GPUSTACK =
  'https://github.com/gpustack/gpustack/blob/47277d79f4a5bae12a2d25e9ecbed2a2177a5f2d/docs/performance-lab';
const VLLM_LLAMA31 = 'https://blog.vllm.ai/2024/07/23/llama31.html';
const VLLM_LLAMA4 = 'https://blog.vllm.ai/2025/04/05/llama4.html';
const META_LLAMA4 = 'https://ai.meta.com/blog/llama-4-multimodal-intelligence/';
const FIXSTARS_LLAMA4 =
  'https://blog.us.fixstars.com/running-llama-4-scout-on-a-single-nvidia-h100-using-int4-quantization';
const SGLANG_DEEPSEEK = 'https://docs.sglang.io/docs/basic_usage/deepseek_v3.md';
const BASETEN_MULTINODE = 'https://baseten.vercel.app/blog/how-multi-node-inference-works-llms-deepseek-r1';
const DEEPSEEK_AWQ_CARD = 'https://huggingface.co/cognitivecomputations/DeepSeek-V3-AWQ';
const DZHSURF_DEEPSEEK = 'https://github.com/dzhsurf/deepseek-v3-r1-deploy-and-benchmarks';
const SCOUT_H200_LONG =
  'https://github.com/fuhengwu2021/coderepo/blob/eba66958577f6ec037fc696281edf20ce58f7823/extra/README.md';
const RECIPES_SCOUT_HOPPER =
  'https://github.com/vllm-project/recipes/blob/07a41636fa3138153f4003433189100bbc7f1404/Llama/Llama4-Scout.md';
const GEMMA_3_LAUNCH = 'https://deepmind.google/blog/introducing-gemma-3/';
const GPT_OSS_L4 = 'https://ai-navigate-news.com/ja/articles/3ec30937-24f8-4cc5-9e8c-e90eb48d807b';

const { H100, H200, B200, A100_40GB, A100_80GB, L40S } = Accelerator;
const M = ModelSpec;
const Q = Quantization;

export const PUBLISHED_DEPLOYMENTS: Row[] = [
  // --- vLLM recipes -------------------------------------------------------------------------
  {
    name: 'gpt-oss-20b MXFP4 on a single A100 (Marlin MXFP4)',
    source: `${RECIPES}/OpenAI/GPT-OSS.md#a100`,
    options: { model: M.GPT_OSS_20B, quantization: Q.MXFP4, accelerator: A100_40GB },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'gpt-oss-120b MXFP4 fits a single A100 80GB',
    source: `${RECIPES}/OpenAI/GPT-OSS.md#a100`,
    options: { model: M.GPT_OSS_120B, quantization: Q.MXFP4, accelerator: A100_80GB },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'gpt-oss-120b MXFP4 at tensor parallel 2 on A100 80GB',
    source: `${RECIPES}/OpenAI/GPT-OSS.md#a100`,
    options: { model: M.GPT_OSS_120B, quantization: Q.MXFP4, accelerator: A100_80GB },
    gpus: 2,
  },
  {
    name: 'gpt-oss-120b MXFP4 on one H100 with --gpu-memory-utilization 0.95 --max-num-batched-tokens 1024',
    source: `${RECIPES}/OpenAI/GPT-OSS.md#known-limitations`,
    options: {
      model: M.GPT_OSS_120B,
      quantization: Q.MXFP4,
      accelerator: H100,
      gpuMemoryUtilization: 0.95,
      maxNumBatchedTokens: 1024,
    },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'gpt-oss-120b MXFP4 on 8 x H100, 131072 tokens, utilization 0.85, 10240 batched tokens, 128 sequences',
    source: `${RECIPES}/OpenAI/GPT-OSS.md`,
    options: {
      model: M.GPT_OSS_120B,
      quantization: Q.MXFP4,
      accelerator: H100,
      maxModelLen: 131072,
      gpuMemoryUtilization: 0.85,
      maxNumBatchedTokens: 10240,
      maxNumSeqs: 128,
    },
    gpus: 8,
  },
  {
    name: 'gpt-oss-120b MXFP4 on one B200 (max-throughput config, FP8 KV cache, 8192 batched tokens)',
    source: `${RECIPES}/OpenAI/GPT-OSS.md`,
    options: {
      model: M.GPT_OSS_120B,
      quantization: Q.MXFP4,
      accelerator: B200,
      kvCacheDtype: KvCacheDtype.FP8,
      maxNumBatchedTokens: 8192,
    },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'gpt-oss-20b MXFP4 on one Hopper GPU (the 120b instructions "the same for GPT-OSS-20b")',
    source: `${RECIPES}/OpenAI/GPT-OSS.md`,
    options: { model: M.GPT_OSS_20B, quantization: Q.MXFP4, accelerator: H100, maxNumBatchedTokens: 8192 },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'Llama 3.3 70B FP8 at tensor parallel 1 on B200 (FP8 KV cache)',
    source: `${RECIPES}/Llama/Llama3.3-70B.md`,
    options: {
      model: M.LLAMA_3_3_70B,
      quantization: Q.FP8,
      accelerator: B200,
      kvCacheDtype: KvCacheDtype.FP8,
    },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'Llama 3.3 70B NVFP4 on one B200',
    source: `${RECIPES}/Llama/Llama3.3-70B.md`,
    options: {
      model: M.LLAMA_3_3_70B,
      quantization: Q.NVFP4,
      accelerator: B200,
      kvCacheDtype: KvCacheDtype.FP8,
    },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'Llama 4 Scout NVFP4 on one B200',
    source: `${RECIPES}/Llama/Llama4-Scout.md`,
    options: {
      model: M.LLAMA_4_SCOUT,
      quantization: Q.NVFP4,
      accelerator: B200,
      kvCacheDtype: KvCacheDtype.FP8,
    },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'Llama 4 Scout FP8 at tensor parallel 2 on B200 (max-throughput config for FP8)',
    source: `${RECIPES}/Llama/Llama4-Scout.md`,
    options: {
      model: M.LLAMA_4_SCOUT,
      quantization: Q.FP8,
      accelerator: B200,
      kvCacheDtype: KvCacheDtype.FP8,
    },
    gpus: 2,
  },
  {
    name: 'DeepSeek-R1 FP8 on 8 x H200 (TP 8 + EP)',
    source: `${RECIPES}/DeepSeek/DeepSeek-V3.md`,
    options: { model: M.DEEPSEEK_R1, quantization: Q.FP8, accelerator: H200 },
    gpus: 8,
    minimum: true,
  },
  {
    name: 'DeepSeek-R1 NVFP4 "runnable on 4 or 8" B200',
    source: `${RECIPES}/DeepSeek/DeepSeek-V3.md`,
    options: { model: M.DEEPSEEK_R1, quantization: Q.NVFP4, accelerator: B200 },
    gpus: 4,
    minimum: true,
  },
  // --- vLLM blog: Llama 3.1 ------------------------------------------------------------------
  {
    name: 'Llama 3.1 405B FP8 on 8 x H100',
    source: VLLM_LLAMA31,
    options: { model: M.LLAMA_3_1_405B, quantization: Q.FP8, accelerator: H100 },
    gpus: 8,
    minimum: true,
  },
  {
    name: 'Llama 3.1 405B FP8 on 8 x A100 80GB (weight-only FP8 Marlin)',
    source: VLLM_LLAMA31,
    options: { model: M.LLAMA_3_1_405B, quantization: Q.FP8, accelerator: A100_80GB },
    gpus: 8,
    minimum: true,
  },
  {
    name: 'Llama 3.1 405B BF16 on a single 8 x H200 machine',
    source: VLLM_LLAMA31,
    options: { model: M.LLAMA_3_1_405B, quantization: Q.BF16, accelerator: H200 },
    gpus: 8,
    minimum: true,
  },
  {
    name: 'Llama 3.1 405B BF16 across 2 nodes of 8 x H100 (pipeline parallel)',
    source: VLLM_LLAMA31,
    options: { model: M.LLAMA_3_1_405B, quantization: Q.BF16, accelerator: H100, maxNodesPerReplica: 2 },
    gpus: 16,
    minimum: true,
  },
  {
    name: 'Llama 3.1 405B BF16 does not fit one 8 x H100 node',
    source: VLLM_LLAMA31,
    options: { model: M.LLAMA_3_1_405B, quantization: Q.BF16, accelerator: H100 },
    gpus: 8,
    fits: false,
  },
  {
    name: 'Llama 3.1 405B BF16 does not fit one 8 x A100 80GB node (only FP8 does)',
    source: VLLM_LLAMA31,
    options: { model: M.LLAMA_3_1_405B, quantization: Q.BF16, accelerator: A100_80GB },
    gpus: 8,
    fits: false,
  },
  // --- vLLM blog: Llama 4 --------------------------------------------------------------------
  {
    name: 'Llama 4 Scout BF16 on 8 x H100 with 1M context',
    source: VLLM_LLAMA4,
    options: { model: M.LLAMA_4_SCOUT, quantization: Q.BF16, accelerator: H100, maxModelLen: 1_000_000 },
    gpus: 8,
    note:
      '8 also at the pinned vLLM with its hybrid KV-cache manager: at TP 4 the 50.8 GiB of weights and the 2.5 GiB ' +
      'rotary cache leave 11.8 GiB per GPU for the 12.0 GiB one 1M-token sequence needs (one full group of 12 layers ' +
      'x 1M tokens + three chunked groups x 16,384 tokens).',
  },
  {
    name: 'Llama 4 Maverick FP8 on 8 x H100 with 430K context',
    source: VLLM_LLAMA4,
    options: { model: M.LLAMA_4_MAVERICK, quantization: Q.FP8, accelerator: H100, maxModelLen: 430_000 },
    gpus: 8,
    minimum: true,
  },
  {
    name: 'Llama 4 Scout BF16 on 8 x H200 with 3.6M context',
    source: VLLM_LLAMA4,
    options: { model: M.LLAMA_4_SCOUT, quantization: Q.BF16, accelerator: H200, maxModelLen: 3_600_000 },
    gpus: 8,
    differs: 'hybrid-kv-cache',
    note:
      'The blog ran vLLM v0.8.3, which allocated 3.6M tokens in all 48 layers (82.4 GiB per GPU at TP 8, so TP 4 did ' +
      'not fit). The pinned vLLM keeps a chunk + one batch in the 36 chunked layers by default (VLLM_HYBRID_KV_CACHE): ' +
      '41.8 GiB per GPU at TP 4, which fits; 8 GPUs is then a throughput choice.',
  },
  {
    name: 'Llama 4 Maverick FP8 on 8 x H200 with 1M context',
    source: VLLM_LLAMA4,
    options: { model: M.LLAMA_4_MAVERICK, quantization: Q.FP8, accelerator: H200, maxModelLen: 1_000_000 },
    gpus: 8,
    differs: 'hybrid-kv-cache',
    note:
      'vLLM v0.8.3 needed 45.8 GiB per GPU at TP 4 for 1M tokens in all 48 layers (more than the 25 GiB left beside ' +
      'the FP8 weights); with the hybrid KV-cache manager one sequence takes 12.0 GiB and TP 4 fits.',
  },
  {
    name: 'Llama 4 Scout BF16 on 8 x H200 with 8,388,608 tokens (vLLM, hybrid KV-cache manager on)',
    source: SCOUT_H200_LONG,
    options: { model: M.LLAMA_4_SCOUT, quantization: Q.BF16, accelerator: H200, maxModelLen: 8_388_608 },
    gpus: 8,
    note: 'Logged 89.71 GiB KV per GPU and 1.86x concurrency (test/core/kv-cache.test.ts); TP 4 leaves 66 GiB for 96.6.',
  },
  {
    name: 'Llama 4 Scout BF16 on 8 x H200 with 10,000,000 tokens and an FP8 KV cache (hybrid manager on)',
    source: SCOUT_H200_LONG,
    options: {
      model: M.LLAMA_4_SCOUT,
      quantization: Q.BF16,
      accelerator: H200,
      maxModelLen: 10_000_000,
      kvCacheDtype: KvCacheDtype.FP8,
    },
    gpus: 8,
    differs: 'deployment-choice',
    note:
      'The source kept its 8-GPU test rig (3.12x concurrency logged); one 10M-token sequence in FP8 takes 57.5 GiB per ' +
      'GPU at TP 4, where 66 GiB are left.',
  },
  {
    name: 'Llama 4 Scout FP8 at tensor parallel 1 on Hopper, 10240 tokens, FP8 KV, 512 sequences (only the H200 holds it)',
    source: RECIPES_SCOUT_HOPPER,
    options: {
      model: M.LLAMA_4_SCOUT,
      quantization: Q.FP8,
      accelerator: H200,
      maxModelLen: 10240,
      kvCacheDtype: KvCacheDtype.FP8,
      maxNumBatchedTokens: 8192,
      maxNumSeqs: 512,
    },
    gpus: 1,
    minimum: true,
    note: 'The recipe says Hopper with --tensor-parallel-size 1; 103 GiB of FP8 weights fit the 141 GB H200, not the 80 GB H100.',
  },
  // --- Meta, Llama 4 launch and the reference scripts ------------------------------------------
  {
    name: 'Llama 4 Scout in int4 fits a single H100',
    source: META_LLAMA4,
    options: { model: M.LLAMA_4_SCOUT, quantization: Q.W4A16, accelerator: H100 },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'Llama 4 Scout BF16 does not fit a single H100 (int4 is what fits)',
    source: META_LLAMA4,
    options: { model: M.LLAMA_4_SCOUT, quantization: Q.BF16, accelerator: H100, gpusPerNode: 1 },
    gpus: 1,
    fits: false,
  },
  {
    name: 'Llama 4 Maverick is not single-GPU (FP8 on one H100 does not fit)',
    source: META_LLAMA4,
    options: { model: M.LLAMA_4_MAVERICK, quantization: Q.FP8, accelerator: H100, gpusPerNode: 1 },
    gpus: 1,
    fits: false,
  },
  {
    name: 'Llama 4 Scout BF16 on 4 x H100 (Meta reference script, NGPUS=4)',
    source: FIXSTARS_LLAMA4,
    options: { model: M.LLAMA_4_SCOUT, quantization: Q.BF16, accelerator: H100 },
    gpus: 4,
    minimum: true,
  },
  {
    name: 'Llama 4 Scout FP8 on 2 x H100 (Meta reference script, fp8_mixed, NGPUS=2)',
    source: FIXSTARS_LLAMA4,
    options: { model: M.LLAMA_4_SCOUT, quantization: Q.FP8, accelerator: H100 },
    gpus: 2,
    minimum: true,
  },
  // --- Sliding-window models under the hybrid KV-cache manager ----------------------------------
  {
    name: 'Gemma 3 27B BF16 on a single H100',
    source: GEMMA_3_LAUNCH,
    options: { model: M.GEMMA_3_27B, quantization: Q.BF16, accelerator: H100 },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'gpt-oss-20b MXFP4 on a single L4 with 128,000 tokens',
    source: GPT_OSS_L4,
    options: {
      model: M.GPT_OSS_20B,
      quantization: Q.MXFP4,
      accelerator: Accelerator.L4,
      maxModelLen: 128000,
    },
    gpus: 1,
    minimum: true,
  },
  // --- vLLM PR #10511: the calibration run -----------------------------------------------------
  {
    name: 'Llama-3-8B BF16 on one H100 (the measured profile)',
    source: 'https://github.com/vllm-project/vllm/pull/10511',
    options: { model: M.LLAMA_3_1_8B, quantization: Q.BF16, accelerator: H100, maxModelLen: 8192 },
    gpus: 1,
    minimum: true,
  },
  // --- DeepSeek-V3 / R1 across sources --------------------------------------------------------
  {
    name: 'DeepSeek-R1 FP8 does not fit one 8 x H100 node',
    source: BASETEN_MULTINODE,
    options: { model: M.DEEPSEEK_R1, quantization: Q.FP8, accelerator: H100 },
    gpus: 8,
    fits: false,
  },
  {
    name: 'DeepSeek-R1 FP8 on 2 nodes of 8 x H100',
    source: BASETEN_MULTINODE,
    options: { model: M.DEEPSEEK_R1, quantization: Q.FP8, accelerator: H100, maxNodesPerReplica: 2 },
    gpus: 16,
    minimum: true,
  },
  {
    name: 'DeepSeek-V3 FP8 (685 GB with MTP) falls short of 8 x H100',
    source: DZHSURF_DEEPSEEK,
    options: { model: M.DEEPSEEK_V3, quantization: Q.FP8, accelerator: H100 },
    gpus: 8,
    fits: false,
  },
  {
    name: 'DeepSeek-V3 FP8 on 8 x B200',
    source: SGLANG_DEEPSEEK,
    options: { model: M.DEEPSEEK_V3, quantization: Q.FP8, accelerator: B200 },
    gpus: 8,
    minimum: true,
  },
  {
    name: 'DeepSeek-V3 BF16 on 2 x 8 x H200',
    source: SGLANG_DEEPSEEK,
    options: { model: M.DEEPSEEK_V3, quantization: Q.BF16, accelerator: H200, maxNodesPerReplica: 2 },
    gpus: 16,
    minimum: true,
  },
  {
    name: 'DeepSeek-V3 BF16 on 4 x 8 x H100',
    source: SGLANG_DEEPSEEK,
    options: { model: M.DEEPSEEK_V3, quantization: Q.BF16, accelerator: H100, maxNodesPerReplica: 4 },
    gpus: 32,
    differs: 'tensor-parallel-across-nodes',
  },
  {
    name: 'DeepSeek-V3 BF16 on 4 x 8 x A100 80GB',
    source: SGLANG_DEEPSEEK,
    options: { model: M.DEEPSEEK_V3, quantization: Q.BF16, accelerator: A100_80GB, maxNodesPerReplica: 4 },
    gpus: 32,
    differs: 'tensor-parallel-across-nodes',
  },
  {
    name: 'DeepSeek-V3 INT8 on 16 x A100 80GB',
    source: SGLANG_DEEPSEEK,
    options: { model: M.DEEPSEEK_V3, quantization: Q.INT8, accelerator: A100_80GB, maxNodesPerReplica: 2 },
    gpus: 16,
    minimum: true,
  },
  {
    name: 'DeepSeek-V3 INT8 on 32 x L40S',
    source: SGLANG_DEEPSEEK,
    options: { model: M.DEEPSEEK_V3, quantization: Q.INT8, accelerator: L40S, maxNodesPerReplica: 4 },
    gpus: 32,
    differs: 'tensor-parallel-across-nodes',
  },
  {
    name: 'DeepSeek-V3 AWQ on 8 x H100',
    source: SGLANG_DEEPSEEK,
    options: { model: M.DEEPSEEK_V3, quantization: Q.AWQ, accelerator: H100 },
    gpus: 8,
    minimum: true,
  },
  {
    name: 'DeepSeek-V3 AWQ on 8 x A100 80GB',
    source: SGLANG_DEEPSEEK,
    options: { model: M.DEEPSEEK_V3, quantization: Q.AWQ, accelerator: A100_80GB },
    gpus: 8,
    minimum: true,
  },
  {
    name: 'DeepSeek-V3 AWQ on 4 x H200, 65536 tokens, utilization 0.95 (vLLM)',
    source: DEEPSEEK_AWQ_CARD,
    options: {
      model: M.DEEPSEEK_V3,
      quantization: Q.AWQ,
      accelerator: H200,
      maxModelLen: 65536,
      gpuMemoryUtilization: 0.95,
    },
    gpus: 4,
  },
  {
    name: 'DeepSeek-V3 AWQ on 8 x A100 80GB, 65536 tokens, utilization 0.95 (vLLM)',
    source: DEEPSEEK_AWQ_CARD,
    options: {
      model: M.DEEPSEEK_V3,
      quantization: Q.AWQ,
      accelerator: A100_80GB,
      maxModelLen: 65536,
      gpuMemoryUtilization: 0.95,
    },
    gpus: 8,
  },
  // --- GPUStack performance lab (vLLM / TensorRT-LLM commands on stated hardware) -----------------
  {
    name: 'gpt-oss-120b MXFP4 on one A100 80GB, 32768 tokens, 4096 batched tokens',
    source: `${GPUSTACK}/gpt-oss-120b/a100.md`,
    options: {
      model: M.GPT_OSS_120B,
      quantization: Q.MXFP4,
      accelerator: A100_80GB,
      maxModelLen: 32768,
      maxNumBatchedTokens: 4096,
    },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'gpt-oss-120b MXFP4 at tensor parallel 2 on H100',
    source: `${GPUSTACK}/gpt-oss-120b/h100.md`,
    options: { model: M.GPT_OSS_120B, quantization: Q.MXFP4, accelerator: H100 },
    gpus: 2,
  },
  {
    name: 'gpt-oss-20b MXFP4 on one A100 80GB',
    source: `${GPUSTACK}/gpt-oss-20b/a100.md`,
    options: { model: M.GPT_OSS_20B, quantization: Q.MXFP4, accelerator: A100_80GB },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'Qwen3-235B-A22B FP8 at tensor parallel 4 on A100 80GB (weight-only FP8 MoE)',
    source: `${GPUSTACK}/qwen3-235b-a22b/a100.md`,
    options: { model: M.QWEN3_235B_A22B, quantization: Q.FP8, accelerator: A100_80GB },
    gpus: 4,
    minimum: true,
  },
  {
    name: 'Qwen3-235B-A22B FP8 at tensor parallel 4 on H100 with 16384 batched tokens',
    source: `${GPUSTACK}/qwen3-235b-a22b/h100.md`,
    options: { model: M.QWEN3_235B_A22B, quantization: Q.FP8, accelerator: H100, maxNumBatchedTokens: 16384 },
    gpus: 4,
    minimum: true,
  },
  {
    name: 'Qwen3-235B-A22B BF16 at tensor parallel 8 on H100 (baseline)',
    source: `${GPUSTACK}/qwen3-235b-a22b/h100.md`,
    options: { model: M.QWEN3_235B_A22B, quantization: Q.BF16, accelerator: H100 },
    gpus: 8,
    minimum: true,
  },
  {
    name: 'Qwen3-235B-A22B BF16 at tensor parallel 8 on A100 80GB (baseline)',
    source: `${GPUSTACK}/qwen3-235b-a22b/a100.md`,
    options: { model: M.QWEN3_235B_A22B, quantization: Q.BF16, accelerator: A100_80GB },
    gpus: 8,
    minimum: true,
  },
  {
    name: 'Qwen3-8B BF16 on one H100 at its full 40960-token config context',
    source: `${GPUSTACK}/qwen3-8b/h100-latency.md`,
    options: { model: M.QWEN3_8B, quantization: Q.BF16, accelerator: H100, maxModelLen: 40960 },
    gpus: 1,
    minimum: true,
  },
  {
    name: 'Qwen3-32B FP8 on one H100, 40960 tokens (TensorRT-LLM)',
    source: `${GPUSTACK}/qwen3-32b/h100.md`,
    options: { model: M.QWEN3_32B, quantization: Q.FP8, accelerator: H100, maxModelLen: 40960 },
    gpus: 1,
    minimum: true,
  },
];

describe('sizeModel against published deployments', () => {
  test('the table has at least 40 rows, each with a source, and some that do not fit', () => {
    expect(PUBLISHED_DEPLOYMENTS.length).toBeGreaterThanOrEqual(40);
    for (const row of PUBLISHED_DEPLOYMENTS) {
      expect(row.source).toMatch(/^https:\/\//);
    }
    expect(PUBLISHED_DEPLOYMENTS.filter((r) => r.fits === false).length).toBeGreaterThanOrEqual(5);
  });

  test.each(PUBLISHED_DEPLOYMENTS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    if (row.fits === false) {
      expect(() => sizeModel(row.options)).toThrow(ValidationError);
      expect(() => sizeModel(row.options)).toThrow(/does not fit/);
      return;
    }
    const r = sizeModel(row.options);
    expect(r.gpusPerReplica).toBeLessThanOrEqual(row.gpus);
    if (row.minimum) {
      expect(r.gpusPerReplica).toBe(row.gpus);
    }
  });
});

describe('Llama 4 rows: the hybrid KV-cache manager of the pinned vLLM against the published counts', () => {
  const hybridRows = PUBLISHED_DEPLOYMENTS.filter((r) => r.differs === 'hybrid-kv-cache');
  const choiceRows = PUBLISHED_DEPLOYMENTS.filter((r) => r.differs === 'deployment-choice');

  test('the rows are the two long-context vLLM blog rows on H200 and the 10M FP8 row', () => {
    expect(hybridRows.map((r) => r.name)).toEqual([
      'Llama 4 Scout BF16 on 8 x H200 with 3.6M context',
      'Llama 4 Maverick FP8 on 8 x H200 with 1M context',
    ]);
    expect(choiceRows).toHaveLength(1);
    for (const r of [...hybridRows, ...choiceRows]) {
      expect(r.note).toBeDefined();
    }
  });

  test.each([...hybridRows, ...choiceRows].map((r) => [r.name, r] as const))(
    '%s: our minimum is below the published count and fits; the published count fits too',
    (_name, row) => {
      const ours = sizeModel(row.options);
      expect(ours.gpusPerReplica).toBeLessThan(row.gpus);
      const published = sizeModel({ ...row.options, tensorParallelSize: row.gpus });
      expect(published.gpusPerReplica).toBe(row.gpus);
      expect(published.maxConcurrentSequences).toBeGreaterThanOrEqual(1);
    },
  );

  test.each(hybridRows.map((r) => [r.name, r] as const))(
    "%s: without the hybrid manager (the blog's vLLM v0.8.3) the published count is the minimum",
    (_name, row) => {
      expect(sizeModel({ ...row.options, hybridKvCacheManager: false }).gpusPerReplica).toBe(row.gpus);
    },
  );

  test('Scout 1M on H100 needs 8 GPUs with or without the hybrid manager', () => {
    const row = PUBLISHED_DEPLOYMENTS.find(
      (r) => r.name === 'Llama 4 Scout BF16 on 8 x H100 with 1M context',
    )!;
    expect(sizeModel(row.options).gpusPerReplica).toBe(8);
    expect(sizeModel({ ...row.options, hybridKvCacheManager: false }).gpusPerReplica).toBe(8);
    expect(() => sizeModel({ ...row.options, tensorParallelSize: 4 })).toThrow(/does not fit/);
  });
});

describe('published rows that differ from the sizing, and why', () => {
  const rows = PUBLISHED_DEPLOYMENTS.filter((r) => r.differs === 'tensor-parallel-across-nodes');

  test('the three SGLang DeepSeek-V3 rows across 4 nodes are the rows that differ', () => {
    expect(rows.map((r) => r.name)).toEqual([
      'DeepSeek-V3 BF16 on 4 x 8 x H100',
      'DeepSeek-V3 BF16 on 4 x 8 x A100 80GB',
      'DeepSeek-V3 INT8 on 32 x L40S',
    ]);
  });

  test.each(rows.map((r) => [r.name, r] as const))(
    '%s: 3 nodes (tensor parallel 8 x pipeline parallel 3) fit; 2 do not; with tensor parallelism across all GPUs the smallest is the published 32',
    (_name, row) => {
      const r = sizeModel(row.options);
      expect(r.nodesPerReplica).toBe(3);
      expect(r.tensorParallelSize).toBe(8);
      expect(r.pipelineParallelSize).toBe(3);
      expect(() => sizeModel({ ...row.options, maxNodesPerReplica: 2 })).toThrow(/does not fit/);
      // Tensor parallel only: the GPU count must divide the attention heads.
      const tpOnly = [1, 2, 4, 8].find(
        (nodes) =>
          DEEPSEEK_ATTENTION_HEADS % (8 * nodes) === 0 &&
          (() => {
            try {
              sizeModel({ ...row.options, maxNodesPerReplica: nodes });
              return true;
            } catch {
              return false;
            }
          })(),
      );
      expect(tpOnly).toBe(4);
      expect(8 * tpOnly!).toBe(row.gpus);
      expect(DEEPSEEK_ATTENTION_HEADS % (8 * 3)).not.toBe(0);
    },
  );
});
