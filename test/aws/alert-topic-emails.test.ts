import { AlertTopic } from '../../lib/aws/alert-topic';
import { Validate } from '../../lib/core';
import { awsStack } from './util';

// AlertTopic checked e-mail addresses with a pattern of its own (`x@y.z` without spaces), looser
// than the one grammar every other construct uses (core `Validate.email`, the WHATWG rule), so a
// typo such as a double dot in the domain passed synth and left an SNS subscription that never
// confirms. Both must accept the same addresses.

function accepts(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
}

const ADDRESSES = [
  'ml-oncall@example.com',
  'a.b+alerts@sub.example.co.uk',
  'a@b.co',
  'oncall@example..com',
  'ml,oncall@example.com',
  'on"call@example.com',
  'oncall@-example.com',
  'oncall@example.com.',
  'oncall@example',
  'oncall',
  `${'a'.repeat(65)}@example.com`,
];

test.each(ADDRESSES)('AlertTopic accepts %s exactly when core Validate.email does', (address) => {
  const core = accepts(() => Validate.email(undefined, 'emails[0]', address));
  const topic = accepts(() => new AlertTopic(awsStack(), 'Alerts', { emails: [address] }));
  expect(topic).toBe(core);
});

test('throws when an address has an empty domain label', () => {
  expect(() => new AlertTopic(awsStack(), 'Alerts', { emails: ['oncall@example..com'] })).toThrow(
    /'emails' entry 'oncall@example..com' is not an e-mail address/,
  );
});
