/**
 * The ggml block types a GGUF file stores its tensors in: weights per block and bytes per
 * block, so the bytes per weight of each type follow from the block layout rather than from a
 * rounded "bits per weight" figure.
 *
 * Read from the `static_assert(sizeof(block_...) == ...)` lines of `ggml/src/ggml-common.h` in
 * ggml-org/llama.cpp (commit 01243c587feceaa5d6a6c2305535ef2f549c48b8): `ggml_half` is 2 bytes,
 * `QK_K` is 256 and `K_SCALE_SIZE` is 12.
 */
export interface GgmlBlockType {
  /** The ggml type name, as `ggml_type_name` prints it (`q4_K`, `q8_0`, `f16`). */
  readonly name: string;
  /** Weights per block. */
  readonly weightsPerBlock: number;
  /** Bytes per block, scales included. */
  readonly bytesPerBlock: number;
}

/** Names of the ggml block types in {@link GGML_BLOCK_TYPES}. */
export type GgmlBlockTypeName = 'F16' | 'Q4_0' | 'Q4_K' | 'Q5_K' | 'Q6_K' | 'Q8_0';

/** Where the block layouts were read. */
export const GGML_BLOCK_TYPES_SOURCE =
  'ggml-org/llama.cpp ggml/src/ggml-common.h @ 01243c587feceaa5d6a6c2305535ef2f549c48b8 (block_* static_asserts)';

/**
 * The ggml block types the catalogued GGUF quantizations mix (llama.cpp `llama-quant.cpp` picks
 * per tensor: a `_M` file keeps some attention and FFN-down tensors one type up, and the output
 * tensor at `q6_K`).
 */
export const GGML_BLOCK_TYPES: Readonly<Record<GgmlBlockTypeName, GgmlBlockType>> = {
  /** 16-bit float: one `ggml_half` per weight. */
  F16: { name: 'f16', weightsPerBlock: 1, bytesPerBlock: 2 },
  /** `block_q4_0`: one `ggml_half` scale + 32 nibbles = 18 bytes per 32 weights (4.5 bits). */
  Q4_0: { name: 'q4_0', weightsPerBlock: 32, bytesPerBlock: 2 + 32 / 2 },
  /** `block_q4_K`: `d`, `dmin` (2 x `ggml_half`) + 12 scale bytes + 128 nibble bytes = 144 bytes per 256 weights (4.5 bits). */
  Q4_K: { name: 'q4_K', weightsPerBlock: 256, bytesPerBlock: 2 * 2 + 12 + 256 / 2 },
  /** `block_q5_K`: `block_q4_K` + 32 high-bit bytes = 176 bytes per 256 weights (5.5 bits). */
  Q5_K: { name: 'q5_K', weightsPerBlock: 256, bytesPerBlock: 2 * 2 + 12 + 256 / 2 + 256 / 8 },
  /** `block_q6_K`: `ggml_half` + 16 scales + 3 x 256 / 4 quant bytes = 210 bytes per 256 weights (6.5625 bits). */
  Q6_K: { name: 'q6_K', weightsPerBlock: 256, bytesPerBlock: 2 + 256 / 16 + (3 * 256) / 4 },
  /** `block_q8_0`: one `ggml_half` scale + 32 int8 = 34 bytes per 32 weights (8.5 bits). */
  Q8_0: { name: 'q8_0', weightsPerBlock: 32, bytesPerBlock: 2 + 32 },
};

/** Bytes per weight of a ggml block type (`bytesPerBlock / weightsPerBlock`). */
export function ggmlBytesPerWeight(type: GgmlBlockType): number {
  return type.bytesPerBlock / type.weightsPerBlock;
}
