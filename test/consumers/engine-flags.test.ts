import { IMAGES } from '../../lib/k8s';
import { LWS_WORKER_INDEX } from '../../lib/k8s/private/leader-worker-set';
import {
  EngineFlags,
  EngineFlagsWithChoices,
  EngineFlagsWithUnverified,
  LLAMA_SERVER_FLAGS,
  SGLANG_FLAGS,
  TRITON_FLAGS,
  VLLM_FLAGS,
} from './engine-flags';
import { constructStacks, exampleStacks } from './fixtures';
import { kubernetesObjects } from './k8s-schema';

/** `tritonserver --a=1 --b 2 --c` as [name, value] pairs, checked against the parser's table. */
function flagProblems(args: string[], engine: EngineFlags): string[] {
  const problems: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      problems.push(`'${a}': not an option (the engine takes no positional arguments here)`);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const type = engine.flags[name];
    if (!type) {
      problems.push(`--${name}: not an option of this engine build (${engine.source})`);
      continue;
    }
    if (type === 'none') continue;
    if (type === 'list' && eq < 0) {
      // argparse nargs="+": one or more values, up to the next option.
      const values: string[] = [];
      while (i + 1 < args.length && !args[i + 1].startsWith('--')) values.push(args[++i]);
      if (values.length === 0 || values.some((v) => v.length === 0)) {
        problems.push(`--${name}: expects one or more values, got ${JSON.stringify(values)}`);
      }
      continue;
    }
    const value = eq < 0 ? args[++i] : a.slice(eq + 1);
    const ok =
      value !== undefined &&
      (type === 'int'
        ? /^-?\d+$/.test(value)
        : type === 'float'
          ? /^-?\d+(\.\d+)?$/.test(value)
          : type === 'bool'
            ? /^(true|false|1|0|on|off)$/i.test(value)
            : value.length > 0);
    if (!ok) problems.push(`--${name}: '${value}' is not of type ${type}`);
    const choices = (engine as Partial<EngineFlagsWithChoices>).choices?.[name];
    if (ok && choices && !choices.includes(value)) {
      problems.push(`--${name}: '${value}' is not one of ${choices.join(', ')}`);
    }
  }
  return problems;
}

/**
 * The `tritonserver` command lines of a container: the command itself, or, under
 * `mpirun -n 1 tritonserver ... : -n 1 tritonserver ...` (leader mode), one per rank. Anything
 * else in an mpirun line is reported.
 */
function tritonLines(command: string[]): { lines: string[][]; problems: string[] } {
  if (command[0] === 'tritonserver') return { lines: [command], problems: [] };
  const lines: string[][] = [];
  const problems: string[] = [];
  let segment: string[] = [];
  for (const a of [...command.slice(1), ':']) {
    if (a !== ':') {
      segment.push(a);
      continue;
    }
    if (segment[0] !== '-n' || !/^[1-9]\d*$/.test(segment[1] ?? '') || segment[2] !== 'tritonserver') {
      problems.push(
        `mpirun segment ${JSON.stringify(segment.slice(0, 3))}: expected '-n <count> tritonserver'`,
      );
    } else {
      lines.push(segment.slice(2));
    }
    segment = [];
  }
  return { lines, problems };
}

/** Every container of every pod template whose command line starts with one of `commands`. */
function commandLines(commands: string[]): Array<[string, string, string[]]> {
  return [...exampleStacks(), ...constructStacks()].flatMap((s) =>
    kubernetesObjects(s.json).flatMap(({ address, object }) => {
      const containers: any[] = object.spec?.template?.spec?.containers ?? [];
      return containers
        .filter((c) => commands.includes((c.command ?? c.args ?? [])[0]))
        .map((c): [string, string, string[]] => [
          `${s.name}: ${address}`,
          c.image,
          [...(c.command ?? []), ...(c.args ?? [])],
        ]);
    }),
  );
}

const tritonCommandLines = () => commandLines(['tritonserver', 'mpirun']);

