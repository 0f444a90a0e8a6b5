import {
  Accelerator,
  CostEstimate,
  GpuShape,
  PricingModel,
  ValidationError,
  lookupShape,
  shapeByName,
} from '../../lib/core';
import { testStack } from '../util';

const price = (usd: number) => ({ usd, region: 'r', asOf: '2026-11-01', source: 'test' });
const SHAPES: GpuShape[] = [
  {
    name: 'l4-1',
    accelerator: Accelerator.L4,
    gpuCount: 1,
    vcpus: 4,
    memoryGiB: 16,
    onDemandPrice: price(1),
  },
  { name: 'l4-1-big', accelerator: Accelerator.L4, gpuCount: 1, vcpus: 8, memoryGiB: 32 },
  { name: 'l4-4', accelerator: Accelerator.L4, gpuCount: 4, vcpus: 48, memoryGiB: 192 },
  { name: 'h100-8', accelerator: Accelerator.H100, gpuCount: 8, vcpus: 208, memoryGiB: 1872 },
];

describe('lookupShape', () => {
  test('returns the first shape in catalogue order', () => {
    expect(lookupShape('Cloud', SHAPES, Accelerator.L4, 1).name).toBe('l4-1');
    expect(lookupShape('Cloud', SHAPES, Accelerator.H100, 8).name).toBe('h100-8');
  });

  test('throws naming the available GPU counts and the nearest one', () => {
    expect(() => lookupShape('Cloud', SHAPES, Accelerator.L4, 2)).toThrow(ValidationError);
    expect(() => lookupShape('Cloud', SHAPES, Accelerator.L4, 2)).toThrow(
      /'gpusPerNode' \(2\) has no Cloud shape with L4: available GPU counts are 1, 4.*Use gpusPerNode: 1/,
    );
    expect(() => lookupShape('Cloud', SHAPES, Accelerator.L4, 3)).toThrow(/Use gpusPerNode: 4/);
  });

  test('throws naming the nearest alternatives when the cloud lacks the GPU', () => {
    const call = () =>
      lookupShape('Cloud', SHAPES, Accelerator.L40S, 1, [
        { missing: Accelerator.L40S, suggestions: ['L4 x2 (48 GB total)'] },
      ]);
    expect(call).toThrow(
      /'accelerator' L40S is not offered on Cloud. Nearest alternatives: L4 x2 \(48 GB total\). Cloud GPUs in this library's catalogue: L4, H100/,
    );
  });

  test('shapeByName throws listing known names', () => {
    expect(shapeByName('Cloud', SHAPES, 'h100-8', 'instanceType').gpuCount).toBe(8);
    expect(() => shapeByName('Cloud', SHAPES, 'x', 'instanceType')).toThrow(
      /'instanceType' \('x'\) is not a Cloud GPU shape/,
    );
  });
});

describe('CostEstimate', () => {
  test('is one per stack and sums lines at min and max scale', () => {
    const { stack } = testStack();
    const e = CostEstimate.of(stack);
    expect(CostEstimate.of(stack)).toBe(e);
    e.add({
      constructPath: 'a',
      item: 'x',
      minQuantity: 0,
      maxQuantity: 2,
      unitPrice: price(10),
      pricingModel: PricingModel.ON_DEMAND,
    });
    e.add({
      constructPath: 'b',
      item: 'y',
      minQuantity: 1,
      maxQuantity: 1,
      unitPrice: price(10),
      pricingModel: PricingModel.SPOT,
    });
    expect(e.monthlyUsd('min')).toBeCloseTo(10 * 730 * 0.4);
    expect(e.monthlyUsd('max')).toBeCloseTo(2 * 10 * 730 + 10 * 730 * 0.4);
    expect(e.renderTable()).toMatch(/Spot lines assume 40% of the on-demand price/);
  });

  test('throws when a line has inverted quantities', () => {
    const { stack } = testStack();
    expect(() =>
      CostEstimate.of(stack).add({
        constructPath: 'a',
        item: 'x',
        minQuantity: 3,
        maxQuantity: 2,
        unitPrice: price(1),
        pricingModel: PricingModel.ON_DEMAND,
      }),
    ).toThrow(/0 <= minQuantity \(3\) <= maxQuantity \(2\)/);
  });
});
