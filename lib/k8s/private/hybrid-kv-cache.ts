import { Token } from 'cdktf';
import { SizingResult, VLLM_HYBRID_KV_CACHE } from '../../core';

/**
 * Why vLLM would run without the hybrid KV-cache manager that the sizing assumed, given the
 * user's extra vLLM arguments, or undefined when the arguments leave it on. vLLM turns it off
 * with `--disable-hybrid-kv-cache-manager`, and for chunked local attention (Llama 4) also with
 * EAGLE speculative decoding (`VllmConfig.__post_init__` in `vllm/config/vllm.py`,
 * {@link VLLM_HYBRID_KV_CACHE}); the KV cache then needs every token in every layer, which the
 * sizing did not reserve.
 */
export function hybridKvCacheConflict(
  sizing: SizingResult,
  extraArgs: readonly string[],
): string | undefined {
  if (!sizing.hybridKvCacheManager || !sizing.kvCache.hybrid) {
    return undefined;
  }
  const literal = extraArgs.filter((a) => !Token.isUnresolved(a));
  if (literal.some((a) => a.split('=')[0] === VLLM_HYBRID_KV_CACHE.disableArg)) {
    return `${VLLM_HYBRID_KV_CACHE.disableArg} in 'extraArgs'`;
  }
  if (sizing.model.chunkedAttention !== undefined) {
    const at = literal.findIndex((a) => a.split('=')[0] === '--speculative-config');
    if (at >= 0) {
      const value = literal[at].includes('=')
        ? literal[at].slice(literal[at].indexOf('=') + 1)
        : literal[at + 1];
      if (value !== undefined && /eagle/i.test(value)) {
        return `EAGLE speculative decoding ('--speculative-config' ${value}) on ${sizing.model.name}'s chunked attention`;
      }
    }
  }
  return undefined;
}
