import { ValidationError } from './errors';

/** Properties of a {@link ModelSpec}: the architecture numbers sizing needs. */
export interface ModelSpecProps {
  /** Short name used in resource names and messages, for example `llama-3.1-70b`. */
  readonly name: string;
  /**
   * Hugging Face repository id of the base (unquantized) model, for docs and the default
   * `--served-model-name`.
   * @default - none
   */
  readonly huggingFaceId?: string;
  /** Total parameters in billions (all experts for a mixture of experts). */
  readonly parametersBillions: number;
  /** Transformer layers (`num_hidden_layers`). */
  readonly layers: number;
  /** Hidden size (`hidden_size`). */
  readonly hiddenSize: number;
  /** Attention heads (`num_attention_heads`); tensor parallelism must divide it. */
  readonly attentionHeads: number;
  /** Key/value heads (`num_key_value_heads`, grouped-query attention). */
  readonly kvHeads: number;
  /**
   * Dimension of one head.
   * @default hiddenSize / attentionHeads
   */
  readonly headDim?: number;
  /** Vocabulary size (`vocab_size`). */
  readonly vocabSize: number;
  /** Longest context the model supports (`max_position_embeddings`, with its default rope scaling). */
  readonly maxContextLength: number;
  /**
   * Whether input embeddings and `lm_head` share weights (`tie_word_embeddings`).
   * @default false
   */
  readonly tiedEmbeddings?: boolean;
}

/**
 * A language model's architecture numbers: enough to compute weight memory and KV cache per
 * token. Presets are from each model's `config.json` on Hugging Face.
 *
 * @example
 * const custom = ModelSpec.of({ name: 'my-13b', parametersBillions: 13, layers: 40, hiddenSize: 5120,
 *   attentionHeads: 40, kvHeads: 40, vocabSize: 32000, maxContextLength: 4096 });
 */
export class ModelSpec {
  /** meta-llama/Llama-3.1-8B-Instruct: 32 layers, 8 KV heads, 128k context. */
  public static readonly LLAMA_3_1_8B = new ModelSpec({
    name: 'llama-3.1-8b',
    huggingFaceId: 'meta-llama/Llama-3.1-8B-Instruct',
    parametersBillions: 8.03,
    layers: 32,
    hiddenSize: 4096,
    attentionHeads: 32,
    kvHeads: 8,
    vocabSize: 128256,
    maxContextLength: 131072,
  });

  /** meta-llama/Llama-3.1-70B-Instruct: 80 layers, 8 KV heads, 128k context. */
  public static readonly LLAMA_3_1_70B = new ModelSpec({
    name: 'llama-3.1-70b',
    huggingFaceId: 'meta-llama/Llama-3.1-70B-Instruct',
    parametersBillions: 70.6,
    layers: 80,
    hiddenSize: 8192,
    attentionHeads: 64,
    kvHeads: 8,
    vocabSize: 128256,
    maxContextLength: 131072,
  });

  /** meta-llama/Llama-3.1-405B-Instruct: 126 layers, 8 KV heads, 128k context. */
  public static readonly LLAMA_3_1_405B = new ModelSpec({
    name: 'llama-3.1-405b',
    huggingFaceId: 'meta-llama/Llama-3.1-405B-Instruct',
    parametersBillions: 405.9,
    layers: 126,
    hiddenSize: 16384,
    attentionHeads: 128,
    kvHeads: 8,
    vocabSize: 128256,
    maxContextLength: 131072,
  });

  /** mistralai/Mistral-7B-Instruct-v0.3: 32 layers, 8 KV heads, 32k context. */
  public static readonly MISTRAL_7B = new ModelSpec({
    name: 'mistral-7b',
    huggingFaceId: 'mistralai/Mistral-7B-Instruct-v0.3',
    parametersBillions: 7.25,
    layers: 32,
    hiddenSize: 4096,
    attentionHeads: 32,
    kvHeads: 8,
    vocabSize: 32768,
    maxContextLength: 32768,
  });

  /** mistralai/Mixtral-8x7B-Instruct-v0.1: 46.7B total (12.9B active), 32 layers, 32k context. */
  public static readonly MIXTRAL_8X7B = new ModelSpec({
    name: 'mixtral-8x7b',
    huggingFaceId: 'mistralai/Mixtral-8x7B-Instruct-v0.1',
    parametersBillions: 46.7,
    layers: 32,
    hiddenSize: 4096,
    attentionHeads: 32,
    kvHeads: 8,
    vocabSize: 32000,
    maxContextLength: 32768,
  });

  /** Qwen/Qwen2.5-7B-Instruct: 28 layers, 4 KV heads, 32k context (128k with YaRN). */
  public static readonly QWEN2_5_7B = new ModelSpec({
    name: 'qwen2.5-7b',
    huggingFaceId: 'Qwen/Qwen2.5-7B-Instruct',
    parametersBillions: 7.62,
    layers: 28,
    hiddenSize: 3584,
    attentionHeads: 28,
    kvHeads: 4,
    headDim: 128,
    vocabSize: 152064,
    maxContextLength: 32768,
  });

