import {
  ENGINE_IDS,
  EngineContainer,
  EngineId,
  containerProblems,
  engineContainers,
  engineOptionLines,
  envProblems,
  isPinnedBuild,
  optionProblems,
  pinnedTable,
  renderedOptions,
} from './engine-flag-check';
import { IMAGES } from '../../lib/k8s';
import { ENGINE_ENV, SGLANG_FLAGS, VLLM_FLAGS } from './engine-flags';
import { constructStacks, exampleStacks } from './fixtures';

/**
 * Every engine container the examples and the construct fixtures synthesize, found by container
 * name (the engine id) rather than by image, so images mirrored into a registry of the user's are
 * checked against the pinned version too.
 */
const containers = engineContainers([...exampleStacks(), ...constructStacks()]);
const of = (engine: EngineId) => containers.filter((c) => c.engine === engine);
const rendered = (engine: EngineId) => new Set(of(engine).flatMap(renderedOptions));

describe('engine command lines against the parser of the pinned version', () => {
  test('every engine has command lines to check, and each runs the pinned version (or a build of it)', () => {
    for (const engine of ENGINE_IDS) expect([engine, of(engine).length > 0]).toEqual([engine, true]);
    expect(
      containers.filter((c) => !isPinnedBuild(c.engine, c.image)).map((c) => `${c.where}: ${c.image}`),
    ).toEqual([]);
  });

  test('mirrored images are among the checked lines (the aws-inference EFA build of vLLM)', () => {
    expect(of('vllm').some((c) => !c.image.startsWith('vllm/vllm-openai:') && c.image.endsWith('-efa'))).toBe(
      true,
    );
  });

  test.each(containers.map((c): [string, EngineContainer] => [`${c.engine} ${c.where}`, c]))(
    '%s: every option exists at the pinned version, with a value its parser reads',
    (_where, c) => {
      expect(containerProblems(c)).toEqual([]);
    },
  );

  test.each(containers.map((c): [string, EngineContainer] => [`${c.engine} ${c.where}`, c]))(
    '%s: every engine-specific environment variable exists at the pinned version',
    (_where, c) => {
      expect(envProblems(c)).toEqual([]);
    },
  );
});

describe('every option path of every engine is rendered and checked', () => {
  // The vLLM and SGLang tables list exactly what the library renders: each entry must be
  // exercised by some synthesized command line, so no option path goes unchecked.
  test.each([['vllm', VLLM_FLAGS] as const, ['sglang', SGLANG_FLAGS] as const])(
    '%s: each option of the table is rendered by some command line',
    (engine, tables) => {
      const table = Object.values(tables)[0];
      const unseen = Object.keys(table.flags).filter(
        // `--model` is vllm serve's deprecated spelling of the positional model; the library never renders it.
        (f) => !rendered(engine).has(f) && !(engine === 'vllm' && f === 'model'),
      );
      expect(unseen).toEqual([]);
    },
  );

  test('llama.cpp: every option LlamaCppEngine renders (CPU and GPU offload, KV cache types) is checked', () => {
    expect([...rendered('llama-cpp')].sort()).toEqual(
      [
        'alias',
        'cache-type-k',
        'cache-type-v',
        'ctx-size',
        'flash-attn',
        'host',
        'metrics',
        'model',
        'n-gpu-layers',
        'no-slots',
        'no-webui',
        'parallel',
        'port',
        'threads',
        'threads-batch',
      ].sort(),
    );
  });

  test('Triton: one GPU and the mpirun launch (more than one rank) with explicit model control are checked', () => {
    expect(of('triton').some((c) => c.argv[0] === 'tritonserver')).toBe(true);
    expect(of('triton').some((c) => c.argv[0] === 'mpirun' && engineOptionLines(c).lines.length > 1)).toBe(
      true,
    );
    expect(rendered('triton')).toEqual(
      new Set([
        'model-repository',
        'http-port',
        'grpc-port',
        'metrics-port',
        'exit-timeout-secs',
        'model-control-mode',
        'load-model',
        'disable-auto-complete-config',
        'backend-config',
      ]),
    );
  });

  test('llama.cpp: the CPU and the CUDA image are both checked, and the CUDA image is the same build', () => {
    const images = of('llama-cpp').map((c) => c.image);
    expect(images.some((i) => i.endsWith(`:${IMAGES.llamaCppServer.tag}`))).toBe(true);
    expect(images.some((i) => i.endsWith(`:${IMAGES.llamaCppServerCuda.tag}`))).toBe(true);
    // pinnedTable('llama-cpp') checks both against the CPU image's table.
    expect(IMAGES.llamaCppServerCuda.tag.replace('server-cuda-', 'server-')).toBe(IMAGES.llamaCppServer.tag);
  });
});

describe('what the flag tables were read at', () => {
  test('each table names its source; only Triton was read at the pinned tag itself', () => {
    const atTag = ENGINE_IDS.filter((engine) => pinnedTable(engine).atPinnedTag);
    // vLLM v0.31.0, SGLang v0.5.20 and llama.cpp b9994 were checked against main-branch copies of
    // their parsers (see test/consumers/engine-flags.ts). Reading a tag flips its table to true.
    expect(atTag).toEqual(['triton']);
    for (const engine of ENGINE_IDS) {
      const t = pinnedTable(engine);
      // A commit, and either the tag read or the statement that it was not.
      expect(t.source).toMatch(/[0-9a-f]{8}/);
      expect(t.source).toMatch(t.atPinnedTag ? /\btag v\d/ : /NOT tag/);
    }
    // Every option vLLM is given was found in the parser read: none is only "unverified".
    expect(VLLM_FLAGS[IMAGES.vllm.tag].unverified).toEqual({});
  });

  test('the library sets no engine-specific environment variable; every table of them is empty', () => {
    expect(
      containers.flatMap((c) =>
        c.env.filter((n) => ENGINE_ENV[c.engine].prefixes.some((p) => n.startsWith(p))),
      ),
    ).toEqual([]);
    expect(Object.values(ENGINE_ENV).map((e) => Object.keys(e.names).length)).toEqual([0, 0, 0, 0]);
  });
});