describe('engine flags exist in the pinned engine build', () => {
  const lines = tritonCommandLines();

  test('there are Triton command lines to check', () => {
    expect(lines.length).toBeGreaterThan(0);
  });

  test('the Triton flag table is for the pinned Triton image', () => {
    expect(Object.keys(TRITON_FLAGS)).toContain(IMAGES.tritonTensorRtLlm.tag);
  });

  test.each(lines)(
    '%s (%s): every tritonserver option exists, with a value of its type',
    (_source, image, args) => {
      const tag = image.slice(image.lastIndexOf(':') + 1);
      const engine = TRITON_FLAGS[tag];
      const { lines: ranks, problems } = tritonLines(args);
      expect(ranks.length).toBeGreaterThan(0);
      expect(
        engine
          ? [...problems, ...ranks.flatMap((r) => flagProblems(r, engine))]
          : [`no flag table for ${tag}`],
      ).toEqual([]);
    },
  );

  test('an mpirun-launched Triton (more than one GPU) is among the checked lines', () => {
    expect(lines.some(([, , args]) => args[0] === 'mpirun' && tritonLines(args).lines.length > 1)).toBe(true);
  });

  test('an mpirun line that does not launch tritonserver per rank is reported', () => {
    expect(
      tritonLines(['mpirun', '-n', '1', 'tritonserver', '--http-port=8000', ':', '-n', '1', 'bash']).problems,
    ).toEqual([`mpirun segment ["-n","1","bash"]: expected '-n <count> tritonserver'`]);
  });

  test('an option Triton does not have, or a value of the wrong type, is reported', () => {
    const engine = TRITON_FLAGS[IMAGES.tritonTensorRtLlm.tag];
    expect(
      flagProblems(['tritonserver', '--http-port=8000', '--exit-timeout=30', '--grpc-port', 'x'], engine),
    ).toEqual([
      expect.stringMatching(/^--exit-timeout: not an option/),
      "--grpc-port: 'x' is not of type int",
    ]);
  });
});

describe('SGLang flags exist in the pinned SGLang build', () => {
  const lines = commandLines(['python3']).filter(([, , args]) => args[2] === 'sglang.launch_server');

  test('there are SGLang command lines to check, for the pinned image', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(Object.keys(SGLANG_FLAGS)).toContain(IMAGES.sglang.tag);
  });

  test.each(lines)(
    '%s (%s): every launch_server option exists, with a value of its type',
    (_source, image, args) => {
      const tag = image.slice(image.lastIndexOf(':') + 1);
      const engine = SGLANG_FLAGS[tag];
      // python3 -m sglang.launch_server: the options start after the module name.
      expect(engine ? flagProblems(args.slice(2), engine) : [`no flag table for ${tag}`]).toEqual([]);
    },
  );

  test('an option SGLang does not have, a wrong type or a value outside its choices is reported', () => {
    const engine = SGLANG_FLAGS[IMAGES.sglang.tag];
    expect(
      flagProblems(
        [
          'sglang.launch_server',
          '--tensor-parallel',
          '2',
          '--port',
          'x',
          '--kv-cache-dtype',
          'fp8',
          '--enable-metrics',
        ],
        engine,
      ),
    ).toEqual([
      expect.stringMatching(/^--tensor-parallel: not an option/),
      "'2': not an option (the engine takes no positional arguments here)",
      "--port: 'x' is not of type int",
      "--kv-cache-dtype: 'fp8' is not one of auto, fp8_e5m2, fp8_e4m3, bf16, bfloat16, fp4_e2m1",
    ]);
  });
});

/**
 * `vllm serve` arguments of a container (the image's entrypoint is `vllm serve`, the container
 * has only `args`): the positional model, then options. Options the flag table marks unverified
 * are taken out (with their value) and returned, so the test can report them by name.
 */
