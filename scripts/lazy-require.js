#!/usr/bin/env node
// Rewrites the top-level requires of compiled library modules (tsc's CommonJS output of
// `import { A, b } from './x'`) into lazy ones: the binding becomes an object whose getters
// require the module on first use, so a construct's optional paths (an imported cluster, cost
// anomaly detection, a YAML document, a CIDR check) load their provider submodules, helpers and
// packages only when an app takes them (issue 11 section 5). The same technique as aws-cdk-lib's
// lazy imports (github.com/aws/aws-cdk, tools/@aws-cdk/lazify).
//
// A binding is rewritten only when every use of it in the file is a property read
// (`x_1.Name`, `(0, x_1.name)(...)`; found with the TypeScript parser), which is how tsc emits
// uses of named imports; anything
// else (the binding passed as a value, `export *`) keeps its eager require. `cdktf`,
// `constructs` and Node's built-in modules stay eager: every module needs them. Each rewritten
// require stays on its own line, so line numbers (stack traces, source maps) do not move.
// Running it twice is harmless.
//
// Usage: node scripts/lazy-require.js <compiled root> (dist or .build/lib)
'use strict';
const fs = require('fs');
const path = require('path');
const { builtinModules } = require('module');

/** Modules that stay eager: loaded by every construct anyway. */
const EAGER = new Set(['cdktf', 'constructs', ...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

// `const x_1 = require("m");`, `const x_1 = __importStar(require("m"));`,
// `const x_1 = __importDefault(require("m"));` at the top level of a compiled module.
const REQUIRE_LINE = /^const (\w+) = (?:(__importStar|__importDefault)\()?require\("([^"]+)"\)\)?;$/;

/**
 * Rewrites one compiled module's source; returns the new source and the modules made lazy.
 * Pure (no file access), so tests can feed it tsc output directly.
 */
function transform(js) {
  const lines = js.split('\n');
  const candidates = new Map();
  for (let i = 0; i < lines.length; i++) {
    const m = REQUIRE_LINE.exec(lines[i]);
    if (m && !EAGER.has(m[3])) candidates.set(m[1], { line: i, wrapper: m[2], request: m[3] });
  }
  const lazy = [];
  if (candidates.size === 0) return { js, lazy };
  const uses = propertyReads(js, candidates);
  for (const [name, { line, wrapper, request }] of candidates) {
    const props = uses.get(name);
    if (!props) continue;
    const cache = `${name}$`;
    const load = wrapper
      ? `${wrapper}(require(${JSON.stringify(request)}))`
      : `require(${JSON.stringify(request)})`;
    const getters = props.map((p) => `get ${p}() { return (${cache} ??= ${load}).${p}; }`).join(', ');
    lines[line] = `let ${cache}; const ${name} = { ${getters} }; // lazy require`;
    lazy.push(request);
  }
  return { js: lines.join('\n'), lazy };
}

/**
 * For each candidate binding, the property names the module reads from it (`x_1.Name`), or no
 * entry when it is used any other way (passed as a value, written, or not used at all: a require
 * kept for its side effects stays eager). Parsed with the TypeScript compiler (a dev
 * dependency), so strings, comments and spreads cannot mislead it.
 */
function propertyReads(js, candidates) {
  const ts = require('typescript');
  const sf = ts.createSourceFile('m.js', js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const props = new Map([...candidates.keys()].map((n) => [n, new Set()]));
  const bad = new Set();
  const visit = (node) => {
    if (ts.isIdentifier(node) && props.has(node.text)) {
      const parent = node.parent;
      const declaration = ts.isVariableDeclaration(parent) && parent.name === node;
      const read =
        ts.isPropertyAccessExpression(parent) &&
        parent.expression === node &&
        !(
          ts.isBinaryExpression(parent.parent) &&
          parent.parent.left === parent &&
          isAssignment(ts, parent.parent)
        ) &&
        !ts.isDeleteExpression(parent.parent);
      if (read) props.get(node.text).add(parent.name.text);
      else if (!declaration) bad.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const out = new Map();
  for (const [name, set] of props) if (!bad.has(name) && set.size) out.set(name, [...set].sort());
  return out;
}

function isAssignment(ts, bin) {
  const k = bin.operatorToken.kind;
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

/** Rewrites every compiled module under `root`; returns how many requires were made lazy. */
function rewriteTree(root) {
  let count = 0;
  const walk = (d) => {
    for (const f of fs.readdirSync(d).sort()) {
      const p = path.join(d, f);
      if (fs.statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.js')) {
        const js = fs.readFileSync(p, 'utf8');
        const out = transform(js);
        if (out.lazy.length) {
          fs.writeFileSync(p, out.js);
          count += out.lazy.length;
        }
      }
    }
  };
  walk(root);
  return count;
}

if (require.main === module) {
  const root = path.resolve(process.argv[2] || 'dist');
  console.log(
    `lazy-require: ${path.relative(process.cwd(), root)} (${rewriteTree(root)} requires made lazy)`,
  );
}

module.exports = { transform, rewriteTree, EAGER };
