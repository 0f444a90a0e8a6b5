#!/usr/bin/env node
/**
 * The `cdktf-ai-infra-report` command (see {@link runReportCommand}).
 *
 * @packageDocumentation
 */
import { runReportCommand } from './command';

process.exitCode = runReportCommand(
  process.argv.slice(2),
  (s) => process.stdout.write(s),
  (s) => process.stderr.write(s),
);
