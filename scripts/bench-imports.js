// Preloaded by scripts/bench.js (node --require): measures the time spent loading cdktf,
// constructs and the provider bindings, so the benchmark can report the library's own share
// of a synth, and counts the modules compiled (and their KiB of source), a number that machine
// load does not move. Writes {"ms":..,"modules":..,"kib":..} to $BENCH_IMPORTS_OUT on exit.
'use strict';
const Module = require('module');
const fs = require('fs');

const FRAMEWORK = /^(@cdktf\/provider-[a-z]+\/|cdktf$|constructs$)/;
const origLoad = Module._load;
let depth = 0;
let ms = 0;
Module._load = function (request, ...rest) {
  if (depth > 0 || !FRAMEWORK.test(request)) {
    return origLoad.call(this, request, ...rest);
  }
  const t0 = process.hrtime.bigint();
  depth++;
  try {
    return origLoad.call(this, request, ...rest);
  } finally {
    depth--;
    ms += Number(process.hrtime.bigint() - t0) / 1e6;
  }
};
const origCompile = Module.prototype._compile;
let modules = 0;
let chars = 0;
Module.prototype._compile = function (content, ...rest) {
  modules++;
  chars += content.length;
  return origCompile.call(this, content, ...rest);
};
process.on('exit', () => {
  if (process.env.BENCH_IMPORTS_OUT) {
    fs.writeFileSync(
      process.env.BENCH_IMPORTS_OUT,
      JSON.stringify({ ms: Math.round(ms), modules, kib: Math.round(chars / 1024) }),
    );
  }
});
