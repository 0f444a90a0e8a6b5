import { TerraformVariable } from 'cdktf';
import { AlertTopic } from '../../lib/aws/alert-topic';
import { Validate } from '../../lib/core';
import { resourcesOf, synthJson } from '../util';
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
    /'emails\[0\]' \('oncall@example..com'\) is not an e-mail address/,
  );
});

test('an address given as a Terraform token passes (checked at apply), as core Validate.email lets it', () => {
  const stack = awsStack();
  const oncall = new TerraformVariable(stack, 'oncall_email', { type: 'string' });
  new AlertTopic(stack, 'Alerts', { emails: [oncall.stringValue, 'ml-oncall@example.com'] });
  const subs = Object.values(resourcesOf(synthJson(stack), 'aws_sns_topic_subscription')).map(
    (r: any) => r.endpoint,
  );
  expect(subs.sort()).toEqual(['${var.oncall_email}', 'ml-oncall@example.com']);
});

test('a non-string entry is a type error naming the entry', () => {
  expect(() => new AlertTopic(awsStack(), 'Alerts', { emails: [42 as unknown as string] })).toThrow(
    /'emails\[0\]' must be a string, got a number \(42\)/,
  );
});

test('emails given as one string (a JavaScript caller) is a type error, not a TypeError', () => {
  expect(
    () => new AlertTopic(awsStack(), 'Alerts', { emails: 'ml-oncall@example.com' as unknown as string[] }),
  ).toThrow(/'emails' must be an array, got a string/);
});

test('an address listed twice (in any letter case) is refused', () => {
  expect(
    () =>
      new AlertTopic(awsStack(), 'Alerts', { emails: ['ml-oncall@example.com', 'ML-Oncall@example.com'] }),
  ).toThrow(/'emails' lists 'ML-Oncall@example.com' twice: give each address once\./);
});
