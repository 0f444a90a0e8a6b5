import { Testing, TerraformStack } from 'cdktf';
import {
  CapacityKind,
  PricingModel,
  SizingAdvice,
  SizingResult,
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
