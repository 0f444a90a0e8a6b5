// jest globalSetup: one synthesis cache directory per run, shared by the workers
// (test/synth-cache.ts). Workers inherit the environment variables; teardown removes the directory.
// TMPDIR points inside it too: cdktf's Testing.app() makes a new output directory under
// os.tmpdir() on every call and never removes it (thousands per run, which piled up in /tmp and
// slowed every later mkdtemp), so the run's temporary files go where teardown removes them.
// NODE_OPTIONS gains --max-semi-space-size (V8's young generation, default 16 MiB per semi-space on
// 64-bit): the workers build thousands of short-lived construct trees and token objects, and with
// the default they spend much of their time in scavenges. An explicit setting in NODE_OPTIONS wins.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

/** MiB per semi-space in the workers (measured in docs/benchmarks.md, "Test suite"). */
const SEMI_SPACE_MIB = 64;

module.exports = async function globalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-ai-infra-jest-'));
  process.env.CDKTF_AI_INFRA_SYNTH_CACHE = dir;
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  process.env.TMPDIR = tmp;
  const options = process.env.NODE_OPTIONS ?? '';
  if (!/--max-semi-space-size\b/.test(options)) {
    process.env.NODE_OPTIONS = `${options} --max-semi-space-size=${SEMI_SPACE_MIB}`.trim();
  }
};
