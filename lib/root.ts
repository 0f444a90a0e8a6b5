/**
 * The package's runtime root entry (`require('cdktf-ai-infra')`). Its types are those of
 * `index.ts`; this file differs only in loading the `aws`, `gcp`, `k8s` and `policy` namespaces on first
 * use, so an app pays for (and needs to install) only the provider packages of the namespaces it
 * touches. A namespace whose provider packages are missing throws a {@link ValidationError}
 * naming them.
 *
 * @packageDocumentation
 */
import { ValidationError } from './core/errors';
import { NAMESPACE_PROVIDERS } from './namespaces';

export * from './core';

function isInstalled(pkg: string): boolean {
  try {
    require.resolve(`${pkg}/package.json`);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED';
  }
}

function peerRange(pkg: string): string {
  try {
    // dist/root.js -> the package's package.json; lib/root.ts -> the repository's.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const range = require('../package.json').peerDependencies?.[pkg];
    return typeof range === 'string' ? `@${range}` : '';
  } catch {
    return '';
  }
}

function load(ns: string): unknown {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`./${ns}`);
  } catch (e) {
    const err = e as { code?: string; message?: string };
    const needed = NAMESPACE_PROVIDERS[ns as keyof typeof NAMESPACE_PROVIDERS];
    const missing = needed.filter((p) => !isInstalled(p));
    if (err.code !== 'MODULE_NOT_FOUND' || missing.length === 0) {
      throw e;
    }
    const install = missing.map((p) => `${p}${peerRange(p)}`).join(' ');
    throw new ValidationError(
      `'${ns}' (imported from 'cdktf-ai-infra') needs ${missing.join(' and ')}, which ${missing.length > 1 ? 'are' : 'is'} not installed: ` +
        `run \`npm install ${install}\`, or do not use the '${ns}' namespace. ` +
        `The other namespaces load without it; 'cdktf-ai-infra/${ns}' is the same module as a subpath import.`,
    );
  }
}

for (const ns of Object.keys(NAMESPACE_PROVIDERS)) {
  let loaded: unknown;
  Object.defineProperty(exports, ns, {
    enumerable: true,
    get: () => (loaded ??= load(ns)),
  });
}
