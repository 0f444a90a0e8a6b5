/**
 * Command-line options of the serving engines at the versions lib/k8s/versions.ts pins, written
 * from each engine's own argument parser, so tests can check every flag the library renders.
 * Each table says whether it was read at the pinned tag itself ({@link EngineFlags.atPinnedTag})
 * and, where it was not, exactly which sources were read instead.
 *
 * Triton Inference Server 26.03 (`nvcr.io/nvidia/tritonserver:26.03-*`) is server release
 * v2.67.0: triton-inference-server/server tag v2.67.0 (commit
 * f72de0733e63cb7ada8bd374930de1a86ba9fe6b, 2026-03-24), `src/command_line_parser.cc`, the
 * `*_options_.push_back({OPTION_..., "<name>", Option::Arg<Type>, ...})` tables (every
 * `TRITON_ENABLE_*` group included: the NGC images are built with HTTP, GRPC, metrics, logging,
 * tracing, SageMaker and Vertex AI). Options whose argument is a format string
 * (`<integer>:<integer>`) are listed as `string`. Re-read from a git checkout of the tag on
 * 2026-12-03: the 90 options and their argument types equal this table.
 *
 * SGLang v0.5.20 (`lmsysorg/sglang:v0.5.20`): NOT read at the tag (no snapshot of
 * sgl-project/sglang small enough to fetch here, and the stored-file index holds main-branch
 * copies only). Every option listed was read in two main-branch copies, and exists with the same
 * type in both: `python/sglang/srt/server_args.py` at 469c63e5 (the `ServerArgs` dataclass, whose
 * fields become `--kebab-case` options through `add_cli_args_from_dataclass`: `A[type, help]`
 * annotations; a `bool` field is a store-true flag; `choices` from its `Arg(...)`), and the later
 * split of those fields into `python/sglang/srt/arg_groups/fields/*.py` (`model.py` 6074b7d5:
 * model-path, context-length, revision, json-model-override-args, dtype, kv-cache-dtype;
 * `parallel.py` 04817247: tp-size; `schedule.py` 144437f1: mem-fraction-static,
 * max-running-requests; `serving.py` 1ac331b7: host, port, served-model-name;
 * `observability.py` d39ef3c6: enable-metrics). Choices are the values both copies accept.
 *
 * vLLM v0.31.0 (`vllm/vllm-openai:v0.31.0`, entrypoint `vllm serve`): see {@link VLLM_FLAGS}.
 */

/**
 * The type of an option's argument as the parser reads it: `none` takes no value (a store-true
 * or `BooleanOptionalAction` flag), `list` takes one or more values (argparse `nargs="+"`).
 */
export type EngineFlagType = 'int' | 'float' | 'bool' | 'string' | 'list' | 'none';

/** The options of one engine build, by image tag. */
export interface EngineFlags {
  /** Repository, tag, commit and path of the parser. */
  readonly source: string;
  /**
   * Whether the parser was read at the tag the image is built from. `false`: it was read at other
   * commits, named in `source`, and the table is evidence, not proof, for the pinned image.
   */
  readonly atPinnedTag: boolean;
  /** Option name (without `--`) to argument type. */
  readonly flags: Readonly<Record<string, EngineFlagType>>;
}

/** Options of an engine whose parser restricts some values to choices. */
export interface EngineFlagsWithChoices extends EngineFlags {
  /** Option name (without `--`) to its allowed values. */
  readonly choices: Readonly<Record<string, readonly string[]>>;
}

