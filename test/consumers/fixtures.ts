import { cachedJson, exampleJson } from '../synth-cache';
import { SynthJson } from '../util';

/** A synthesized stack: a readable name and its Terraform JSON. */
export interface SynthesizedStack {
  readonly name: string;
  readonly json: SynthJson;
}

const EXAMPLES = [
  'aws-inference',
  'aws-training',
  'aws-training-karpenter',
  'gcp-inference',
  'gcp-training',
  'k8s-serving',
  'k8s-training',
  'k8s-training-slurm',
  'quickstart',
  'serving-plan',
];

/**
 * Every stack of every example app (examples/*), synthesized once per jest run and shared by the
 * test files that read them (test/synth-cache.ts).
 */
export function exampleStacks(): SynthesizedStack[] {
  return (cachedExamples ??= EXAMPLES.flatMap((name) =>
    exampleJson(name).map((s) => ({ name: `examples/${name} ${s.id}`, json: s.json })),
  ));
}
let cachedExamples: SynthesizedStack[] | undefined;

/**
 * Configurations the examples do not cover, built through the public API: every GPU management
 * mode, the Triton engine, every weights source, scale to zero, Managed Prometheus collection,
 * queues with a cohort and two flavors, a monitoring stack with every receiver.
 */
export function constructStacks(): SynthesizedStack[] {
  return (cachedConstructs ??= cachedJson(
    'consumer-construct-stacks',
    ['test/consumers/construct-stacks.ts', 'test/k8s/helpers.ts'],
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    () => (require('./construct-stacks') as typeof import('./construct-stacks')).buildConstructStacks(),
  ));
}
let cachedConstructs: SynthesizedStack[] | undefined;
