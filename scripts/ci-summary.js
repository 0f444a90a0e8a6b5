#!/usr/bin/env node
// Prints jest's JSON report (jest --json --outputFile) as one plain line: "N passed, N failed".
// Usage: node scripts/ci-summary.js reports/jest.json [exit code of the test command]
'use strict';
const fs = require('fs');

const [, , file = 'reports/jest.json', rcArg = '0'] = process.argv;
const rc = Number(rcArg);
if (!fs.existsSync(file)) {
  // The test command failed before jest wrote its report (install, type-check or lint).
  console.log(`jest: no report at ${file}; the test command exited ${rc} before or while running jest`);
  console.log(`0 passed, ${rc === 0 ? 0 : 1} failed`);
  process.exit(0);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const failedSuites = r.numRuntimeErrorTestSuites || 0;
console.log(
  `suites: ${r.numPassedTestSuites} passed, ${r.numFailedTestSuites} failed (${failedSuites} could not run); ` +
    `snapshots: ${r.snapshot ? r.snapshot.matched : 0} matched, ${r.snapshot ? r.snapshot.unmatched : 0} unmatched`,
);
console.log(`${r.numPassedTests} passed, ${r.numFailedTests + failedSuites} failed`);