describe('the checker reports what each engine parser would refuse', () => {
  const line = (engine: EngineId, argv: string[]): EngineContainer => ({
    where: 'test',
    engine,
    image: 'x:y',
    argv,
    env: [],
  });

  test('vLLM: a renamed option, a value of the wrong type or outside the choices, a missing model', () => {
    expect(
      containerProblems(
        line('vllm', [
          '/models/m',
          '--tensor-parallel',
          '2',
          '--max-num-seqs',
          'many',
          '--kv-cache-dtype',
          'fp4',
          '--headless=yes',
          '--lora-modules',
          '--enable-lora',
          '--shutdown-timeout',
          '30',
          '--served-model-name',
        ]),
      ),
    ).toEqual([
      expect.stringMatching(/^--tensor-parallel: not an option at the pinned version/),
      "'2': a positional argument where only options are taken",
      "--max-num-seqs: 'many' does not parse as int",
      "--kv-cache-dtype: 'fp4' is not one of auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2, fp8_inc, fp8_ds_mla",
      "--headless: takes no value, got 'yes'",
      '--lora-modules: expects a value (list), got none',
      '--served-model-name: expects a value (list), got none',
    ]);
    expect(containerProblems(line('vllm', ['--port', '8000']))[0]).toMatch(
      /first argument must be the model/,
    );
  });

  test('SGLang: a vLLM spelling, a float where an int goes, a KV cache dtype SGLang does not take', () => {
    expect(
      containerProblems(
        line('sglang', [
          'python3',
          '-m',
          'sglang.launch_server',
          '--tensor-parallel-size',
          '2',
          '--max-running-requests',
          '1.5',
          '--kv-cache-dtype',
          'fp8',
          '--port',
          'x',
          '--enable-metrics',
        ]),
      ),
    ).toEqual([
      expect.stringMatching(/^--tensor-parallel-size: not an option at the pinned version/),
      "'2': a positional argument where only options are taken",
      "--max-running-requests: '1.5' does not parse as int",
      "--kv-cache-dtype: 'fp8' is not one of auto, fp8_e5m2, fp8_e4m3, bf16, bfloat16, fp4_e2m1",
      "--port: 'x' does not parse as int",
    ]);
    expect(containerProblems(line('sglang', ['python3', '-m', 'sglang.launch']))).toEqual([
      '["python3","-m","sglang.launch"]: expected python3 -m sglang.launch_server',
    ]);
  });

  test('llama.cpp: a short alias spelled long, a suffixed size, an unknown cache type, a missing value', () => {
    expect(
      containerProblems(
        line('llama-cpp', [
          '--n-gpu-layer',
          '99',
          '--ctx-size',
          '8k',
          '--cache-type-k',
          'fp8',
          '--metrics',
          '--port',
        ]),
      ),
    ).toEqual([
      expect.stringMatching(/^--n-gpu-layer: not an option at the pinned version/),
      "'99': a positional argument where only options are taken",
      "--ctx-size: '8k' does not parse as int",
      "--cache-type-k: 'fp8' is not one of f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1",
      '--port: expects a value (int), got none',
    ]);
  });

  test('Triton: a bool it does not read, an unknown model control mode, unknown backend settings, a bad mpirun segment', () => {
    expect(
      containerProblems(
        line('triton', [
          'mpirun',
          '-n',
          '1',
          'tritonserver',
          '--strict-readiness=yes',
          '--model-control-mode=manual',
          '--exit-timeout=30',
          '--grpc-port',
          'x',
          '--backend-config=python,shm-region-prefix=prefix0_',
          '--backend-config=tensorrtllm,foo=1',
          ':',
          '-n',
          '1',
          'bash',
        ]),
      ),
    ).toEqual([
      'mpirun segment ["-n","1","bash"]: expected -n <count> tritonserver',
      "--strict-readiness: 'yes' does not parse as bool",
      "--model-control-mode: 'manual' is not one of none, poll, explicit",
      expect.stringMatching(/^--exit-timeout: not an option at the pinned version/),
      "--grpc-port: 'x' does not parse as int",
      expect.stringMatching(
        /^--backend-config=python,shm-region-prefix=prefix0_: 'shm-region-prefix' is not a setting/,
      ),
      "--backend-config=tensorrtllm,foo=1: no settings known for backend 'tensorrtllm'",
    ]);
  });

  test('an engine-specific environment variable the table does not list is reported', () => {
    expect(envProblems({ ...line('vllm', []), env: ['HOME', 'VLLM_USE_V2_MAGIC'] })).toEqual([
      'VLLM_USE_V2_MAGIC: not a variable vllm reads at the pinned version (see ENGINE_ENV)',
    ]);
  });

  test('option values parse as the parsers read them', () => {
    const t = pinnedTable('vllm');
    expect(optionProblems(['--gpu-memory-utilization', '0.9', '--gpu-memory-utilization=1e-1'], t)).toEqual(
      [],
    );
    expect(optionProblems(['--gpu-memory-utilization', '0.9x'], t)).toEqual([
      "--gpu-memory-utilization: '0.9x' does not parse as float",
    ]);
    expect(optionProblems(['--lora-modules', 'a=/x', 'b=/y', '--enable-lora'], t)).toEqual([]);
  });
});
