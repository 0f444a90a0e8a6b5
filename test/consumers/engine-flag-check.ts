import { IMAGES } from '../../lib/k8s';
import { LWS_WORKER_INDEX } from '../../lib/k8s/private/leader-worker-set';
import {
  ENGINE_ENV,
  EngineFlags,
  EngineFlagsWithChoices,
  LLAMA_SERVER_FLAGS,
  SGLANG_FLAGS,
  TRITON_BACKEND_SETTINGS,
  TRITON_FLAGS,
  VLLM_FLAGS,
} from './engine-flags';
import { SynthesizedStack } from './fixtures';
import { kubernetesObjects } from './k8s-schema';

/** The engines whose command lines are checked, by engine id (the name of the engine's container). */
export type EngineId = 'vllm' | 'sglang' | 'llama-cpp' | 'triton';

/** The engine ids. */
export const ENGINE_IDS: readonly EngineId[] = ['vllm', 'sglang', 'llama-cpp', 'triton'];

/** The flag table of each engine at the tag `IMAGES` pins (the CUDA llama.cpp image is the same build). */
export function pinnedTable(engine: EngineId): EngineFlagsWithChoices {
  const table = {
    vllm: VLLM_FLAGS[IMAGES.vllm.tag],
    sglang: SGLANG_FLAGS[IMAGES.sglang.tag],
    'llama-cpp': LLAMA_SERVER_FLAGS[IMAGES.llamaCppServer.tag],
    triton: TRITON_FLAGS[IMAGES.tritonTensorRtLlm.tag],
  }[engine];
  if (!table) throw new TypeError(`no flag table for the pinned ${engine} image`);
  return table;
}

/** The image tags an engine container may run: the pinned tag, or a build of it (`<tag>-<suffix>`, for example `-efa`). */
export function isPinnedBuild(engine: EngineId, image: string): boolean {
  const tag = image.slice(image.lastIndexOf(':') + 1);
  const pinned = {
    vllm: [IMAGES.vllm.tag],
    sglang: [IMAGES.sglang.tag],
    'llama-cpp': [IMAGES.llamaCppServer.tag, IMAGES.llamaCppServerCuda.tag],
    triton: [IMAGES.tritonTensorRtLlm.tag],
  }[engine];
  return pinned.some((p) => tag === p || tag.startsWith(`${p}-`));
}

/** One engine container of a synthesized pod template. */
export interface EngineContainer {
  /** `<stack>: <address> [(leader|worker)]`. */
  readonly where: string;
  readonly engine: EngineId;
  readonly image: string;
  /** `command` then `args`, as the kubelet runs them. */
  readonly argv: string[];
  /** Names of the container's environment variables. */
  readonly env: string[];
}

/**
 * Every container named after an engine id in any pod template (Deployments, StatefulSets,
 * LeaderWorkerSet leader and worker templates), whatever registry its image comes from, so
 * mirrored images (an ECR or Artifact Registry copy) are checked too.
 */
export function engineContainers(stacks: readonly SynthesizedStack[]): EngineContainer[] {
  return stacks.flatMap((s) =>
    kubernetesObjects(s.json).flatMap(({ address, object }) => {
      const lws = object.spec?.leaderWorkerTemplate;
      const templates: Array<[string, any]> = [
        ['', object.spec?.template?.spec],
        [' (leader)', lws?.leaderTemplate?.spec],
        [' (worker)', lws?.workerTemplate?.spec],
      ];
      return templates.flatMap(([role, spec]) =>
        ((spec?.containers ?? []) as any[])
          .filter((c) => (ENGINE_IDS as readonly string[]).includes(c.name))
          .map((c): EngineContainer => ({
            where: `${s.name}: ${address}${role}`,
            engine: c.name as EngineId,
            image: String(c.image),
            argv: [...(c.command ?? []), ...(c.args ?? [])].map(String),
            env: ((c.env ?? []) as Array<{ name: string }>).map((e) => e.name),
          })),
      );
    }),
  );
}

/** Whether `value` parses as the parser of `type` reads it (Python `int()`/`float()`, Triton's `ParseOption<bool>`). */
function parses(type: EngineFlags['flags'][string], value: string): boolean {
  switch (type) {
    case 'int':
      return /^[+-]?\d+$/.test(value);
    case 'float':
      return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value);
    case 'bool':
      return /^(true|false|on|off|1|0)$/i.test(value);
    default:
      return value.length > 0;
  }
}

/**
 * Problems of a list of options (`--name value`, `--name=value`, flags without a value, `nargs="+"`
 * lists up to the next option) against an engine's table: unknown options, positional arguments,
 * missing values, values of the wrong type or outside the option's choices.
 */
