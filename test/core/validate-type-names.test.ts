import { Validate, ValidationError } from '../../lib/core';

// Type errors name what was received with its English article ("an object", "a number") or as
// itself ("null", "undefined"), never "a object" or "a undefined".
describe('Validate type errors name the received type in English', () => {
  const messageOf = (fn: () => unknown): string => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as Error).message;
    }
    throw new Error('expected a ValidationError');
  };
  const check = Validate as unknown as Record<
    string,
    (scope: undefined, prop: string, value: unknown) => unknown
  >;

  test.each([
    ['array', {}, "'p' must be an array, got an object (an object)."],
    ['array', 42, "'p' must be an array, got a number (42)."],
    ['array', null, "'p' must be an array, got null (null)."],
    ['object', [1], "'p' must be an object, got an array (an array of 1)."],
    ['object', 'x', "'p' must be an object, got a string ('x')."],
    ['string', {}, "'p' must be a string, got an object (an object)."],
    ['string', undefined, "'p' must be a string, got undefined (undefined)."],
    ['string', () => 1, "'p' must be a string, got a function (a function)."],
  ])('Validate.%s(%p)', (method, value, expected) => {
    expect(messageOf(() => check[method](undefined, 'p', value))).toBe(expected);
  });
});
