// Preloaded by scripts/bench.js (node --require): measures the time spent loading cdktf,
// constructs and the provider bindings, so the benchmark can report the library's own share
// of a synth. Writes milliseconds to $BENCH_IMPORTS_OUT on exit.
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
process.on('exit', () => {
  if (process.env.BENCH_IMPORTS_OUT) fs.writeFileSync(process.env.BENCH_IMPORTS_OUT, String(Math.round(ms)));
});
