import { IMAGES } from '../../lib/k8s';
import { EngineFlags, TRITON_FLAGS } from './engine-flags';
import { constructStacks, exampleStacks } from './fixtures';
import { kubernetesObjects } from './k8s-schema';

/** `tritonserver --a=1 --b 2 --c` as [name, value] pairs, checked against the parser's table. */
function flagProblems(args: string[], engine: EngineFlags): string[] {
  const problems: string[] = [];
  for (let i = 1; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      problems.push(`'${a}': not an option (tritonserver takes no positional arguments)`);
      continue;
    }
    const eq = a.indexOf('=');
    const name = a.slice(2, eq < 0 ? undefined : eq);
    const type = engine.flags[name];
    if (!type) {
      problems.push(`--${name}: not an option of this Triton build (${engine.source})`);
      continue;
    }
    if (type === 'none') continue;
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
  }
  return problems;
}

/** Every container of every pod template whose command line starts with `tritonserver`. */
function tritonCommandLines(): Array<[string, string, string[]]> {
  return [...exampleStacks(), ...constructStacks()].flatMap((s) =>
    kubernetesObjects(s.json).flatMap(({ address, object }) => {
      const containers: any[] = object.spec?.template?.spec?.containers ?? [];
      return containers
        .filter((c) => (c.command ?? c.args ?? [])[0] === 'tritonserver')
        .map((c): [string, string, string[]] => [
          `${s.name}: ${address}`,
          c.image,
          [...(c.command ?? []), ...(c.args ?? [])],
        ]);
    }),
  );
}

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
      expect(engine ? flagProblems(args, engine) : [`no flag table for ${tag}`]).toEqual([]);
    },
  );

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
