// jest's TypeScript transform: strips types with sucrase instead of compiling with ts-jest.
//
// Each TypeScript file a test loads (the test, lib/ and examples/) is transformed once per
// cold jest cache. ts-jest (transpileModule, isolatedModules) spent about 4 ms per 10 kB of
// source plus loading the TypeScript compiler in each worker; sucrase is a pure-JS type stripper
// about 20x faster (see docs/benchmarks.md, "Test suite"). Nothing is type-checked here, as
// before: the typecheck task (`tsc --noEmit -p tsconfig.dev.json`) checks lib, test and examples.
//
// Output semantics follow tsconfig.dev.json: ES2022 (`disableESTransforms`: class fields stay
// native class fields, as tsc emits them with useDefineForClassFields; `?.` and `??` stay),
// CommonJS with esModuleInterop-compatible interop, type-only imports removed. sucrase keeps
// every line on its line, and the source map it returns maps columns too, so stack traces and
// jest's code frames point at the .ts source.
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const { transform } = require('sucrase');

const OPTIONS = {
  transforms: ['typescript', 'imports'],
  disableESTransforms: true,
};

// The cache key covers this file and the sucrase version, so editing either re-transforms.
const VERSION = crypto
  .createHash('sha256')
  .update(fs.readFileSync(__filename))
  .update(require('sucrase/package.json').version)
  .digest('hex');

module.exports = {
  process(source, filename) {
    const out = transform(source, {
      ...OPTIONS,
      filePath: filename,
      sourceMapOptions: { compiledFilename: filename },
    });
    return { code: out.code, map: out.sourceMap };
  },
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
