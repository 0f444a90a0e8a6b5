import { Annotations, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { ValidationError, Warnings } from '../../lib/core';

describe('ValidationError', () => {
  test('carries the construct path', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'stack');
    const c = new Construct(stack, 'Pool');
    const e = new ValidationError(`'maxNodes' (2) must be >= 'minNodes' (3)`, c);
    expect(e.message).toBe(`stack/Pool: 'maxNodes' (2) must be >= 'minNodes' (3)`);
    expect(e.constructPath).toBe('stack/Pool');
    expect(e).toBeInstanceOf(Error);
  });

  test('withScope adds the path to errors from pure functions', () => {
    const app = Testing.app();
    const c = new Construct(new TerraformStack(app, 's'), 'Server');
    expect(() =>
      ValidationError.withScope(c, () => {
        throw new ValidationError('bad');
      }),
    ).toThrow('s/Server: bad');
    expect(ValidationError.withScope(c, () => 3)).toBe(3);
  });
});

describe('Warnings', () => {
  const warningsOf = (c: Construct) =>
    c.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => m.data as string);

  test('adds a warning with a stable id prefix', () => {
    const app = Testing.app();
    const c = new Construct(new TerraformStack(app, 's'), 'C');
    Warnings.add(c, 'my-id', 'something odd');
    expect(warningsOf(c)).toEqual(['[cdktf-ai-infra:my-id] something odd']);
  });

  test('suppress silences an id below a scope, with a reason', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    const c = new Construct(stack, 'C');
    Warnings.suppress(stack, 'my-id', 'accepted for the demo cluster');
    Warnings.add(c, 'my-id', 'something odd');
    Warnings.add(c, 'other-id', 'still shown');
    expect(warningsOf(c)).toEqual(['[cdktf-ai-infra:other-id] still shown']);
    expect(Annotations).toBeDefined();
  });

  test('throws when suppressing without a reason', () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 's');
    expect(() => Warnings.suppress(stack, 'my-id', '')).toThrow(/needs a reason/);
  });
});
