#!/usr/bin/env node
// Runs shell commands side by side, at most one per CPU, and prints each command's output in
// one piece when it ends (in the order they end). Exits 1 when any command failed, after all
// have ended, so one run reports every failing check. `npm test` runs its type-check, TSDoc check,
// eslint and prettier this way after jest: each is one single-threaded process.
// Usage: node scripts/parallel.js '<command>' '<command>' ...
'use strict';
const { spawn } = require('child_process');
const os = require('os');

const commands = process.argv.slice(2);
const slots = Math.max(1, Math.min(commands.length, os.availableParallelism?.() ?? os.cpus().length));
let next = 0;
let failed = 0;
let running = 0;

function start() {
  if (next >= commands.length) {
    if (running === 0) process.exit(failed ? 1 : 0);
    return;
  }
  const command = commands[next++];
  const began = Date.now();
  const chunks = [];
  const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
  running++;
  child.stdout.on('data', (d) => chunks.push(d));
  child.stderr.on('data', (d) => chunks.push(d));
  child.on('close', (code, signal) => {
    running--;
    const ok = code === 0;
    if (!ok) failed++;
    const seconds = ((Date.now() - began) / 1000).toFixed(1);
    process.stdout.write(`\n> ${command}\n`);
    process.stdout.write(Buffer.concat(chunks));
    process.stdout.write(`< ${ok ? 'ok' : `FAILED (${signal ?? `exit ${code}`})`} after ${seconds} s\n`);
    start();
  });
}

for (let i = 0; i < slots; i++) start();
