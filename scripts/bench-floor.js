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
 * Writes a plain-node cdktf app to `file` that rebuilds the stacks of the cdktf output directory
 * `outdir` (manifest.json, stacks/<id>/cdk.tf.json) from provider submodule classes.
 */
function writeFloorApp(outdir, file) {
  const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
  const classes = new Map();
  const body = [];
  const lit = (v) => JSON.stringify(v);
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
    for (const [type, list] of Object.entries(json.provider ?? {})) {
      const c = classFor('provider', type, classes);
      for (const config of list) {
        if (c) {
          body.push(`new ${c.name}(${s}, ${lit(config.alias ?? type)}, ${lit(toConfig(config))});`);
        } else {
          const req = json.terraform?.required_providers?.[type] ?? {};
          const meta = { providerName: type, ...(req.version ? { providerVersion: req.version } : {}) };
          const p = `new TerraformProvider(${s}, ${lit(config.alias ?? type)}, ${lit({ terraformResourceType: type, terraformGeneratorMetadata: meta, terraformProviderSource: req.source })})`;
          body.push(`r(${p}, null, ${lit(config)});`);
        }
      }
    }
    for (const [kind, blocks] of [
      ['resource', json.resource ?? {}],
      ['data', json.data ?? {}],
    ]) {
      for (const [type, byId] of Object.entries(blocks)) {
        for (const [logicalId, raw] of Object.entries(byId)) {
          const args = Object.fromEntries(Object.entries(raw).filter(([k]) => k !== '//' && !META.has(k)));
          const meta = Object.entries(raw).filter(([k]) => META.has(k));
          let ctor;
          if (kind === 'data' && type === 'terraform_remote_state') {
            if (args.backend !== 'local')
              throw new Error(`bench-floor: remote state ${args.backend} is not handled`);
            const config = {
              ...toConfig(args.config),
              ...(args.workspace ? { workspace: args.workspace } : {}),
            };
            ctor = `new DataTerraformRemoteStateLocal(${s}, ${lit(logicalId)}, ${lit(config)})`;
          } else {
            const c = classFor(kind, type, classes);
            if (!c) {
              // No binding: a plain block with every argument as an override, as the library writes it.
              const base = kind === 'data' ? 'TerraformDataSource' : 'TerraformResource';
              const cfg = {
                terraformResourceType: type,
                terraformGeneratorMetadata: { providerName: type.split('_')[0] },
              };
              body.push(
                `r(new ${base}(${s}, ${lit(logicalId)}, ${lit(cfg)}), ${lit(logicalId)}, ${lit(raw)});`,
              );
              continue;
            }
            ctor = `new ${c.name}(${s}, ${lit(logicalId)}, ${lit(toConfig(args))})`;
          }
          body.push(`r(${ctor}, ${lit(logicalId)}, ${lit(Object.fromEntries(meta))});`);
        }
      }
    }
    for (const [name, out] of Object.entries(json.output ?? {})) {
      // An output's value is free-form (its keys are kept); the other arguments are camel-cased.
      const config = { ...toConfig({ ...out, value: null }), value: out.value };
      body.push(`r(new TerraformOutput(${s}, ${lit(name)}, ${lit(config)}), ${lit(name)}, {});`);
    }
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
    '// Generated by scripts/bench-floor.js from a synthesized example: the L1 floor (no library logic).',
    'const { App, TerraformStack, TerraformOutput, TerraformProvider, TerraformResource, TerraformDataSource, LocalBackend, DataTerraformRemoteStateLocal } =',
    "  require('cdktf');",
    ...[...requires].map(([m, names]) => `const { ${[...new Set(names)].join(', ')} } = require(${lit(m)});`),
    'function r(c, id, meta) {',
    '  if (id !== null) c.overrideLogicalId(id);',
    "  for (const k of Object.keys(meta)) if (k !== '//') c.addOverride(k, meta[k]);",
    '}',
    'const app = new App();',
    ...body,
    'app.synth();',
    '',
  ].join('\n');
  fs.writeFileSync(file, src);
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

module.exports = { writeFloorApp, compareOutdirs, toConfig };