/** Triton's options by the image tag of `IMAGES.tritonTensorRtLlm`. */
export const TRITON_FLAGS: Readonly<Record<string, EngineFlagsWithChoices>> = {
  '26.03-trtllm-python-py3': {
    source:
      'triton-inference-server/server tag v2.67.0 (f72de0733e63cb7ada8bd374930de1a86ba9fe6b) src/command_line_parser.cc',
    atPinnedTag: true,
    flags: {
      'allow-cpu-metrics': 'bool',
      'allow-gpu-metrics': 'bool',
      'allow-grpc': 'bool',
      'allow-http': 'bool',
      'allow-metrics': 'bool',
      'allow-sagemaker': 'bool',
      'allow-vertex-ai': 'bool',
      'backend-config': 'string',
      'backend-directory': 'string',
      'buffer-manager-thread-count': 'int',
      'cache-config': 'string',
      'cache-directory': 'string',
      'cuda-memory-pool-byte-size': 'string',
      'cuda-virtual-address-size': 'string',
      'disable-auto-complete-config': 'none',
      'enable-peer-access': 'bool',
      'exit-on-error': 'bool',
      'exit-timeout-secs': 'int',
      'grpc-address': 'string',
      'grpc-header-forward-pattern': 'string',
      'grpc-http2-max-ping-strikes': 'int',
      'grpc-http2-max-pings-without-data': 'int',
      'grpc-http2-min-recv-ping-interval-without-data': 'int',
      'grpc-infer-allocation-pool-size': 'int',
      'grpc-infer-response-compression-level': 'string',
      'grpc-infer-thread-count': 'int',
      'grpc-keepalive-permit-without-calls': 'bool',
      'grpc-keepalive-time': 'int',
      'grpc-keepalive-timeout': 'int',
      'grpc-max-connection-age': 'int',
      'grpc-max-connection-age-grace': 'int',
      'grpc-max-response-pool-size': 'int',
      'grpc-port': 'int',
      'grpc-restricted-protocol': 'string',
      'grpc-root-cert': 'string',
      'grpc-server-cert': 'string',
      'grpc-server-key': 'string',
      'grpc-use-ssl': 'bool',
      'grpc-use-ssl-mutual': 'bool',
      help: 'none',
      'host-policy': 'string',
      'http-address': 'string',
      'http-header-forward-pattern': 'string',
      'http-max-input-size': 'int',
      'http-port': 'int',
      'http-restricted-api': 'string',
      'http-thread-count': 'int',
      id: 'string',
      'load-model': 'string',
      'log-error': 'bool',
      'log-file': 'string',
      'log-format': 'string',
      'log-info': 'bool',
      'log-verbose': 'int',
      'log-warning': 'bool',
      'metrics-address': 'string',
      'metrics-config': 'string',
      'metrics-interval-ms': 'float',
      'metrics-port': 'int',
      'min-supported-compute-capability': 'float',
      'model-config-name': 'string',
      'model-control-mode': 'string',
      'model-load-gpu-limit': 'string',
      'model-load-retry-count': 'int',
      'model-load-thread-count': 'int',
      'model-namespacing': 'bool',
      'model-repository': 'string',
      'model-store': 'string',
      'pinned-memory-pool-byte-size': 'int',
      'rate-limit': 'string',
      'rate-limit-resource': 'string',
      'repoagent-directory': 'string',
      'repository-poll-secs': 'int',
      'response-cache-byte-size': 'int',
      'reuse-grpc-port': 'bool',
      'reuse-http-port': 'bool',
      'sagemaker-port': 'int',
      'sagemaker-safe-port-range': 'string',
      'sagemaker-thread-count': 'int',
      'strict-model-config': 'bool',
      'strict-readiness': 'bool',
      'trace-config': 'string',
      'trace-count': 'int',
      'trace-file': 'string',
      'trace-level': 'string',
      'trace-log-frequency': 'int',
      'trace-rate': 'int',
      'vertex-ai-default-model': 'string',
      'vertex-ai-port': 'int',
      'vertex-ai-thread-count': 'int',
    },
    choices: {
      // The string comparisons of CLParser::Parse (OPTION_MODEL_CONTROL_MODE, OPTION_LOG_FORMAT).
      'model-control-mode': ['none', 'poll', 'explicit'],
      'log-format': ['default', 'ISO8601'],
    },
  },
};

/**
 * The settings each Triton backend reads from `--backend-config=<backend>,<setting>=<value>`, by
 * backend, at the backend release of `IMAGES.tritonTensorRtLlm` (26.03): the Python backend (which
 * runs the TensorRT-LLM pre/post-processing models) reads them with `cmdline.Find("<setting>")` in
 * `src/python_be.cc` on triton-inference-server/python_backend branch r26.03 (tip
 * 65529b0307b7df9590c6bb51d1872d0773340086, 2026-03-09; read from a git checkout on 2026-12-03).
 * `shm-region-prefix-name` per MPI rank is what tensorrtllm_backend's README (branch r26.03,
 * 9736c4df) passes for leader-mode launches.
 */
export const TRITON_BACKEND_SETTINGS: Readonly<
  Record<string, { readonly source: string; readonly settings: readonly string[] }>
> = {
  python: {
    source: 'triton-inference-server/python_backend r26.03 (65529b03) src/python_be.cc',
    settings: [
      'backend-directory',
      'shm-default-byte-size',
      'shm-growth-byte-size',
      'shm-region-prefix-name',
      'shm_message_queue_size',
      'stub-timeout-seconds',
      'thread-pool-size',
    ],
  },
};

