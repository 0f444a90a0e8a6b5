#!/usr/bin/env node
// Writes test/durations.json (each test file's wall time in ms, from a jest --json report) for
// test/jest-sequencer.js, which starts the longest files first on a machine without jest's cache.
// Usage: node scripts/test-durations.js [reports/jest.json]
'use strict';
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const report = JSON.parse(fs.readFileSync(path.resolve(process.argv[2] || 'reports/jest.json'), 'utf8'));
const durations = {};
for (const r of report.testResults) {
  if (!(r.endTime > r.startTime)) continue;
  durations[path.relative(ROOT, r.name).split(path.sep).join('/')] = Math.round(r.endTime - r.startTime);
}
const sorted = Object.fromEntries(Object.entries(durations).sort(([a], [b]) => a.localeCompare(b)));
fs.writeFileSync(path.join(ROOT, 'test', 'durations.json'), `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`test/durations.json: ${Object.keys(sorted).length} files`);
