import { IServingEngine } from './engine';
import { SglangEngine, SglangEngineOptions } from './sglang';
import { TritonTensorRtLlmEngine, TritonTensorRtLlmEngineOptions } from './triton-tensorrt-llm';
import { VllmEngine, VllmEngineOptions } from './vllm';

/** The engines behind {@link ServingEngine}'s static members, made on first read. */
const DEFAULTS: { vllm?: IServingEngine; triton?: IServingEngine; sglang?: IServingEngine } = {};

/**
 * The serving engines, as an enum-like catalogue (like `Accelerator` and `Quantization`): a
 * static member per engine with its defaults, a factory per engine for options, and any object
 * implementing {@link IServingEngine} as the escape hatch.
 *
 * Why a class and not the former `enum ServingEngine`: an engine is an object that renders its
 * own container, ports, probes and metrics, so `ModelServer` has no per-engine branch. The
 * static members keep the enum's spelling, so `engine: ServingEngine.VLLM` and
 * `engine: ServingEngine.TRITON_TENSORRT_LLM` compile and behave as before; only code that used
 * the enum's string values (`'vllm'`, `'triton'`) must read `engine.id` instead.
 *
 * @example
 * new ModelServer(workloads, 'Llama8B', { ..., engine: ServingEngine.VLLM });
 * new ModelServer(workloads, 'Llama8BMirror', { ..., engine: ServingEngine.vllm({ image: mirrored }) });
 */
export class ServingEngine {
  // The default engines are made on first use (one object each, the same on every read), so an
  // app loads the modules of the engines it uses only (lib/k8s/engines/*.js; issue 11).

  /** vLLM's OpenAI-compatible server with the pinned image. */
  public static get VLLM(): IServingEngine {
    return (DEFAULTS.vllm ??= new VllmEngine());
  }

  /** Triton Inference Server with the TensorRT-LLM backend and the pinned image. */
  public static get TRITON_TENSORRT_LLM(): IServingEngine {
    return (DEFAULTS.triton ??= new TritonTensorRtLlmEngine());
  }

  /** SGLang's OpenAI-compatible server with the pinned image. */
  public static get SGLANG(): IServingEngine {
    return (DEFAULTS.sglang ??= new SglangEngine());
  }

  /** vLLM with options. */
  public static vllm(options: VllmEngineOptions = {}): IServingEngine {
    return new VllmEngine(options);
  }

  /** Triton + TensorRT-LLM with options. */
  public static tritonTensorRtLlm(options: TritonTensorRtLlmEngineOptions = {}): IServingEngine {
    return new TritonTensorRtLlmEngine(options);
  }

  /** SGLang with options. */
  public static sglang(options: SglangEngineOptions = {}): IServingEngine {
    return new SglangEngine(options);
  }

  private constructor() {}
}