/** SGLang's options this library renders, by the image tag of `IMAGES.sglang`. */
export const SGLANG_FLAGS: Readonly<Record<string, EngineFlagsWithChoices>> = {
  'v0.5.20': {
    source:
      'sgl-project/sglang python/sglang/srt/server_args.py (469c63e5) + python/sglang/srt/arg_groups/fields/*.py (main, Dec 2026); NOT tag v0.5.20',
    atPinnedTag: false,
    flags: {
      'context-length': 'int',
      dtype: 'string',
      'enable-metrics': 'none',
      host: 'string',
      'json-model-override-args': 'string',
      'kv-cache-dtype': 'string',
      'max-running-requests': 'int',
      'mem-fraction-static': 'float',
      'model-path': 'string',
      port: 'int',
      revision: 'string',
      'served-model-name': 'string',
      'tp-size': 'int',
    },
    choices: {
      dtype: ['auto', 'half', 'float16', 'bfloat16', 'float', 'float32'],
      'kv-cache-dtype': ['auto', 'fp8_e5m2', 'fp8_e4m3', 'bf16', 'bfloat16', 'fp4_e2m1'],
    },
  },
};

/** Options of an engine some of whose rendered options could not be found in the parser read. */
export interface EngineFlagsWithUnverified extends EngineFlagsWithChoices {
  /** Option name (without `--`) the library renders but the parser read lacks, to why. */
  readonly unverified: Readonly<Record<string, string>>;
}

/**
 * vLLM's `vllm serve` options this library renders, by the image tag of `IMAGES.vllm`.
 *
 * Read from vllm-project/vllm with the stored-file tools; the v0.31.0 tag could NOT be opened
 * here, so these are NOT the tag's files but the newest versions the index held:
 * - `vllm/engine/arg_utils.py` at commit 99d7eb5d6a512cfcc5a2b104f24ebf2d6cda772b:
 *   `EngineArgs.add_cli_args` registers each option from a config dataclass field through
 *   `get_kwargs` (`bool` field: `BooleanOptionalAction`, no value; `Literal`: `choices`, unless
 *   the type also admits `str`; `list[...]`: `nargs="+"`; `int`/`float`: that type, with
 *   `--max-model-len` and `--max-num-batched-tokens` as `human_readable_int`; `dict | str`:
 *   JSON or a string). `--enable-lora` is `BooleanOptionalAction`.
 * - `vllm/entrypoints/openai/cli_args.py` at commit 005223338608bc94fd165a4f976c102a57bd1fc4:
 *   `make_arg_parser` (positional `model_tag`, `--headless` store-true) and `FrontendArgs`
 *   (`--host`, `--port`, `--lora-modules` as `nargs="+"` `name=path` or JSON).
 * - choices: `ModelDType` (`vllm/config/model.py`), `CacheDType` (`vllm/config/cache.py`, the
 *   values every stored version shares), `DetailedTraceModules` (`vllm/config/observability.py`;
 *   `add_cli_args` also accepts every comma-joined pair).
 * - `--nnodes`, `--node-rank`, `--master-addr`, `--master-port`: `ParallelConfig.nnodes`,
 *   `node_rank`, `master_addr`, `master_port` (`vllm/config/parallel.py` at 00193b82, as cited in
 *   lib/k8s/engines/vllm.ts); they are NOT registered in arg_utils.py at 99d7eb5d (older than
 *   that field), but are in later stored copies of arg_utils.py
 *   (`parallel_group.add_argument("--nnodes", "-n", **parallel_kwargs["nnodes"])`), whose
 *   commit the index does not name.
 *
 * Checked again on 2026-12-03 for the pin: no snapshot of vllm-project/vllm small enough to fetch
 * here, and no stored copy of these files at the v0.31.0 tag (the stored arg_utils.py copies are
 * main-branch commits, the newest named one 99d7eb5d, about v0.17). The `vllm serve` page
 * docs.vllm.ai publishes per release (generated from the parser by
 * `docs/mkdocs/hooks/generate_argparse.py`) was read for the newest release stored: v0.30.0 lists `--headless` and `--shutdown-timeout` (integer,
 * "0 = abort, >0 = wait"); the v0.26.0 API page of `vllm/config/lora.py` has `max_cpu_loras`,
 * `max_loras` and `max_lora_rank`. Nothing read shows an option of this table removed or renamed
 * between those versions and v0.31.0, but that is evidence, not the tag's parser
 * (`atPinnedTag: false`): run `vllm serve --help=all` in the pinned image to close it.
 */
