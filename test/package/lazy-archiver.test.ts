import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { AssetType, TerraformAsset, TerraformStack, Testing } from 'cdktf';

// jest maps `archiver` to test/lazy-archiver.js (.projenrc.ts, jest.moduleNameMapper); cdktf must
// still zip an archive asset through it exactly as through the real package.
describe('the lazy archiver stand-in', () => {
  test('an ARCHIVE asset is zipped when the app synthesizes', () => {
    const src = mkdtempSync(join(tmpdir(), 'asset-'));
    mkdirSync(join(src, 'sub'));
    writeFileSync(join(src, 'a.txt'), 'hello');
    writeFileSync(join(src, 'sub', 'b.txt'), 'world');
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    const asset = new TerraformAsset(stack, 'asset', { path: src, type: AssetType.ARCHIVE });
    app.synth();
    const zip = join(app.outdir, 'stacks', 'stack', asset.path);
    expect(existsSync(zip)).toBe(true);
    expect(statSync(zip).size).toBeGreaterThan(100);
  });

  test('the stand-in is what cdktf received', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const archiver = require('archiver');
    expect(archiver.name).toBe('archiver');
    expect(String(archiver)).toContain('real ??=');
  });
});
