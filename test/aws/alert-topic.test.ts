import * as fc from 'fast-check';
import { TerraformStack } from 'cdktf';
import { AlertTopic } from '../../lib/aws/alert-topic';
import { BudgetAlarm } from '../../lib/aws/budget-alarm';
import { Monitoring } from '../../lib/aws/monitoring';
import { ValidationError, VALIDATION_CODES } from '../../lib/core';
import { PolicyPack } from '../../lib/policy';
import { onlyResource, resourcesOf, synthJson, SynthJson } from '../util';
import { awsStack, hasWarning, warnings } from './util';

const KEY_ACTIONS = ['kms:GenerateDataKey*', 'kms:Decrypt'];

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an exception');
}

/** The topic policy and key policy documents of the only alert topic in the stack. */
function policies(json: SynthJson): { topic: any[]; key: any[] } {
  return {
    topic: JSON.parse(onlyResource(json, 'aws_sns_topic_policy').policy).Statement,
    key: JSON.parse(onlyResource(json, 'aws_kms_key').policy).Statement,
  };
}

function byPrincipal(statements: any[], service: string): any {
  const found = statements.filter((s) => s.Principal.Service === service);
  expect(found).toHaveLength(1);
  return found[0];
}

/** A stack whose one topic has all three publishers: CloudWatch, AWS Budgets and AMP. */
function allPublishers(): { stack: TerraformStack; topic: AlertTopic } {
  const stack = awsStack();
  const topic = new AlertTopic(stack, 'Alerts', { emails: ['oncall@example.com'] });
  new BudgetAlarm(stack, 'Budget', { monthlyLimitUsd: 100, topic });
  new Monitoring(stack, 'Monitoring', { region: 'us-east-1', topic });
  return { stack, topic };
}

