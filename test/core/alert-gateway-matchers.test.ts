import { AlertRuleSet, VALIDATION_CODES, ValidationError } from '../../lib/core';

// 'gatewayMatchers' is checked like 'servingMatchers' and 'gpuMatchers': an array of whole
// PromQL matchers. A string (from a JavaScript app) was a TypeError before.
describe('AlertRuleSet gatewayMatchers', () => {
  const errorOf = (gatewayMatchers: unknown): ValidationError | undefined => {
    try {
      AlertRuleSet.defaults({ gatewayMatchers: gatewayMatchers as string[] });
    } catch (e) {
      if (e instanceof ValidationError) return e;
      throw e;
    }
    return undefined;
  };

  test('a string is a ValidationError naming the prop', () => {
    const e = errorOf('namespace="gateway"');
    expect(e?.message).toMatch(/'gatewayMatchers' must be an array, got a string/);
    expect(e?.code).toBe(VALIDATION_CODES.TYPE);
  });

  test('an element that is not a whole matcher is a ValidationError naming it', () => {
    expect(errorOf(['namespace="gateway"', '{x="y"}'])?.message).toMatch(/gatewayMatchers\[1\]/);
  });

  test('valid matchers are accepted', () => {
    expect(errorOf(['namespace="gateway"'])).toBeUndefined();
  });
});
