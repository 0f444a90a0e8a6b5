import { readFileSync } from 'fs';
import { join } from 'path';
import { App, Testing, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from '../lib/core';
import { invokeAspects } from 'cdktf/lib/synthesize/synthesizer';

/** Synthesized Terraform JSON of a stack, with validations run (`Testing.synth(stack, true)`). */
export interface SynthJson {
  resource?: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  output?: Record<string, any>;
  provider?: Record<string, any>;
  [k: string]: any;
}

/**
 * Synthesizes `stack` (running node validations) and parses the JSON: the value of
 * `JSON.parse(Testing.synth(stack, true))` (the same steps: aspects, validations, `toTerraform()`,
 * no `//` metadata, keys sorted), built without Testing.synth's copy of every object per key and
 * its JavaScript JSON writer: a third less CPU per call outside `toTerraform()` (test/util.test.ts
 * checks that both give the same JSON).
 */
export function synthJson(stack: TerraformStack): SynthJson {
  invokeAspects(stack);
  stack.runAllValidations();
  return withoutMetadata(JSON.parse(JSON.stringify(stack.toTerraform())));
}

/** A JSON value with its `//` (metadata) keys removed and every object's keys sorted. */
function withoutMetadata(value: any): any {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    if (key !== '//') out[key] = withoutMetadata(value[key]);
  }
  return out;
}

/** All resources of one Terraform type, keyed by logical id. */
export function resourcesOf(json: SynthJson, type: string): Record<string, any> {
  return json.resource?.[type] ?? {};
}

/** The only resource of a type; fails when there is not exactly one. */
export function onlyResource(json: SynthJson, type: string): any {
  const all = Object.values(resourcesOf(json, type));
  if (all.length !== 1) {
    throw new Error(`expected exactly one ${type}, found ${all.length}`);
  }
  return all[0];
}

/** A fresh app and stack for a test. */
export function testStack(id = 'test'): { app: ReturnType<typeof Testing.app>; stack: TerraformStack } {
  const app = Testing.app();
  const stack = new TerraformStack(app, id);
  return { app, stack };
}

/**
 * Synthesizes a whole app (only a full synth resolves cross-stack references into outputs and
 * remote state) and returns a reader of each stack's JSON. Absolute paths of the local backend
 * are replaced with `<cwd>` so snapshots do not depend on the checkout.
 */
export function synthApp(app: App): (stack: TerraformStack) => SynthJson {
  app.synth();
  return (stack) =>
    JSON.parse(
      readFileSync(join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')
        .split(process.cwd())
        .join('<cwd>'),
    );
}

/**
 * The warnings with id `id` (`[cdktf-ai-infra:<id>] ...`) raised anywhere in the app or stack
 * tree of `scope` (every stack of the app, not only `scope`'s).
 */
export function warningsWithId(scope: IConstruct, id: string): string[] {
  const prefix = `[cdktf-ai-infra:${id}]`;
  return scope.node.root.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === '@cdktf/warn' && String(m.data).startsWith(prefix))
    .map((m) => String(m.data));
}

/**
 * Runs `fn` and returns the ValidationError it throws; fails the test if it throws something
 * else or nothing.
 */
export function validationErrorOf(fn: () => unknown): ValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e;
    throw new Error(`expected a ValidationError, got ${String(e)}`);
  }
  throw new Error('expected a ValidationError, nothing was thrown');
}
