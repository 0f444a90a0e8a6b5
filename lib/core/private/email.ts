/** WHATWG HTML "valid e-mail address" (https://html.spec.whatwg.org/#valid-e-mail-address). */
const EMAIL =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

/**
 * Whether `value` is an e-mail address by the one grammar of the library (core `Validate.email`):
 * the WHATWG HTML rule, at most 254 characters, a local part of at most 64.
 */
export function isEmailAddress(value: string): boolean {
  return EMAIL.test(value) && value.length <= 254 && value.split('@')[0].length <= 64;
}
