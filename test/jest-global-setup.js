// jest globalSetup: one synthesis cache directory per run, shared by the workers
// (test/synth-cache.ts). Workers inherit the environment variable; teardown removes the directory.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

module.exports = async function globalSetup() {
  process.env.CDKTF_AI_INFRA_SYNTH_CACHE = fs.mkdtempSync(path.join(os.tmpdir(), 'cdktf-ai-infra-jest-'));
};
