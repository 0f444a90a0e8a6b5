// jest's TypeScript transform: strips types with sucrase instead of compiling with ts-jest.
//
// Each TypeScript file a test loads (the test, lib/ and examples/) is transformed once per
// cold jest cache. All 402 of them (3.8 MB): TypeScript's transpileModule 8.7-9.5 CPU s plus
// 0.25 s to load the compiler in each worker, this transform 1.3 CPU s; ts-jest was about a third
// of a cold run's CPU (docs/benchmarks.md, "Test suite"). Nothing is type-checked here, as
// before: the typecheck task (`tsc --noEmit -p tsconfig.dev.json`) checks lib, test and examples.
//
// Output semantics follow tsconfig.dev.json: ES2022 (`disableESTransforms`: class fields stay
// native class fields, as tsc emits them with useDefineForClassFields; `?.` and `??` stay),
// CommonJS with esModuleInterop-compatible interop, type-only imports removed. sucrase keeps
// every line on its line (its source map is coarser than tsc's within a line), so stack traces
// and jest's code frames point at the .ts lines.
//
// Library sources (lib/) then get the same lazy requires as the compiled library
// (scripts/lazy-require.js, run on dist/): an import whose binding is only read as `_x.Name`
// becomes an object of getters that requires the module on first use, so a test file loads only
// the provider submodules, helpers and packages (yaml, ip-num) that the constructs it builds use,
// and the tests run the library as it ships. `cdktf`, `constructs`, Node's modules, `export *`
// and default or namespace imports stay eager.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { transform } = require('sucrase');
const { EAGER } = require('../scripts/lazy-require');

const OPTIONS = {
  transforms: ['typescript', 'imports'],
  disableESTransforms: true,
};

// The cache key covers this file, scripts/lazy-require.js and the sucrase version.
const VERSION = crypto
  .createHash('sha256')
  .update(fs.readFileSync(__filename))
  .update(fs.readFileSync(require.resolve('../scripts/lazy-require')))
  .update(require('sucrase/package.json').version)
  .digest('hex');

const LIB = path.join(__dirname, '..', 'lib') + path.sep;

// sucrase's output for `import { A, b } from 'm'`, in the import's place.
const NAMED_IMPORT = /\bvar (_[\w$]+) = require\('([^']+)'\);/g;

/**
 * Makes the named-only imports of one sucrase output lazy; returns the new code. A binding used in
 * any way other than `_x.Name` (passed to `_createStarExport`, `_interopRequireDefault`, ...)
 * keeps its eager require. Scanning with a regular expression errs only towards eager: an
 * occurrence in a string or comment that is not followed by `.Name` keeps the require, one that is
 * adds an unused getter. Each rewritten require stays on its line.
 */
function lazyRequires(code) {
  return code.replace(NAMED_IMPORT, (whole, name, request) => {
    if (EAGER.has(request)) return whole;
    const props = propertyReads(code, name);
    if (!props) return whole;
    const cache = `${name}$lazy`;
    const load = `require(${JSON.stringify(request)})`;
    const getters = props.map((p) => `get ${p}() { return (${cache} ??= ${load}).${p}; }`).join(', ');
    return `let ${cache}; var ${name} = { ${getters} };`;
  });
}

/** The names read as `name.X`, or undefined when `name` is used any other way. */
function propertyReads(code, name) {
  const escaped = name.replace(/\$/g, '\\$');
  const uses = new RegExp(`(?<![\\w$])${escaped}(?![\\w$])(?:\\.([A-Za-z_$][\\w$]*))?`, 'g');
  const declaration = `var ${name} = require(`;
  const props = new Set();
  for (const m of code.matchAll(uses)) {
    if (m[1] !== undefined) props.add(m[1]);
    else if (!code.startsWith(declaration, m.index - 4)) return undefined;
  }
  return props.size ? [...props].sort() : undefined;
}

module.exports = {
  process(source, filename) {
    const out = transform(source, {
      ...OPTIONS,
      filePath: filename,
      sourceMapOptions: { compiledFilename: filename },
    });
    const code = filename.startsWith(LIB) ? lazyRequires(out.code) : out.code;
    return { code, map: out.sourceMap };
  },
  lazyRequires,
  OPTIONS,
  getCacheKey(source, filename, options) {
    return crypto
      .createHash('sha256')
      .update(VERSION)
      .update('\0')
      .update(filename)
      .update('\0')
      .update(options.configString)
      .update('\0')
      .update(source)
      .digest('hex');
  },
};