export const VLLM_FLAGS: Readonly<Record<string, EngineFlagsWithUnverified>> = {
  'v0.31.0': {
    source:
      'vllm-project/vllm vllm/engine/arg_utils.py (99d7eb5d) + vllm/entrypoints/openai/cli_args.py (00522333); NOT tag v0.31.0',
    atPinnedTag: false,
    flags: {
      'collect-detailed-traces': 'string',
      // SchedulerConfig.disable_hybrid_kv_cache_manager, a bool field: BooleanOptionalAction, no value.
      'disable-hybrid-kv-cache-manager': 'none',
      dtype: 'string',
      'enable-lora': 'none',
      'gpu-memory-utilization': 'float',
      headless: 'none',
      'hf-overrides': 'string',
      host: 'string',
      'kv-cache-dtype': 'string',
      'load-format': 'string',
      'lora-modules': 'list',
      'master-addr': 'string',
      'master-port': 'int',
      'max-cpu-loras': 'int',
      'max-lora-rank': 'int',
      'max-loras': 'int',
      'max-model-len': 'int',
      'max-num-batched-tokens': 'int',
      'max-num-seqs': 'int',
      model: 'string',
      nnodes: 'int',
      'node-rank': 'int',
      'otlp-traces-endpoint': 'string',
      'pipeline-parallel-size': 'int',
      port: 'int',
      revision: 'string',
      'served-model-name': 'list',
      'shutdown-timeout': 'int',
      'tensor-parallel-size': 'int',
    },
    choices: {
      'collect-detailed-traces': [
        'all',
        'model',
        'worker',
        'model,worker',
        'model,all',
        'worker,model',
        'worker,all',
        'all,model',
        'all,worker',
      ],
      dtype: ['auto', 'half', 'float16', 'bfloat16', 'float', 'float32'],
      'kv-cache-dtype': ['auto', 'bfloat16', 'fp8', 'fp8_e4m3', 'fp8_e5m2', 'fp8_inc', 'fp8_ds_mla'],
    },
    // --shutdown-timeout: added to EngineArgs by vllm-project/vllm PR #36666 (merged 2026-03-13, after
    // the 99d7eb5d copy read above; released in v0.18), 0 = abort in-flight requests at SIGTERM.
    unverified: {},
  },
};

/**
 * llama.cpp `llama-server` options, by the image tag of `IMAGES.llamaCppServer` /
 * `IMAGES.llamaCppServerCuda`: the options the library renders plus the ones users commonly add,
 * each read from `common_params_parser_init` in ggml-org/llama.cpp `common/arg.cpp` (commit
 * 145b6280d6aa1890e22457143dad0badb3fd6820, the version the index holds; the b9994 tag itself
 * could not be opened here). An option registered as `{"--x"}, {"--no-x"}` (a bool handler) or
 * with no value hint is `none`; one with a value hint `N` and an int handler is `int`.
 * Short aliases are listed under their long name only: the library renders long names.
 */
export const LLAMA_SERVER_FLAGS: Readonly<Record<string, EngineFlagsWithChoices>> = {
  'server-b9994': {
    source:
      'ggml-org/llama.cpp common/arg.cpp @ 145b6280 (common_params_parser_init, LLAMA_EXAMPLE_SERVER); NOT tag b9994',
    atPinnedTag: false,
    flags: {
      alias: 'string',
      'batch-size': 'int',
      'cache-type-k': 'string',
      'cache-type-v': 'string',
      'cont-batching': 'none',
      'ctx-size': 'int',
      'flash-attn': 'string',
      host: 'string',
      jinja: 'none',
      'kv-unified': 'none',
      metrics: 'none',
      mlock: 'none',
      model: 'string',
      'n-gpu-layers': 'int',
      'no-mmap': 'none',
      'no-slots': 'none',
      'no-webui': 'none',
      parallel: 'int',
      port: 'int',
      threads: 'int',
      'threads-batch': 'int',
      timeout: 'int',
      'ubatch-size': 'int',
    },
    choices: {
      // kv_cache_types in common/arg.cpp, as ggml_type_name prints them.
      'cache-type-k': ['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'iq4_nl', 'q5_0', 'q5_1'],
      'cache-type-v': ['f32', 'f16', 'bf16', 'q8_0', 'q4_0', 'q4_1', 'iq4_nl', 'q5_0', 'q5_1'],
      // is_truthy / is_falsey / is_autoy.
      'flash-attn': ['on', 'off', 'auto', 'enabled', 'disabled', 'true', 'false', '1', '0', '-1'],
    },
  },
};

/**
 * The engine-specific environment variables (by prefix) the library may set on an engine
 * container, by engine id (the container's name), with the names that exist at the pinned version.
 * The library sets none today: engine behaviour is configured through the flags above, and the
 * containers carry only `HOME`, `USER`, `HF_*` and `OTEL_*` variables. A variable added here must
 * be read in the engine's own list at the pinned tag (vLLM `vllm/envs.py`, SGLang
 * `python/sglang/srt/environ.py`, llama.cpp `LLAMA_ARG_*` in `common/arg.cpp`, Triton none) and cited.
 */
export const ENGINE_ENV: Readonly<
  Record<string, { readonly prefixes: readonly string[]; readonly names: Readonly<Record<string, string>> }>
> = {
  vllm: { prefixes: ['VLLM_'], names: {} },
  sglang: { prefixes: ['SGLANG_', 'SGL_'], names: {} },
  'llama-cpp': { prefixes: ['LLAMA_ARG_', 'LLAMA_'], names: {} },
  triton: { prefixes: ['TRITON_', 'TRTLLM_', 'TLLM_'], names: {} },
};
