import { spawnSync } from 'child_process';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { GpuAmiType, renderUserData } from '../../lib/aws/private/node-group-common';
import { constructStacks, exampleStacks } from './fixtures';

// Programs the library writes as text for an interpreter, checked with that interpreter's own
// parser: shell scripts in container commands (`sh -c`, `bash -c`) with `sh -n` / `bash -n`;
// Python in container commands (`python3 -c`, `torchrun --no-python python3 -c`) and in
// ConfigMaps (`*.py`) with Python's `ast.parse`; EC2 user data as the node reads it: the AL2023
// MIME multipart with Python's `email` parser (the one cloud-init uses), its NodeConfig parts as
// nodeadm's `node.eks.aws/v1alpha1` NodeConfig schema and its shell parts with `bash -n`, Bottlerocket's
// TOML settings with Python's `tomllib` (TOML 1.0). This machine's sh (dash), bash and Python
// (3.11 or later for tomllib) stand in for the images' own; a syntax error is an error in all
// of them. Without python3 the Python checks are skipped, or fail under CI.

/**
 * nodeadm's `NodeConfig` (`node.eks.aws/v1alpha1`) for the fields the library sets, written from
 * the CRD of awslabs/amazon-eks-ami tag v20251120 (787c26ef), `nodeadm/crds/node.eks.aws_nodeconfigs.yaml`.
 * Closed objects: a field the library starts to set must be read from that CRD and added here.
 */
const NODE_CONFIG_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['apiVersion', 'kind', 'spec'],
  properties: {
    apiVersion: { const: 'node.eks.aws/v1alpha1' },
    kind: { const: 'NodeConfig' },
    spec: {
      type: 'object',
      additionalProperties: false,
      properties: {
        instance: {
          type: 'object',
          additionalProperties: false,
          properties: {
            localStorage: {
              type: 'object',
              additionalProperties: false,
              properties: {
                strategy: { type: 'string', enum: ['RAID0', 'RAID10', 'Mount'] },
                mountPath: { type: 'string' },
                disabledMounts: { type: 'array', items: { type: 'string', enum: ['Containerd', 'PodLogs'] } },
              },
            },
          },
        },
      },
    },
  },
};
const validateNodeConfig = new Ajv({ allErrors: true }).compile(NODE_CONFIG_SCHEMA);

