import { Accelerator, ValidationError, VALIDATION_CODES } from '../../lib/core';
import { MonitoringStack, OpenCost } from '../../lib/k8s';
import { platformAndWorkloads } from './helpers';

// A GPU price's region and date are written into OpenCost's custom pricing description: a value
// that is not a string (a JavaScript app passing an object) is a ValidationError naming it, not
// '[object Object]' in the chart values.
describe('OpenCost gpuHourlyPrices price strings', () => {
  const build = (price: Record<string, unknown>) => {
    const { platform } = platformAndWorkloads();
    const monitoring = new MonitoringStack(platform, 'Monitoring');
    return () =>
      new OpenCost(platform, 'OpenCost', {
        monitoring,
        gpuHourlyPrices: [
          {
            accelerator: Accelerator.L4,
            price: { usd: 0.8, region: 'us-east-1', asOf: '2026-08-01', source: 't', ...price } as any,
          },
        ],
      });
  };

  test.each([
    ['region', { region: {} }, /'gpuHourlyPrices\[0\]\.price\.region' must be a string, got an object/],
    ['asOf', { asOf: 20260801 }, /'gpuHourlyPrices\[0\]\.price\.asOf' must be a string, got a number/],
  ])('a %s that is not a string is a ValidationError', (_n, price, message) => {
    let error: unknown;
    try {
      build(price)();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toMatch(message);
    expect((error as ValidationError).code).toBe(VALIDATION_CODES.TYPE);
  });

  test('string values synthesize', () => {
    expect(build({})).not.toThrow();
  });
});
