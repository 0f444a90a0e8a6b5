// The L1 floor of an example app (issue 11 section 5): the same stacks rebuilt from the same
// provider submodule classes, each resource, data source, provider and output filled from the
// library's synthesized JSON, with no library logic. `npm run bench` writes one floor app per
// example (writeFloorApp), synthesizes it, checks it against the library's output
// (compareOutdirs) and times it next to the example; the ratio is the library's overhead.
'use strict';
const fs = require('fs');
const path = require('path');

// Terraform type prefix -> provider package (the only four the library uses).
const PACKAGES = {
  aws: '@cdktf/provider-aws',
  google: '@cdktf/provider-google',
  kubernetes: '@cdktf/provider-kubernetes',
  helm: '@cdktf/provider-helm',
};
// Resource arguments that are meta-arguments, set with addOverride as Terraform JSON.
const META = new Set([
  'depends_on',
  'lifecycle',
  'provider',
  'count',
  'for_each',
  'connection',
  'provisioner',
]);
// Arguments whose value is a map (or free-form object) keyed by user data: their keys are kept
// as written, not camel-cased.
const MAPS = new Set([
  'tags',
  'tags_all',
  'labels',
  'annotations',
  'resource_labels',
  'user_labels',
  'default_labels',
  'node_selector',
  'match_labels',
  'data',
  'binary_data',
  'string_data',
  'manifest',
  'environment',
  'parameters',
  'limits',
  'requests',
  'capacity',
  'metadata_startup_script',
  'settings',
  'label_extractors',
]);

function camel(s) {
  return s.replace(/_([a-z0-9])/g, (_m, c) => c.toUpperCase());
}

/** Terraform JSON (snake_case) -> L1 config (camelCase), keeping the keys of map arguments. */
function toConfig(value, key) {
  // A map argument is an object; a list under the same name (GCP metric descriptor `labels`) is
  // a list of blocks.
  if (Array.isArray(value)) return value.map((v) => toConfig(v, MAPS.has(key) ? '' : key));
  if (value === null || typeof value !== 'object') return value;
  if (MAPS.has(key)) return value;
  // An object with a key no argument could have (upper case, '/', '.', '-') is a map.
  if (Object.keys(value).some((k) => !/^[a-z][a-z0-9_]*$/.test(k))) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [camel(k), toConfig(v, k)]));
}

function kebab(s) {
  return s.replace(/_/g, '-');
}

/** Finds the provider submodule and class of a Terraform resource or data source type. */
function classFor(kind, type, cache) {
  const key = `${kind}:${type}`;
  if (cache.has(key)) return cache.get(key);
  const prefix = type.split('_')[0];
  const pkg = PACKAGES[prefix];
  if (!pkg) {
    // No cdktf binding (the library writes these as plain TerraformProvider/TerraformDataSource).
    cache.set(key, undefined);
    return undefined;
  }
  const rest = type.slice(prefix.length + 1);
  const submodule =
    kind === 'provider'
      ? `${pkg}/lib/provider`
      : kind === 'data'
        ? `${pkg}/lib/data-${kebab(type)}`
        : `${pkg}/lib/${kebab(rest)}`;
  const mod = require(submodule);
  const name = Object.keys(mod).find((n) => typeof mod[n] === 'function' && mod[n].tfResourceType === type);
  if (!name) throw new Error(`bench-floor: ${submodule} exports no class for ${type}`);
  const found = { submodule, name };
  cache.set(key, found);
  return found;
}

/**
 * The `${...}` interpolations of a Terraform string: [{ start, end, body }], or undefined when
 * the string has an escaped `$${` or an unclosed interpolation (then it is left as written).
 */
function interpolations(s) {
  const found = [];
  let i = 0;
  for (;;) {
    const j = s.indexOf('${', i);
    if (j === -1) return found;
    if (j > 0 && s[j - 1] === '$') return undefined;
    let depth = 1;
    let k = j + 2;
    let quoted = false;
    for (; k < s.length && depth > 0; k++) {
      const c = s[k];
      if (quoted) {
        if (c === '\\') k++;
        else if (c === '"') quoted = false;
      } else if (c === '"') quoted = true;
      else if (c === '{') depth++;
      else if (c === '}') depth--;
    }
    if (depth > 0) return undefined;
    found.push({ start: j, end: k, body: s.slice(j + 2, k - 1) });
    i = k;
  }
}