/** Terraform template escapes undone and interpolations replaced by a word, as at apply. */
function applied(text: string): string {
  return text
    .replace(/\$\$\{/g, '\u0000')
    .replace(/%%\{/g, '%{')
    .replace(/\$\{[^}]*\}/g, 'TFVALUE')
    .replace(/\u0000/g, '${');
}

interface Script {
  readonly where: string;
  readonly interpreter: 'sh' | 'bash' | 'python';
  readonly text: string;
}

const INTERPRETER = /(^|\/)(sh|bash|python3?)$/;

/** The script of a container's argv: `<interpreter> [-flags] -c <script>`. */
function scriptOf(argv: unknown[], where: string): Script | undefined {
  for (let i = 0; i < argv.length; i++) {
    const m = typeof argv[i] === 'string' ? INTERPRETER.exec(argv[i] as string) : null;
    if (!m) continue;
    let j = i + 1;
    while (j < argv.length && typeof argv[j] === 'string' && /^-[a-zA-Z]+$/.test(argv[j] as string)) {
      if ((argv[j] as string).endsWith('c')) {
        const text = argv[j + 1];
        if (typeof text !== 'string') return undefined;
        const interpreter = m[2] === 'sh' ? 'sh' : m[2] === 'bash' ? 'bash' : 'python';
        return { where, interpreter, text: applied(text) };
      }
      j++;
    }
  }
  return undefined;
}

/** Scripts, Python files and user data in a synthesized stack (Helm values and ConfigMap data included). */
function collect(
  node: unknown,
  where: string,
  out: { scripts: Script[]; userData: Array<[string, string]> },
): void {
  if (typeof node === 'string') {
    if (/\.values\[\d+\]$/.test(where)) {
      try {
        collect(parse(node), `${where}<yaml>`, out);
      } catch {
        // not YAML
      }
    }
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((v, i) => collect(v, `${where}[${i}]`, out));
    return;
  }
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  if (Array.isArray(o.command) || Array.isArray(o.args)) {
    const s = scriptOf([...((o.command as unknown[]) ?? []), ...((o.args as unknown[]) ?? [])], where);
    if (s) out.scripts.push(s);
  }
  for (const [k, v] of Object.entries(o)) {
    if (k === 'data' && v && typeof v === 'object' && !Array.isArray(v)) {
      for (const [file, text] of Object.entries(v as Record<string, unknown>)) {
        if (typeof text !== 'string') continue;
        if (file.endsWith('.py'))
          out.scripts.push({ where: `${where}.data.${file}`, interpreter: 'python', text: applied(text) });
        if (file.endsWith('.sh'))
          out.scripts.push({ where: `${where}.data.${file}`, interpreter: 'sh', text: applied(text) });
      }
    }
    if (k === 'user_data' && typeof v === 'string') {
      out.userData.push([`${where}.user_data`, Buffer.from(v, 'base64').toString('utf8')]);
    } else if (k === 'userData' && typeof v === 'string') {
      out.userData.push([`${where}.userData`, v]);
    } else {
      collect(v, `${where}.${k}`, out);
    }
  }
}

const found = { scripts: [] as Script[], userData: [] as Array<[string, string]> };
for (const s of [...exampleStacks(), ...constructStacks()]) collect(s.json, s.name, found);
// Every user data variant the node groups and Karpenter pools render, besides those in the fixtures.
for (const amiType of [GpuAmiType.AL2023_X86_64_NVIDIA, GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA]) {
  for (const [localStorageRaid0, hugePages2MiB] of [
    [true, 0],
    [false, 5128],
    [true, 5128],
  ] as const) {
    const b64 = renderUserData({ amiType, localStorageRaid0, hugePages2MiB })!;
    found.userData.push([
      `renderUserData ${amiType} raid0=${localStorageRaid0} hugePages=${hugePages2MiB}`,
      Buffer.from(b64, 'base64').toString('utf8'),
    ]);
  }
}

const PYTHON_CHECKER = `
import ast, email, json, sys, tomllib
req = json.load(sys.stdin)
out = {"python": [], "mime": [], "toml": []}
for src in req["python"]:
    try:
        ast.parse(src)
        out["python"].append(None)
    except SyntaxError as e:
        out["python"].append(f"{e.msg} (line {e.lineno})")
for text in req["mime"]:
    msg = email.message_from_string(text)
    parts = [{"type": p.get_content_type(), "body": p.get_payload()} for p in msg.get_payload()] if msg.is_multipart() else None
    out["mime"].append({"multipart": msg.is_multipart(), "type": msg.get_content_type(), "parts": parts, "defects": [type(d).__name__ for d in msg.defects]})
for text in req["toml"]:
    try:
        out["toml"].append({"value": tomllib.loads(text)})
    except tomllib.TOMLDecodeError as e:
        out["toml"].append({"error": str(e)})
print(json.dumps(out))
`;

const pythonOk =
  spawnSync('python3', ['-c', 'import sys, tomllib; assert sys.version_info >= (3, 11)']).status === 0;
function withPython(): jest.It {
  if (pythonOk) return test;
  const message = 'python3 (3.11 or later, for tomllib) not found: the Python, MIME and TOML checks need it.';
  if (process.env.CI === 'true' || process.env.CI === '1') {
    const fail = () => {
      throw new Error(message);
    };
    const failing = (name: string) => test(name, fail);
    failing.each = (table: readonly unknown[]) => (name: string) => test.each(table as any[])(name, fail);
    return failing as unknown as jest.It;
  }
  console.warn(`SKIPPING Python checks: ${message}`);
  return test.skip;
}

const isMime = (text: string) => text.startsWith('MIME-Version: 1.0');
let pythonResults: { python: Array<string | null>; mime: any[]; toml: any[] } | undefined;
function python() {
  return (pythonResults ??= (() => {
    const input = JSON.stringify({
      python: found.scripts.filter((s) => s.interpreter === 'python').map((s) => s.text),
      mime: found.userData.filter(([, t]) => isMime(t)).map(([, t]) => t),
      toml: found.userData.filter(([, t]) => !isMime(t)).map(([, t]) => t),
    });
    const r = spawnSync('python3', ['-c', PYTHON_CHECKER], { input, encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  })());
}

function shellSyntax(interpreter: 'sh' | 'bash', text: string): string {
  const r = spawnSync(interpreter, ['-n', '-c', text], { encoding: 'utf8', timeout: 30_000 });
  return r.status === 0 ? 'ok' : r.stderr.trim();
}

describe('the interpreters themselves (why these checks can fail)', () => {
  test('sh -n and bash -n refuse a broken script', () => {
    expect(shellSyntax('sh', 'if true; then echo')).not.toBe('ok');
    expect(shellSyntax('bash', 'for x in; do')).not.toBe('ok');
    expect(shellSyntax('sh', 'set -e\nfor x in a b; do echo "$x"; done')).toBe('ok');
  });
  test('the NodeConfig schema refuses a strategy or field nodeadm does not have', () => {
    const doc = (localStorage: object) => ({
      apiVersion: 'node.eks.aws/v1alpha1',
      kind: 'NodeConfig',
      spec: { instance: { localStorage } },
    });
    expect(validateNodeConfig(doc({ strategy: 'RAID0' }))).toBe(true);
    expect(validateNodeConfig(doc({ strategy: 'raid0' }))).toBe(false);
    expect(validateNodeConfig(doc({ strategy: 'RAID0', raidLevel: 0 }))).toBe(false);
  });
  withPython()('ast.parse, email and tomllib refuse what the node or interpreter would', () => {
    const r = spawnSync('python3', ['-c', PYTHON_CHECKER], {
      input: JSON.stringify({
        python: ['import sys;', 'print(('],
        mime: ['Content-Type: text/plain\n\nhi'],
        toml: ['a = [1,'],
      }),
      encoding: 'utf8',
    });
    const out = JSON.parse(r.stdout);
    expect(out.python[0]).toBeNull();
    expect(out.python[1]).toMatch(/never closed|unexpected EOF/);
    expect(out.mime[0].multipart).toBe(false);
    expect(out.toml[0].error).toBeDefined();
  });
});

describe('every script the examples and constructs write', () => {
  test('there are shell and Python scripts and both user data formats to check', () => {
    const kinds = new Set(found.scripts.map((s) => s.interpreter));
    expect([...kinds].sort()).toEqual(['bash', 'python', 'sh']);
    expect(found.scripts.some((s) => s.where.endsWith('launcher.py'))).toBe(true);
    expect(found.userData.some(([, t]) => isMime(t))).toBe(true);
    expect(found.userData.some(([, t]) => !isMime(t))).toBe(true);
  });

  test.each(found.scripts.filter((s) => s.interpreter !== 'python').map((s) => [s.where, s] as const))(
    'shell: %s',
    (_where, s) => {
      expect(shellSyntax(s.interpreter as 'sh' | 'bash', s.text)).toBe('ok');
    },
  );

  const pythonScripts = found.scripts.filter((s) => s.interpreter === 'python');
  withPython().each(pythonScripts.map((s, i) => [s.where, i] as const))('python: %s', (_where, i) => {
    expect(python().python[i]).toBeNull();
  });

  const mime = found.userData.filter(([, t]) => isMime(t));
  withPython().each(mime.map(([where], i) => [where, i] as const))(
    'AL2023 user data (MIME): %s',
    (_where, i) => {
      const m = python().mime[i];
      expect({ multipart: m.multipart, type: m.type, defects: m.defects }).toEqual({
        multipart: true,
        type: 'multipart/mixed',
        defects: [],
      });
      expect(m.parts.length).toBeGreaterThan(0);
      for (const part of m.parts) {
        expect(['application/node.eks.aws', 'text/x-shellscript']).toContain(part.type);
        if (part.type === 'text/x-shellscript') {
          expect(part.body).toMatch(/^#!\/bin\/bash\n/);
          expect(shellSyntax('bash', part.body)).toBe('ok');
        } else {
          // nodeadm reads each part as a NodeConfig: its CRD schema (NODE_CONFIG_SCHEMA).
          validateNodeConfig(parse(part.body));
          expect(validateNodeConfig.errors ?? []).toEqual([]);
        }
      }
    },
  );

  const toml = found.userData.filter(([, t]) => !isMime(t));
  withPython().each(toml.map(([where], i) => [where, i] as const))(
    'Bottlerocket user data (TOML): %s',
    (_where, i) => {
      const t = python().toml[i];
      expect(t.error).toBeUndefined();
      expect(Object.keys(t.value)).toEqual(['settings']);
    },
  );
});