  /** Qwen/Qwen2.5-72B-Instruct: 80 layers, 8 KV heads, 32k context (128k with YaRN). */
  public static readonly QWEN2_5_72B = new ModelSpec({
    name: 'qwen2.5-72b',
    huggingFaceId: 'Qwen/Qwen2.5-72B-Instruct',
    parametersBillions: 72.7,
    layers: 80,
    hiddenSize: 8192,
    attentionHeads: 64,
    kvHeads: 8,
    vocabSize: 152064,
    maxContextLength: 32768,
  });

  /** Every preset. */
  public static presets(): ModelSpec[] {
    return [
      ModelSpec.LLAMA_3_1_8B,
      ModelSpec.LLAMA_3_1_70B,
      ModelSpec.LLAMA_3_1_405B,
      ModelSpec.MISTRAL_7B,
      ModelSpec.MIXTRAL_8X7B,
      ModelSpec.QWEN2_5_7B,
      ModelSpec.QWEN2_5_72B,
    ];
  }

  /** Describes a model that is not a preset. */
  public static of(props: ModelSpecProps): ModelSpec {
    return new ModelSpec(props);
  }

  /** Short name. */
  public readonly name: string;
  /** Hugging Face repository id, if known. */
  public readonly huggingFaceId?: string;
  /** Total parameters in billions. */
  public readonly parametersBillions: number;
  /** Layers. */
  public readonly layers: number;
  /** Hidden size. */
  public readonly hiddenSize: number;
  /** Attention heads. */
  public readonly attentionHeads: number;
  /** KV heads. */
  public readonly kvHeads: number;
  /** Head dimension. */
  public readonly headDim: number;
  /** Vocabulary size. */
  public readonly vocabSize: number;
  /** Longest supported context. */
  public readonly maxContextLength: number;
  /** Whether embeddings are tied. */
  public readonly tiedEmbeddings: boolean;

  private constructor(props: ModelSpecProps) {
    const ints: Array<keyof ModelSpecProps> = [
      'layers',
      'hiddenSize',
      'attentionHeads',
      'kvHeads',
      'vocabSize',
      'maxContextLength',
    ];
    for (const k of ints) {
      const v = props[k] as number;
      if (!Number.isInteger(v) || v <= 0) {
        throw new ValidationError(
          `ModelSpec '${props.name}': '${k}' (${v}) must be a positive integer (see the model's config.json).`,
        );
      }
    }
    if (!(props.parametersBillions > 0)) {
      throw new ValidationError(
        `ModelSpec '${props.name}': 'parametersBillions' (${props.parametersBillions}) must be > 0, for example 70.6 for a 70B model.`,
      );
    }
    if (props.attentionHeads % props.kvHeads !== 0) {
      throw new ValidationError(
        `ModelSpec '${props.name}': 'attentionHeads' (${props.attentionHeads}) must be a multiple of 'kvHeads' (${props.kvHeads}).`,
      );
    }
    if (!props.name || !/^[a-z0-9][a-z0-9.-]*$/.test(props.name)) {
      throw new ValidationError(
        `ModelSpec 'name' ('${props.name}') must be lower-case letters, digits, '.' or '-', starting with a letter or digit, for example 'llama-3.1-8b'.`,
      );
    }
    const headDim = props.headDim ?? props.hiddenSize / props.attentionHeads;
    if (!Number.isInteger(headDim) || headDim <= 0) {
      throw new ValidationError(
        `ModelSpec '${props.name}': 'headDim' (${headDim}) must be a positive integer; set it explicitly when hiddenSize / attentionHeads is not one.`,
      );
    }
    this.name = props.name;
    this.huggingFaceId = props.huggingFaceId;
    this.parametersBillions = props.parametersBillions;
    this.layers = props.layers;
    this.hiddenSize = props.hiddenSize;
    this.attentionHeads = props.attentionHeads;
    this.kvHeads = props.kvHeads;
    this.headDim = headDim;
    this.vocabSize = props.vocabSize;
    this.maxContextLength = props.maxContextLength;
    this.tiedEmbeddings = props.tiedEmbeddings ?? false;
  }

  /** Total parameters. */
  public get parameters(): number {
    return this.parametersBillions * 1e9;
  }

  /** Parameters in the input embedding and `lm_head` (counted once when tied). */
  public get embeddingParameters(): number {
    return this.vocabSize * this.hiddenSize * (this.tiedEmbeddings ? 1 : 2);
  }

  /**
   * KV-cache bytes per token for the whole model:
   * 2 (K and V) x layers x KV heads x head dim x bytes per element.
   */
  public kvCacheBytesPerToken(bytesPerElement: number): number {
    return 2 * this.layers * this.kvHeads * this.headDim * bytesPerElement;
  }

  /** The name. */
  public toString(): string {
    return this.name;
  }
}