export function optionProblems(options: readonly string[], table: EngineFlagsWithChoices): string[] {
  const problems: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const a = options[i];
    if (!a.startsWith('--')) {
      problems.push(`'${a}': a positional argument where only options are taken`);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const type = table.flags[name];
    if (type === undefined) {
      problems.push(`--${name}: not an option at the pinned version (${table.source})`);
      continue;
    }
    if (type === 'none') {
      if (eq >= 0) problems.push(`--${name}: takes no value, got '${a.slice(eq + 1)}'`);
      continue;
    }
    const values: string[] = [];
    if (eq >= 0) values.push(a.slice(eq + 1));
    else if (type === 'list')
      while (i + 1 < options.length && !options[i + 1].startsWith('--')) values.push(options[++i]);
    else if (i + 1 < options.length && !options[i + 1].startsWith('--')) values.push(options[++i]);
    if (values.length === 0) {
      problems.push(`--${name}: expects a value (${type}), got none`);
      continue;
    }
    for (const v of values) {
      if (!parses(type === 'list' ? 'string' : type, v))
        problems.push(`--${name}: '${v}' does not parse as ${type}`);
      else if (table.choices[name] && !table.choices[name].includes(v)) {
        problems.push(`--${name}: '${v}' is not one of ${table.choices[name].join(', ')}`);
      }
    }
  }
  return problems;
}

/**
 * The options of each engine's command line, after what launches it: `vllm serve <model>` (the
 * image's entrypoint; the container has the model then options; `$(LWS_WORKER_INDEX)` is a worker
 * index, 1 or more), `python3 -m sglang.launch_server`, `llama-server` (the entrypoint), and
 * `tritonserver` alone or one `-n <count> tritonserver ...` segment per rank under `mpirun`.
 */
export function engineOptionLines(c: EngineContainer): { lines: string[][]; problems: string[] } {
  const argv = c.argv;
  switch (c.engine) {
    case 'vllm': {
      const args = argv.map((a) => (a === LWS_WORKER_INDEX ? '1' : a));
      const model = args[0];
      return model === undefined || model.startsWith('-')
        ? {
            lines: [args],
            problems: [`'${model}': vllm serve's first argument must be the model (model_tag)`],
          }
        : { lines: [args.slice(1)], problems: [] };
    }
    case 'sglang':
      return argv[0] === 'python3' && argv[1] === '-m' && argv[2] === 'sglang.launch_server'
        ? { lines: [argv.slice(3)], problems: [] }
        : {
            lines: [],
            problems: [`${JSON.stringify(argv.slice(0, 3))}: expected python3 -m sglang.launch_server`],
          };
    case 'llama-cpp':
      return { lines: [argv], problems: [] };
    case 'triton': {
      if (argv[0] === 'tritonserver') return { lines: [argv.slice(1)], problems: [] };
      if (argv[0] !== 'mpirun')
        return { lines: [], problems: [`'${argv[0]}': expected tritonserver or mpirun`] };
      const lines: string[][] = [];
      const problems: string[] = [];
      let segment: string[] = [];
      for (const a of [...argv.slice(1), ':']) {
        if (a !== ':') {
          segment.push(a);
          continue;
        }
        if (segment[0] === '-n' && /^[1-9]\d*$/.test(segment[1] ?? '') && segment[2] === 'tritonserver') {
          lines.push(segment.slice(3));
        } else {
          problems.push(
            `mpirun segment ${JSON.stringify(segment.slice(0, 3))}: expected -n <count> tritonserver`,
          );
        }
        segment = [];
      }
      return { lines, problems };
    }
  }
}

/**
 * Problems of Triton's `--backend-config=<backend>,<setting>=<value>` options: a backend whose
 * settings are not known here, or a setting the backend does not read.
 */
export function backendConfigProblems(options: readonly string[]): string[] {
  return options
    .filter((a) => a.startsWith('--backend-config='))
    .flatMap((a) => {
      const m = /^--backend-config=([^,]+),([^=]+)=(.+)$/.exec(a);
      if (!m) return [`${a}: expected --backend-config=<backend>,<setting>=<value>`];
      const backend = TRITON_BACKEND_SETTINGS[m[1]];
      if (!backend) return [`${a}: no settings known for backend '${m[1]}'`];
      return backend.settings.includes(m[2])
        ? []
        : [`${a}: '${m[2]}' is not a setting of the ${m[1]} backend (${backend.source})`];
    });
}

/** Every problem of an engine container's command line against the pinned table. */
export function containerProblems(c: EngineContainer): string[] {
  const table = pinnedTable(c.engine);
  const { lines, problems } = engineOptionLines(c);
  return [
    ...problems,
    ...lines.flatMap((l) => [
      ...optionProblems(l, table),
      ...(c.engine === 'triton' ? backendConfigProblems(l) : []),
    ]),
  ];
}

/** The option names (without `--`) of an engine container's command line. */
export function renderedOptions(c: EngineContainer): string[] {
  return engineOptionLines(c).lines.flatMap((l) =>
    l.filter((a) => a.startsWith('--')).map((a) => a.slice(2).split('=')[0]),
  );
}

/** Engine-specific environment variables of a container that the engine's table does not list. */
export function envProblems(c: EngineContainer): string[] {
  const { prefixes, names } = ENGINE_ENV[c.engine];
  return c.env
    .filter((n) => prefixes.some((p) => n.startsWith(p)) && names[n] === undefined)
    .map((n) => `${n}: not a variable ${c.engine} reads at the pinned version (see ENGINE_ENV)`);
}