// A whole interpolation that is one attribute of one block: TYPE.NAME.ATTR or data.TYPE.NAME.ATTR.
const SIMPLE_REF = /^((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)\.([a-z_][a-z0-9_]*)$/;
// A whole interpolation that is an attribute path with indexes: TYPE.NAME.a[0].b.
const INDEXED = /^((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)((?:\.[a-z_][a-z0-9_]*|\[\d+\])+)$/;
// Any block address inside an interpolation (for counting the references left literal).
const ANY_REF = /(?<![\w.])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*)/g;

/** JavaScript source of a value whose strings may have been replaced by `{ [CODE]: source }`. */
const CODE = Symbol('code');
function source(v) {
  if (v && typeof v === 'object' && CODE in v) return v[CODE];
  if (Array.isArray(v)) return `[${v.map(source).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${source(x)}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * Writes a plain-node cdktf app to `file` that rebuilds the stacks of the cdktf output directory
 * `outdir` (manifest.json, stacks/<id>/cdk.tf.json) from provider submodule classes: the L1
 * floor, every reference a literal string.
 */
function writeFloorApp(outdir, file) {
  return generate(outdir, file, false);
}

/**
 * Writes the reference floor of `outdir` to `file`: the L1 floor, except that each reference
 * `${TYPE.NAME.ATTR}` / `${data.TYPE.NAME.ATTR}` to a block of the same stack (a whole string or
 * embedded in one) is the referenced block's token (`getStringAttribute`), and each `depends_on`
 * of same-stack blocks is `dependsOn` of those blocks, as the library writes them; the blocks of
 * a stack are created in dependency order. References inside functions, splats, indexes
 * (`[0].x`) and cross-stack remote state stay literal. Returns the counts: references converted
 * and left literal (of them, to cross-stack remote state, and attribute paths with indexes), and
 * depends_on entries converted and left literal.
 */
function writeRefFloorApp(outdir, file) {
  return generate(outdir, file, true);
}

function generate(outdir, file, refs) {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const classes = new Map();
  const body = [];
  const lit = (v) => JSON.stringify(v);
  const counts = {
    converted: 0,
    literal: 0,
    literalCrossStack: 0,
    literalIndexed: 0,
    dependsOnConverted: 0,
    dependsOnLiteral: 0,
  };
  const stackIds = Object.keys(manifest.stacks);
  const vars = new Map(stackIds.map((id, i) => [id, `s${i}`]));
  for (const id of stackIds) {
    const entry = manifest.stacks[id];
    const json = JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), 'utf8'));
    const s = vars.get(id);
    body.push(`const ${s} = new TerraformStack(app, ${lit(id)});`);
    for (const [type, config] of Object.entries(json.terraform?.backend ?? {})) {
      if (type !== 'local') throw new Error(`bench-floor: backend ${type} is not handled`);
      body.push(`new LocalBackend(${s}, ${lit(toConfig(config))});`);
    }
    // The blocks of this stack: { key (address), v (variable), deps (addresses), code(src) }.
    const blocks = [];
    const byKey = new Map();
    const add = (key, make) => {
      const b = { key, v: `${s}_${blocks.length}`, deps: new Set(), make };
      blocks.push(b);
      if (key) byKey.set(key, b);
      return b;
    };
    // Pass 1: the addresses of the blocks (a reference may point at a block defined later).
    for (const [type, byId] of Object.entries(json.resource ?? {}))
      for (const n of Object.keys(byId)) add(`${type}.${n}`);
    for (const [type, byId] of Object.entries(json.data ?? {}))
      for (const n of Object.keys(byId)) add(`data.${type}.${n}`);
    const target = (key) => {
      const b = byKey.get(key);
      return b && !key.startsWith('data.terraform_remote_state.') ? b : undefined;
    };
    // The block addresses in `text` left literal; of them, how many are cross-stack remote state,
    // and how many a same-stack attribute path with indexes (`x.y.a[0].b`, the whole interpolation).
    const countLiteral = (text) => {
      for (const k of (text.match(ANY_REF) ?? []).filter((x) => byKey.has(x))) {
        counts.literal++;
        if (k.startsWith('data.terraform_remote_state.')) counts.literalCrossStack++;
        else if (INDEXED.exec(text)?.[1] === k) counts.literalIndexed++;
      }
    };
    // A value with its convertible references replaced by token code; records them in `b.deps`.
    const convert = (value, b) => {
      if (!refs) return value;
      if (typeof value === 'string') {
        const found = value.includes('${') ? interpolations(value) : [];
        if (found === undefined) {
          countLiteral(value);
          return value;
        }
        if (found.length === 0) return value;
        const parts = [];
        let at = 0;
        let any = false;
        for (const x of found) {
          const m = SIMPLE_REF.exec(x.body);
          const t = m && target(m[1]);
          if (!t) {
            countLiteral(x.body);
            continue;
          }
          if (x.start > at) parts.push(lit(value.slice(at, x.start)));
          parts.push(`${t.v}.getStringAttribute(${lit(m[2])})`);
          at = x.end;
          any = true;
          counts.converted++;
          b.deps.add(t.key);
        }
        if (!any) return value;
        if (at < value.length) parts.push(lit(value.slice(at)));
        return { [CODE]: parts.length === 1 ? parts[0] : `(${parts.join(' + ')})` };
      }
      if (Array.isArray(value)) return value.map((x) => convert(x, b));
      if (value && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, convert(x, b)]));
      }
      return value;
    };
    // depends_on of same-stack blocks -> dependsOn (all or none: an override replaces the list).
    const dependsOn = (list, b) => {
      if (!refs || !Array.isArray(list)) return undefined;
      const ts = list.map((k) => typeof k === 'string' && target(k));
      if (!ts.every(Boolean)) {
        counts.dependsOnLiteral += list.length;
        return undefined;
      }
      counts.dependsOnConverted += list.length;
      for (const t of ts) b.deps.add(t.key);
      return { [CODE]: `[${ts.map((t) => t.v).join(',')}]` };
    };
    for (const [type, list] of Object.entries(json.provider ?? {})) {
      const c = classFor('provider', type, classes);
      for (const config of list) {
        const b = add(undefined);
        if (c) {
          const cfg = source(convert(toConfig(config), b));
          b.make = (v) => `const ${v} = new ${c.name}(${s}, ${lit(config.alias ?? type)}, ${cfg});`;
        } else {
          const req = json.terraform?.required_providers?.[type] ?? {};
          const meta = { providerName: type, ...(req.version ? { providerVersion: req.version } : {}) };
          const p = `new TerraformProvider(${s}, ${lit(config.alias ?? type)}, ${lit({ terraformResourceType: type, terraformGeneratorMetadata: meta, terraformProviderSource: req.source })})`;
          const cfg = source(convert(config, b));
          b.make = (v) => `const ${v} = r(${p}, null, ${cfg});`;
        }
      }
    }
    for (const [kind, all] of [
      ['resource', json.resource ?? {}],
      ['data', json.data ?? {}],
    ]) {
      for (const [type, byId] of Object.entries(all)) {
        for (const [logicalId, raw] of Object.entries(byId)) {
          const b = byKey.get(kind === 'data' ? `data.${type}.${logicalId}` : `${type}.${logicalId}`);
          const deps = dependsOn(raw.depends_on, b);
          const args = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== '//' && !META.has(k)));
          const meta = Object.fromEntries(
            Object.entries(raw).filter(([k]) => META.has(k) && !(deps && k === 'depends_on')),
          );
          const metaSrc = source(convert(meta, b));
          const withDeps = (cfg) => (deps ? `{...${cfg}, dependsOn: ${source(deps)}}` : cfg);
          let ctor;
          if (kind === 'data' && type === 'terraform_remote_state') {
            if (args.backend !== 'local')
              throw new Error(`bench-floor: remote state ${args.backend} is not handled`);
            const config = {
              ...toConfig(args.config),
              ...(args.workspace ? { workspace: args.workspace } : {}),
            };
            ctor = `new DataTerraformRemoteStateLocal(${s}, ${lit(logicalId)}, ${source(convert(config, b))})`;
          } else {
            const c = classFor(kind, type, classes);
            if (!c) {
              // No binding: a plain block with every argument as an override, as the library writes it.
              const base = kind === 'data' ? 'TerraformDataSource' : 'TerraformResource';
              const cfg = {
                terraformResourceType: type,
                terraformGeneratorMetadata: { providerName: type.split('_')[0] },
              };
              const over = source(convert(deps ? { ...args, ...meta } : raw, b));
              b.make = (v) =>
                `const ${v} = r(new ${base}(${s}, ${lit(logicalId)}, ${withDeps(lit(cfg))}), ${lit(logicalId)}, ${over});`;
              continue;
            }
            ctor = `new ${c.name}(${s}, ${lit(logicalId)}, ${withDeps(source(convert(toConfig(args), b)))})`;
          }
          b.make = (v) => `const ${v} = r(${ctor}, ${lit(logicalId)}, ${metaSrc});`;
        }
      }
    }
    for (const [name, out] of Object.entries(json.output ?? {})) {
      const b = add(undefined);
      const deps = dependsOn(out.depends_on, b);
      // An output's value is free-form (its keys are kept); the other arguments are camel-cased.
      const rest = { ...out, value: null };
      if (deps) delete rest.depends_on;
      const config = { ...toConfig(rest), value: convert(out.value, b) };
      const cfg = source(deps ? { ...config, dependsOn: deps } : config);
      b.make = (v) => `const ${v} = r(new TerraformOutput(${s}, ${lit(name)}, ${cfg}), ${lit(name)}, {});`;
    }
    for (const b of refs ? topological(blocks, byKey) : blocks) body.push(b.make(b.v));
    for (const dep of entry.dependencies ?? []) {
      body.push(`${s}.addDependency(${vars.get(dep)});`);
    }
  }
  const requires = new Map();
  for (const { submodule, name } of [...classes.values()].filter(Boolean)) {
    requires.set(submodule, [...(requires.get(submodule) ?? []), name]);
  }
  const src = [
    "'use strict';",
    refs
      ? '// Generated by scripts/bench-floor.js from a synthesized example: the reference floor (L1 blocks, same-stack references as tokens).'
      : '// Generated by scripts/bench-floor.js from a synthesized example: the L1 floor (no library logic).',
    'const { App, TerraformStack, TerraformOutput, TerraformProvider, TerraformResource, TerraformDataSource, LocalBackend, DataTerraformRemoteStateLocal } =',
    "  require('cdktf');",
    ...[...requires].map(([m, names]) => `const { ${[...new Set(names)].join(', ')} } = require(${lit(m)});`),
    'function r(c, id, meta) {',
    '  if (id !== null) c.overrideLogicalId(id);',
    "  for (const k of Object.keys(meta)) if (k !== '//') c.addOverride(k, meta[k]);",
    '  return c;',
    '}',
    'const app = new App();',
    ...body,
    'app.synth();',
    '',
  ].join('\n');
  fs.writeFileSync(file, src);
  return counts;
}

/**
 * The blocks in dependency order (Kahn's algorithm; among the blocks that are ready, the one
 * first in `blocks`). Terraform references form a DAG: a cycle throws.
 */
function topological(blocks, byKey) {
  const index = new Map(blocks.map((b, i) => [b, i]));
  const waiting = new Map(blocks.map((b) => [b, b.deps.size]));
  const dependents = new Map(blocks.map((b) => [b, []]));
  for (const b of blocks) for (const k of b.deps) dependents.get(byKey.get(k)).push(b);
  const ready = blocks.filter((b) => b.deps.size === 0);
  const out = [];
  while (ready.length) {
    ready.sort((a, b) => index.get(a) - index.get(b));
    const b = ready.shift();
    out.push(b);
    for (const d of dependents.get(b)) {
      waiting.set(d, waiting.get(d) - 1);
      if (waiting.get(d) === 0) ready.push(d);
    }
  }
  if (out.length !== blocks.length) {
    const stuck = blocks.filter((b) => !out.includes(b)).map((b) => b.key ?? b.v);
    throw new Error(`bench-floor: the references form a cycle among ${stuck.slice(0, 5).join(', ')}`);
  }
  return out;
}

function stackJson(outdir, entry) {
  const json = JSON.parse(fs.readFileSync(path.join(outdir, entry.synthesizedStackPath), 'utf8'));
  delete json['//'];
  for (const blocks of [json.resource ?? {}, json.data ?? {}]) {
    for (const byId of Object.values(blocks)) for (const r of Object.values(byId)) delete r['//'];
  }
  return json;
}

/**
 * Compares the floor's output with the library's: the number of blocks (resources, data
 * sources, providers, outputs) and how many of them are identical.
 */
function compareOutdirs(libOut, floorOut) {
  const a = JSON.parse(fs.readFileSync(path.join(libOut, 'manifest.json'), 'utf8')).stacks;
  const b = JSON.parse(fs.readFileSync(path.join(floorOut, 'manifest.json'), 'utf8')).stacks;
  let blocks = 0;
  let same = 0;
  const differ = [];
  for (const id of Object.keys(a)) {
    const x = stackJson(libOut, a[id]);
    const y = b[id] ? stackJson(floorOut, b[id]) : {};
    const pairs = [];
    for (const k of ['resource', 'data']) {
      for (const [type, byId] of Object.entries(x[k] ?? {})) {
        for (const [lid, v] of Object.entries(byId))
          pairs.push([`${k}.${type}.${lid}`, v, y[k]?.[type]?.[lid]]);
      }
    }
    for (const [type, v] of Object.entries(x.provider ?? {}))
      pairs.push([`provider.${type}`, v, y.provider?.[type]]);
    for (const [n, v] of Object.entries(x.output ?? {})) pairs.push([`output.${n}`, v, y.output?.[n]]);
    for (const [name, v, w] of pairs) {
      blocks++;
      if (canonical(v) === canonical(w)) same++;
      else differ.push(`${id} ${name}`);
    }
  }
  return { blocks, same, differ };
}

function canonical(v) {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(
          Object.keys(x)
            .sort()
            .map((k) => [k, x[k]]),
        )
      : x,
  );
}

module.exports = { writeFloorApp, writeRefFloorApp, compareOutdirs, toConfig, interpolations };