describe('AlertTopic encryption', () => {
  test('encrypts the topic with a key it owns', () => {
    const stack = awsStack();
    new AlertTopic(stack, 'Alerts');
    const out = synthJson(stack);
    const keyId = Object.keys(resourcesOf(out, 'aws_kms_key'))[0];
    expect(onlyResource(out, 'aws_sns_topic').kms_master_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
  });

  test('defaults to a rotated key with a 30-day deletion window and an alias', () => {
    const stack = awsStack();
    new AlertTopic(stack, 'Alerts');
    const json = synthJson(stack);
    const keyId = Object.keys(resourcesOf(json, 'aws_kms_key'))[0];
    expect(onlyResource(json, 'aws_kms_key')).toMatchObject({
      enable_key_rotation: true,
      deletion_window_in_days: 30,
    });
    expect(onlyResource(json, 'aws_kms_alias')).toEqual({
      name_prefix: 'alias/alerts-',
      target_key_id: `\${aws_kms_key.${keyId}.key_id}`,
    });
  });

  test('does not protect the key from destroy (it encrypts messages in flight only)', () => {
    const stack = awsStack();
    new AlertTopic(stack, 'Alerts');
    expect(onlyResource(synthJson(stack), 'aws_kms_key').lifecycle).toBeUndefined();
  });

  test('lets the account administer the key, with a partition-aware root ARN', () => {
    const stack = awsStack();
    new AlertTopic(stack, 'Alerts');
    const admin = policies(synthJson(stack)).key.find((s) => s.Sid === 'AccountAdmin');
    expect(admin).toEqual({
      Sid: 'AccountAdmin',
      Effect: 'Allow',
      Principal: {
        AWS: expect.stringMatching(
          /^arn:\$\{data\.aws_partition\.[^}]+\.partition\}:iam::\$\{data\.aws_caller_identity\.[^}]+\.account_id\}:root$/,
        ),
      },
      Action: 'kms:*',
      Resource: '*',
    });
  });

  test('builds no ARN with a literal partition', () => {
    const json = synthJson(allPublishers().stack);
    const { topic, key } = policies(json);
    expect(JSON.stringify([topic, key])).not.toMatch(/arn:aws[:-]/);
  });

  test('every principal the topic policy admits can use the key (GenerateDataKey* and Decrypt)', () => {
    const { topic, key } = policies(synthJson(allPublishers().stack));
    const publishers = topic.map((s) => s.Principal.Service).sort();
    expect(publishers).toEqual(['aps.amazonaws.com', 'budgets.amazonaws.com', 'cloudwatch.amazonaws.com']);
    for (const p of publishers) {
      const s = byPrincipal(key, p);
      expect(s.Effect).toBe('Allow');
      expect(s.Action).toEqual(KEY_ACTIONS);
      expect(s.Resource).toBe('*');
    }
    expect(key.filter((s) => s.Effect !== 'Allow')).toEqual([]);
  });

  test('admits CloudWatch alarms of the account only', () => {
    const { topic, key } = policies(synthJson(allPublishers().stack));
    expect(byPrincipal(topic, 'cloudwatch.amazonaws.com')).toMatchObject({
      Action: ['sns:Publish'],
      Resource: expect.stringMatching(/^\$\{aws_sns_topic\..+\.arn\}$/),
      Condition: {
        ArnLike: {
          'aws:SourceArn': expect.stringMatching(
            /^arn:\$\{data\.aws_partition\..+\}:cloudwatch:\*:\$\{.+account_id\}:alarm:\*$/,
          ),
        },
      },
    });
    // The documented statement scopes by alarm ARN (which names the account), not SourceAccount.
    expect(Object.keys(byPrincipal(topic, 'cloudwatch.amazonaws.com').Condition)).toEqual(['ArnLike']);
    // CloudWatch's documented key statement has no conditions.
    expect(byPrincipal(key, 'cloudwatch.amazonaws.com').Condition).toBeUndefined();
  });

  test('admits AWS Budgets of the account, on the topic and on the key', () => {
    const { topic, key } = policies(synthJson(allPublishers().stack));
    const condition = {
      StringEquals: { 'aws:SourceAccount': expect.stringMatching(/aws_caller_identity/) },
      ArnLike: {
        'aws:SourceArn': expect.stringMatching(
          /^arn:\$\{data\.aws_partition\..+\}:budgets::\$\{.+account_id\}:\*$/,
        ),
      },
    };
    expect(byPrincipal(topic, 'budgets.amazonaws.com')).toMatchObject({
      Action: ['sns:Publish'],
      Condition: condition,
    });
    expect(byPrincipal(key, 'budgets.amazonaws.com').Condition).toEqual(condition);
  });

  test('admits the AMP alert manager of its workspace only', () => {
    const { topic, key } = policies(synthJson(allPublishers().stack));
    expect(byPrincipal(topic, 'aps.amazonaws.com')).toMatchObject({
      Action: ['sns:Publish', 'sns:GetTopicAttributes'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': expect.stringMatching(/aws_caller_identity/) },
        ArnEquals: { 'aws:SourceArn': expect.stringMatching(/^\$\{aws_prometheus_workspace\..+\.arn\}$/) },
      },
    });
    expect(byPrincipal(key, 'aps.amazonaws.com').Action).toEqual(KEY_ACTIONS);
  });

  test('merges the workspaces of two Monitoring constructs into one statement', () => {
    const stack = awsStack();
    const topic = new AlertTopic(stack, 'Alerts');
    new Monitoring(stack, 'A', { region: 'us-east-1', topic });
    new Monitoring(stack, 'B', { region: 'us-east-1', topic });
    const aps = byPrincipal(policies(synthJson(stack)).topic, 'aps.amazonaws.com');
    expect(aps.Condition.ArnEquals['aws:SourceArn']).toHaveLength(2);
  });

  test('allowPublishFrom is idempotent', () => {
    const stack = awsStack();
    const topic = new AlertTopic(stack, 'Alerts');
    topic.allowPublishFrom('budgets.amazonaws.com');
    topic.allowPublishFrom('budgets.amazonaws.com');
    topic.allowPublishFrom('cloudwatch.amazonaws.com');
    const { topic: t, key } = policies(synthJson(stack));
    expect(t).toHaveLength(2);
    expect(key).toHaveLength(3);
    expect(new Set(key.map((s) => s.Sid)).size).toBe(3);
  });

  test('throws when allowPublishFrom gets something other than a service principal', () => {
    const topic = new AlertTopic(awsStack(), 'Alerts');
    expect(() => topic.allowPublishFrom('arn:aws:iam::123456789012:root')).toThrow(
      /allowPublishFrom: 'arn:aws:iam::123456789012:root' is not an AWS service principal/,
    );
  });

  test('the library policy pack finds nothing on the topic', () => {
    const { stack } = allPublishers();
    const report = PolicyPack.aiInfra().evaluate(stack);
    expect(report.findings.filter((f) => /Alerts/.test(f.constructPath))).toEqual([]);
  });
});

