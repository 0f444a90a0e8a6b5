import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { testStack } from '../util';

/** A test stack with a Google provider (synth validation requires one). */
export function gcpStack(id = 'test'): { app: ReturnType<typeof testStack>['app']; stack: TerraformStack } {
  const t = testStack(id);
  new GoogleProvider(t.stack, 'google', { project: 'my-proj', region: 'us-central1' });
  return t;
}

/** The warning ids (`[cdktf-ai-infra:<id>]`) recorded on `scope` and below. */
export function warningIds(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)))
    .map((m) => /\[cdktf-ai-infra:([a-z0-9-]+)\]/.exec(m)?.[1] ?? m);
}

/** The warning messages recorded on `scope` and below. */
export function warnings(scope: IConstruct): string[] {
  return scope.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data)));
}