function vllmProblems(
  args: string[],
  engine: EngineFlagsWithUnverified,
): { problems: string[]; unverified: string[] } {
  const rest: string[] = [];
  const unverified: string[] = [];
  // The kubelet expands `$(LWS_WORKER_INDEX)` from the variable the LeaderWorkerSet webhook sets
  // on every pod of a group (lib/k8s/private/leader-worker-set.ts): a worker's index, 1 or more.
  args = args.map((a) => (a === LWS_WORKER_INDEX ? '1' : a));
  for (let i = 1; i < args.length; i++) {
    const name = args[i].startsWith('--') ? args[i].slice(2).split('=')[0] : undefined;
    if (name !== undefined && engine.unverified[name] !== undefined) {
      unverified.push(name);
      if (!args[i].includes('=') && i + 1 < args.length && !args[i + 1].startsWith('--')) i++;
      continue;
    }
    rest.push(args[i]);
  }
  const model = args[0];
  const problems =
    model === undefined || model.startsWith('-')
      ? [`'${model}': the first argument must be the model (vllm serve's positional model_tag)`]
      : [];
  // flagProblems skips its first element (the command name): pass the model there.
  return { problems: [...problems, ...flagProblems([model ?? '', ...rest], engine)], unverified };
}

/** Every container running the pinned vLLM image (by repository), in any pod template. */
function vllmCommandLines(): Array<[string, string, string[]]> {
  const repository = `${IMAGES.vllm.repository}:`;
  return [...exampleStacks(), ...constructStacks()].flatMap((s) =>
    kubernetesObjects(s.json).flatMap(({ address, object }) => {
      const lws = object.spec?.leaderWorkerTemplate;
      const templates: Array<[string, any]> = [
        ['', object.spec?.template?.spec],
        [' (leader)', lws?.leaderTemplate?.spec],
        [' (worker)', lws?.workerTemplate?.spec],
      ];
      return templates.flatMap(([role, spec]) =>
        ((spec?.containers ?? []) as any[])
          .filter((c) => typeof c.image === 'string' && c.image.includes(repository) && !c.command)
          .map((c): [string, string, string[]] => [`${s.name}: ${address}${role}`, c.image, c.args ?? []]),
      );
    }),
  );
}

describe('vLLM flags exist in the pinned vLLM build', () => {
  const lines = vllmCommandLines();
  const tagOf = (image: string) => image.slice(image.lastIndexOf(':') + 1).replace(/-efa$/, '');
  const allFlags = new Set(lines.flatMap(([, , args]) => args.filter((a) => a.startsWith('--'))));

  test('there are vLLM command lines to check, for the pinned image', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(Object.keys(VLLM_FLAGS)).toContain(IMAGES.vllm.tag);
    expect(new Set(lines.map(([, image]) => tagOf(image)))).toEqual(new Set([IMAGES.vllm.tag]));
  });

  test.each([
    ['single node', '--served-model-name'],
    ['LoRA', '--lora-modules'],
    ['LoRA CPU cache', '--max-cpu-loras'],
    ['multi-node', '--node-rank'],
    ['multi-node worker', '--headless'],
    ['tracing', '--collect-detailed-traces'],
    ['weights streaming', '--load-format'],
    ['pinned revision', '--revision'],
    ['pipeline parallel', '--pipeline-parallel-size'],
    ['quantization dtype', '--dtype'],
    ['FP8 KV cache', '--kv-cache-dtype'],
    ['rope scaling', '--hf-overrides'],
  ])('the checked lines include a %s line (%s)', (_what, flag) => {
    expect(allFlags).toContain(flag);
  });

  test.each(lines)(
    '%s (%s): every vllm serve option exists, with a value of its type',
    (_source, image, args) => {
      const engine = VLLM_FLAGS[tagOf(image)];
      expect(engine ? vllmProblems(args, engine).problems : [`no flag table for ${tagOf(image)}`]).toEqual(
        [],
      );
    },
  );

  test('the options rendered but not found in the vLLM parser read are exactly the listed ones', () => {
    const engine = VLLM_FLAGS[IMAGES.vllm.tag];
    const seen = new Set(lines.flatMap(([, , args]) => vllmProblems(args, engine).unverified));
    // Reported, not dropped: see VLLM_FLAGS unverified (check against `vllm serve --help`).
    expect([...seen].sort()).toEqual(Object.keys(engine.unverified).sort());
    expect([...seen]).toEqual([]);
  });

  test('a misspelled option, a wrong type, a value outside its choices or a missing model is reported', () => {
    const engine = VLLM_FLAGS[IMAGES.vllm.tag];
    expect(
      vllmProblems(
        [
          '/models/llama',
          '--tensor-parallel',
          '2',
          '--max-num-seqs',
          'many',
          '--kv-cache-dtype',
          'fp4',
          '--gpu-memory-utilization=0.9x',
          '--lora-modules',
          '--enable-lora',
          '--shutdown-timeout',
          '30',
        ],
        engine,
      ),
    ).toEqual({
      problems: [
        expect.stringMatching(/^--tensor-parallel: not an option/),
        "'2': not an option (the engine takes no positional arguments here)",
        "--max-num-seqs: 'many' is not of type int",
        "--kv-cache-dtype: 'fp4' is not one of auto, bfloat16, fp8, fp8_e4m3, fp8_e5m2, fp8_inc, fp8_ds_mla",
        "--gpu-memory-utilization: '0.9x' is not of type float",
        '--lora-modules: expects one or more values, got []',
      ],
      unverified: [],
    });
    expect(vllmProblems(['--port', '8000'], engine).problems[0]).toMatch(/first argument must be the model/);
  });
});

