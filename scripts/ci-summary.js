#!/usr/bin/env node
// Prints jest's JSON report (jest --json --outputFile) as one plain line: "N passed, N failed".
// Usage: node scripts/ci-summary.js reports/jest.json [exit code of the test command]
// The consumer test's checks (reports/consumers.json, written by test/package/consumer/run.js)
// are added to the counts when that report exists.
'use strict';
const fs = require('fs');

const [, , file = 'reports/jest.json', rcArg = '0'] = process.argv;
const rc = Number(rcArg);
const path = require('path');
const consumersFile = path.join(path.dirname(file), 'consumers.json');
const consumers = fs.existsSync(consumersFile)
  ? JSON.parse(fs.readFileSync(consumersFile, 'utf8'))
  : { passed: 0, failed: 0 };
if (fs.existsSync(consumersFile)) {
  console.log(
    `consumer test: ${consumers.passed} passed, ${consumers.failed} failed (${consumers.seconds} s)`,
  );
}
if (!fs.existsSync(file)) {
  // The test command failed before jest wrote its report (install, type-check or lint).
  console.log(`jest: no report at ${file}; the test command exited ${rc} before or while running jest`);
  console.log(`${consumers.passed} passed, ${consumers.failed + (rc === 0 ? 0 : 1)} failed`);
  process.exit(0);
}
const r = JSON.parse(fs.readFileSync(file, 'utf8'));
const failedSuites = r.numRuntimeErrorTestSuites || 0;
console.log(
  `suites: ${r.numPassedTestSuites} passed, ${r.numFailedTestSuites} failed (${failedSuites} could not run); ` +
    `snapshots: ${r.snapshot ? r.snapshot.matched : 0} matched, ${r.snapshot ? r.snapshot.unmatched : 0} unmatched`,
);
const failed = r.numFailedTests + failedSuites + consumers.failed;
// A non-zero exit with no failed test (type-check, lint or the consumer test's set-up) counts once.
console.log(
  `${r.numPassedTests + consumers.passed} passed, ${failed + (rc !== 0 && failed === 0 ? 1 : 0)} failed`,
);
