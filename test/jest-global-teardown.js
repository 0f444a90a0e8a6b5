// jest globalTeardown: removes the run's synthesis cache (see test/jest-global-setup.js).
'use strict';
const fs = require('fs');

module.exports = async function globalTeardown() {
  const dir = process.env.CDKTF_AI_INFRA_SYNTH_CACHE;
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
};