/** Every container running a pinned llama.cpp image (by repository), in any pod template. */
function llamaServerCommandLines(): Array<[string, string, string[]]> {
  const repository = `${IMAGES.llamaCppServer.repository}:`;
  return [...exampleStacks(), ...constructStacks()].flatMap((s) =>
    kubernetesObjects(s.json).flatMap(({ address, object }) =>
      ((object.spec?.template?.spec?.containers ?? []) as any[])
        .filter((c) => typeof c.image === 'string' && c.image.startsWith(repository))
        .map((c): [string, string, string[]] => [`${s.name}: ${address}`, c.image, c.args ?? []]),
    ),
  );
}

describe('llama-server flags exist in the pinned llama.cpp build', () => {
  const lines = llamaServerCommandLines();
  /** The CUDA image is the same build: `server-cuda-b9994` reads the table of `server-b9994`. */
  const tableOf = (image: string) =>
    LLAMA_SERVER_FLAGS[image.slice(image.lastIndexOf(':') + 1).replace('server-cuda-', 'server-')];

  test('there are llama-server command lines to check, CPU and CUDA, for the pinned images', () => {
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.some(([, image]) => image.endsWith(`:${IMAGES.llamaCppServer.tag}`))).toBe(true);
    expect(lines.some(([, image]) => image.endsWith(`:${IMAGES.llamaCppServerCuda.tag}`))).toBe(true);
    expect(Object.keys(LLAMA_SERVER_FLAGS)).toContain(IMAGES.llamaCppServer.tag);
    expect(IMAGES.llamaCppServerCuda.tag.replace('server-cuda-', 'server-')).toBe(IMAGES.llamaCppServer.tag);
  });

  test.each(lines)(
    '%s (%s): every llama-server option exists, with a value of its type',
    (_source, image, args) => {
      const engine = tableOf(image);
      // The image's entrypoint is llama-server: the container has only args.
      expect(
        engine ? flagProblems(['llama-server', ...args], engine) : [`no flag table for ${image}`],
      ).toEqual([]);
    },
  );

  test('an option llama-server does not have, a wrong type or a value outside its choices is reported', () => {
    const engine = LLAMA_SERVER_FLAGS[IMAGES.llamaCppServer.tag];
    expect(
      flagProblems(
        ['llama-server', '--n-gpu-layer', '33', '--ctx-size', '8k', '--cache-type-k', 'fp8', '--metrics'],
        engine,
      ),
    ).toEqual([
      expect.stringMatching(/^--n-gpu-layer: not an option/),
      "'33': not an option (the engine takes no positional arguments here)",
      "--ctx-size: '8k' is not of type int",
      "--cache-type-k: 'fp8' is not one of f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1",
    ]);
  });
});
