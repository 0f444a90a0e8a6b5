// jest globalSetup: one synthesis cache directory per run, shared by the workers
// (test/synth-cache.ts). Workers inherit the environment variables; teardown removes the directory.
// TMPDIR points inside it too: cdktf's Testing.app() makes a new output directory under
// os.tmpdir() on every call and never removes it (thousands per run, which piled up in /tmp and
// slowed every later mkdtemp), so the run's temporary files go where teardown removes them.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async function globalSetup() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-ai-infra-jest-'));
  process.env.CDKTF_AI_INFRA_SYNTH_CACHE = dir;
  const tmp = path.join(dir, 'tmp');
  fs.mkdirSync(tmp);
  process.env.TMPDIR = tmp;
};
