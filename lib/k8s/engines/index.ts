// Re-exports only.
export * from './engine';
export * from './vllm';
export * from './triton-tensorrt-llm';
export * from './sglang';
export * from './serving-engine';
export * from './llama-cpp';
