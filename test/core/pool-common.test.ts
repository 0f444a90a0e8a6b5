import { Testing, TerraformStack } from 'cdktf';
import {
  CapacityKind,
  PricingModel,
  SizingAdvice,
  SizingResult,
  mergeNodeLabels,
  pricingModelOf,
  raiseSizingFindings,
} from '../../lib/core';

describe('pricingModelOf (one capacity -> pricing rule for every cloud)', () => {
  test.each<[CapacityKind, PricingModel]>([
    [CapacityKind.ON_DEMAND, PricingModel.ON_DEMAND],
    [CapacityKind.SPOT, PricingModel.SPOT],
    [CapacityKind.RESERVATION, PricingModel.RESERVED],
    [CapacityKind.CAPACITY_BLOCK, PricingModel.RESERVED],
    [CapacityKind.FLEX_START, PricingModel.ON_DEMAND],
    [CapacityKind.QUEUED_PROVISIONING, PricingModel.ON_DEMAND],
  ])('%s is priced %s', (kind, model) => {
    expect(pricingModelOf(kind)).toBe(model);
  });
});

describe('raiseSizingFindings', () => {
  test('raises each finding as a warning with its id', () => {
    const stack = new TerraformStack(Testing.app(), 'test');
    const sizing = {
      findings: [{ id: SizingAdvice.SLOW_KERNEL, message: 'AWQ without Marlin' }],
    } as unknown as SizingResult;
    raiseSizingFindings(stack, sizing);
    expect(stack.node.metadata.map((m) => m.data)).toEqual([
      '[cdktf-ai-infra:slow-quantization-kernel] AWQ without Marlin',
    ]);
  });
});

describe('mergeNodeLabels (one node-label rule for every cloud)', () => {
  const stack = () => new TerraformStack(Testing.app(), 'test');
  const library = { 'cdktf-ai-infra/node-pool': 'l40s', 'nvidia.com/gpu.present': 'true' };

  test("adds the user's labels to the library's", () => {
    expect(mergeNodeLabels(stack(), 'labels', library, { team: 'ml' })).toEqual({ team: 'ml', ...library });
  });

  test('defaults to the library labels only', () => {
    expect(mergeNodeLabels(stack(), 'labels', library, undefined)).toEqual(library);
  });

  test('throws when a user label redefines a library label (neither wins silently)', () => {
    expect(() => mergeNodeLabels(stack(), 'labels', library, { 'nvidia.com/gpu.present': 'false' })).toThrow(
      /'labels' sets 'nvidia.com\/gpu.present', a label the library sets to 'true'/,
    );
  });

  test('throws for a kubernetes.io key the kubelet may not set, allows node.kubernetes.io', () => {
    expect(() => mergeNodeLabels(stack(), 'labels', library, { 'kubernetes.io/role': 'gpu' })).toThrow(
      /NodeRestriction/,
    );
    expect(mergeNodeLabels(stack(), 'labels', library, { 'node.kubernetes.io/pool': 'gpu' })).toMatchObject({
      'node.kubernetes.io/pool': 'gpu',
    });
  });

  test('throws for a key Kubernetes rejects (validated, never normalised)', () => {
    expect(() => mergeNodeLabels(stack(), 'labels', library, { 'Team Name': 'ml' })).toThrow(/'labels'/);
  });
});
