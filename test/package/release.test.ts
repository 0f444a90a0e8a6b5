// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cutRelease, nextVersion } = require('../../scripts/release.js');

const CHANGELOG = `# Changelog

## Unreleased

- a feature

## 0.1.0 - 2026-12-03

- first
`;

describe('scripts/release.js', () => {
  test.each([
    ['major', '1.0.0'],
    ['minor', '0.2.0'],
    ['patch', '0.1.1'],
    ['0.3.0', '0.3.0'],
  ])('%s after 0.1.0 is %s', (how, version) => {
    expect(nextVersion('0.1.0', how)).toBe(version);
  });

  test('refuses a version that is not newer, and an unknown bump', () => {
    expect(() => nextVersion('0.1.0', '0.1.0')).toThrow('0.1.0 is not newer than 0.1.0');
    expect(() => nextVersion('0.1.0', 'huge')).toThrow(/usage: npm run release/);
  });

  test('turns the Unreleased section into a dated version section and keeps an empty Unreleased on top', () => {
    const r = cutRelease(CHANGELOG, 'minor', '2027-01-15');
    expect(r.version).toBe('0.2.0');
    expect(r.text).toContain(
      '## Unreleased\n\n## 0.2.0 - 2027-01-15\n\n- a feature\n\n## 0.1.0 - 2026-12-03',
    );
  });

  test('refuses to release an empty Unreleased section', () => {
    const empty = CHANGELOG.replace('- a feature\n', '');
    expect(() => cutRelease(empty, 'patch', '2027-01-15')).toThrow('nothing to release');
    expect(() => cutRelease(CHANGELOG.replace('## Unreleased\n', ''), 'patch', '2027-01-15')).toThrow(
      'no "## Unreleased" section',
    );
  });
});
