import { Testing } from 'cdktf';

// cdktf's jest matchers: toHaveResource, toHaveResourceWithProperties, toHaveDataSource, ...
Testing.setupJest();

// cdktf records where every token was created: each Intrinsic (every attribute reference)
// captures a full stack trace into a plain object and reads its `stack`. Under jest that string
// is built by source-map-support, which maps every frame through the source maps: more than half
// of the CPU time of the property suites. Those traces are only shown when a token fails to
// resolve, so they are formatted by V8 unmapped here (JavaScript positions). Real errors (an
// Error instance: a failing test, a thrown ValidationError) still go through the mapping.
const mapped = Error.prepareStackTrace;
if (mapped) {
  Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) =>
    error instanceof Error ? mapped(error, frames) : `Error\n${frames.map((f) => `    at ${f}`).join('\n')}`;
}