describe('AlertTopic with an existing key', () => {
  const KEY = 'arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  test('encrypts with the given key and creates none', () => {
    const stack = awsStack();
    const topic = new AlertTopic(stack, 'Alerts', { encryptionKey: { keyArn: KEY } });
    const json = synthJson(stack);
    expect(onlyResource(json, 'aws_sns_topic').kms_master_key_id).toBe(KEY);
    expect(resourcesOf(json, 'aws_kms_key')).toEqual({});
    expect(topic.key).toBeUndefined();
    expect(topic.keyArn).toBe(KEY);
  });

  test('accepts a multi-Region key and a key ARN from another resource (a token)', () => {
    const stack = awsStack();
    new AlertTopic(stack, 'A', {
      encryptionKey: {
        keyArn: 'arn:aws:kms:eu-west-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab',
      },
    });
    const own = new AlertTopic(stack, 'B');
    expect(() => new AlertTopic(stack, 'C', { encryptionKey: { keyArn: own.keyArn } })).not.toThrow();
  });

  test('warns once per publisher that the key policy must admit it', () => {
    const stack = awsStack();
    const topic = new AlertTopic(stack, 'Alerts', { encryptionKey: { keyArn: KEY } });
    new BudgetAlarm(stack, 'Budget', { monthlyLimitUsd: 100, topic });
    topic.allowPublishFrom('budgets.amazonaws.com');
    expect(hasWarning(stack, 'aws-alert-topic-external-key')).toBe(true);
    const w = warnings(stack).filter((m) => m.includes('aws-alert-topic-external-key'));
    expect(w).toHaveLength(2);
    expect(w.join('\n')).toMatch(/allow cloudwatch\.amazonaws\.com kms:GenerateDataKey\* and kms:Decrypt/);
    expect(w.join('\n')).toMatch(/allow budgets\.amazonaws\.com/);
  });

  test.each([
    ['an alias ARN', 'arn:aws:kms:us-east-1:123456789012:alias/alerts'],
    ['a key id', '1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['another service', 'arn:aws:sns:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    ['a short account', 'arn:aws:kms:us-east-1:1234:key/1234abcd-12ab-34cd-56ef-1234567890ab'],
    [
      'an unknown partition',
      'arn:aws-mars:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    ],
  ])('throws on %s', (_what, keyArn) => {
    const err = catchError(() => new AlertTopic(awsStack(), 'Alerts', { encryptionKey: { keyArn } }));
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).code).toBe(VALIDATION_CODES.AWS_ARN);
    expect(err.message).toMatch(/'encryptionKey.keyArn' \(.*\) is not an ARN of kms 'key\/...'/);
  });

  test.each([
    ['no keyArn', {}],
    ['an empty keyArn', { keyArn: '' }],
    ['a number', { keyArn: 42 }],
  ])('throws a ValidationError when a JavaScript caller passes %s', (_what, key) => {
    const err = catchError(() => new AlertTopic(awsStack(), 'Alerts', { encryptionKey: key as any }));
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.message).toMatch(/'encryptionKey.keyArn'/);
  });
});

describe('AlertTopic publishers (property)', () => {
  const PRINCIPALS = [
    'budgets.amazonaws.com',
    'aps.amazonaws.com',
    'cloudwatch.amazonaws.com',
    'events.amazonaws.com',
  ];
  const ARNS = [
    undefined,
    'arn:aws:aps:us-east-1:123456789012:workspace/ws-1',
    'arn:aws:aps:us-east-1:123456789012:workspace/ws-2',
  ];

  test('whatever publishers are added, in any order, each one the topic admits can use the key', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...PRINCIPALS), fc.constantFrom(...ARNS)), { maxLength: 6 }),
        (calls) => {
          const stack = awsStack();
          const topic = new AlertTopic(stack, 'Alerts');
          calls.forEach(([p, arn]) => topic.allowPublishFrom(p, arn));
          const { topic: t, key } = policies(synthJson(stack));
          const admitted = t.map((s) => s.Principal.Service).sort();
          const keyUsers = key
            .filter((s) => s.Principal.Service)
            .map((s) => s.Principal.Service)
            .sort();
          expect(keyUsers).toEqual(admitted);
          expect(admitted).toEqual(
            [...new Set(['cloudwatch.amazonaws.com', ...calls.map(([p]) => p)])].sort(),
          );
          for (const s of key.filter((x) => x.Principal.Service)) {
            expect(s.Action).toEqual(KEY_ACTIONS);
          }
          expect(new Set(t.map((s) => s.Sid)).size).toBe(t.length);
          expect(new Set(key.map((s) => s.Sid)).size).toBe(key.length);
        },
      ),
      { numRuns: 25 },
    );
  });
});
