/**
 * Review material from a synthesized app: a Markdown cost table per stack and a Mermaid
 * diagram of the stacks, read from `cdktf.out/` (the `cdktf-ai-infra-report` command prints
 * both for a pull-request comment). Loads no provider package.
 *
 * @packageDocumentation
 */
export * from './synth-output';
export * from './cost-table';
export * from './diagram';
export * from './pull-request';
export * from './command';
