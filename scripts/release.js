#!/usr/bin/env node
// Cuts a release from CHANGELOG.md: `npm run release -- minor` (or major, patch, x.y.z).
// 1. the `## Unreleased` section must have content; it becomes `## x.y.z - YYYY-MM-DD` and an
//    empty `## Unreleased` is put back on top;
// 2. `npx projen` rewrites package.json (.projenrc.ts reads the version from CHANGELOG.md);
// 3. commits both and tags `vx.y.z` (pass --no-git to skip; publishing stays a human step).
// Semantic versions: major for a breaking API change, minor for features (and, before 1.0.0,
// breaking changes), patch for fixes. A changed Terraform address is always listed.
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const file = path.join(root, 'CHANGELOG.md');

/** The next version after `current` for `how` (major|minor|patch|x.y.z); throws on anything else. */
function nextVersion(current, how) {
  const [maj, min, pat] = current.split('.').map(Number);
  if (how === 'major') return `${maj + 1}.0.0`;
  if (how === 'minor') return `${maj}.${min + 1}.0`;
  if (how === 'patch') return `${maj}.${min}.${pat + 1}`;
  if (/^\d+\.\d+\.\d+$/.test(how ?? '')) {
    const a = how.split('.').map(Number);
    const newer = a[0] !== maj ? a[0] > maj : a[1] !== min ? a[1] > min : a[2] > pat;
    if (!newer) throw new Error(`${how} is not newer than ${current}`);
    return how;
  }
  throw new Error(`usage: npm run release -- major|minor|patch|x.y.z [--no-git] (got '${how ?? ''}')`);
}

/** CHANGELOG.md with its Unreleased section turned into `## <version> - <date>`; the version too. */
function cutRelease(text, how, date) {
  const released = /^## (\d+\.\d+\.\d+) - \d{4}-\d{2}-\d{2}$/m.exec(text);
  if (!released) throw new Error('CHANGELOG.md has no released section "## x.y.z - YYYY-MM-DD"');
  const unreleased = /^## Unreleased\n([\s\S]*?)(?=^## )/m.exec(text);
  if (!unreleased || unreleased.index > released.index) {
    throw new Error('CHANGELOG.md has no "## Unreleased" section above the last release');
  }
  if (!unreleased[1].trim()) throw new Error('the "## Unreleased" section is empty: nothing to release');
  const version = nextVersion(released[1], how);
  return { version, text: text.replace(/^## Unreleased\n/m, `## Unreleased\n\n## ${version} - ${date}\n`) };
}

function main(args) {
  const how = args.find((a) => !a.startsWith('--'));
  const git = !args.includes('--no-git');
  const { version, text } = cutRelease(
    fs.readFileSync(file, 'utf8'),
    how,
    new Date().toISOString().slice(0, 10),
  );
  fs.writeFileSync(file, text);
  execFileSync('npx', ['projen'], { cwd: root, stdio: 'inherit' });
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  if (pkg.version !== version)
    throw new Error(`package.json has ${pkg.version} after projen, expected ${version}`);
  if (git) {
    execFileSync('git', ['add', 'CHANGELOG.md', 'package.json'], { cwd: root, stdio: 'inherit' });
    execFileSync('git', ['commit', '-m', `release: ${version}`], { cwd: root, stdio: 'inherit' });
    execFileSync('git', ['tag', '-a', `v${version}`, '-m', `cdktf-ai-infra ${version}`], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  console.log(`released ${version}${git ? ` (tag v${version})` : ''}`);
}

module.exports = { cutRelease, nextVersion };

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    console.error(`release: ${e.message}`);
    process.exit(1);
  }
}
