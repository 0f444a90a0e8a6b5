import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { Aspects, IAspect, Testing, TerraformStack } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import {
  PolicyPack,
  PolicyReport,
  PolicyRule,
  PolicySeverity,
  PolicySuppressions,
  POLICY_SUPPRESSION_METADATA,
} from '../../lib/policy';

function stack(id = 'test'): { app: ReturnType<typeof Testing.app>; stack: TerraformStack } {
  const app = Testing.app();
  const s = new TerraformStack(app, id);
  new AwsProvider(s, 'aws', { region: 'us-east-1' });
  return { app, stack: s };
}

/** An S3 bucket that breaks error rules (no public access block, no prevent_destroy) and a warning one. */
function badBucket(scope: Construct): S3Bucket {
  return new S3Bucket(scope, 'Weights', {});
}

function annotations(s: TerraformStack, type: string): string[] {
  return s.node
    .findAll()
    .flatMap((c) => c.node.metadata)
    .filter((m) => m.type === type)
    .map((m) => String(m.data));
}

function readReport(app: ReturnType<typeof Testing.app>, stackId: string): any {
  return JSON.parse(readFileSync(join(app.outdir, 'stacks', stackId, PolicyReport.FILE_NAME), 'utf8'));
}

describe('PolicyPack.applyTo', () => {
  test('errors fail Testing.synth(stack, true) naming the rule and the address', () => {
    const { stack: s } = stack();
    badBucket(s);
    PolicyPack.aiInfra().applyTo(s);
    expect(() => Testing.synth(s, true)).toThrow(
      /\[cdktf-ai-infra\/policy:s3-public-access\] aws_s3_bucket\.Weights: has no aws_s3_bucket_public_access_block/,
    );
  });

  test('annotates the offending resource: errors as errors, warnings as warnings', () => {
    const { stack: s } = stack();
    badBucket(s);
    new SnsTopic(s, 'Topic', {});
    PolicyPack.aiInfra().applyTo(s);
    expect(() => Testing.synth(s, true)).toThrow();
    const bucket = s.node.findChild('Weights');
    const errors = bucket.node.metadata.filter((m) => m.type === '@cdktf/error').map((m) => String(m.data));
    expect(errors).toEqual([
      expect.stringMatching(/^\[cdktf-ai-infra\/policy:s3-public-access\] aws_s3_bucket\.Weights has no/),
      expect.stringMatching(/^\[cdktf-ai-infra\/policy:stateful-prevent-destroy\]/),
    ]);
    expect(annotations(s, '@cdktf/warn')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\[cdktf-ai-infra\/policy:s3-kms-encryption\] aws_s3_bucket\.Weights/),
        expect.stringMatching(/^\[cdktf-ai-infra\/policy:sns-kms-encryption\] aws_sns_topic\.Topic/),
      ]),
    );
  });

  test('warnings alone do not fail synthesis', () => {
    const { stack: s } = stack();
    new SnsTopic(s, 'Topic', {});
    PolicyPack.aiInfra().applyTo(s);
    expect(() => Testing.synth(s, true)).not.toThrow();
    expect(annotations(s, '@cdktf/warn')).toHaveLength(1);
  });

  test('does not repeat annotations when the stack is synthesized twice', () => {
    const { stack: s } = stack();
    new SnsTopic(s, 'Topic', {});
    PolicyPack.aiInfra().applyTo(s);
    Testing.synth(s, true);
    Testing.synth(s, true);
    expect(annotations(s, '@cdktf/warn')).toHaveLength(1);
  });

  test('sees the final configuration: an Aspect added later that fixes the resource wins', () => {
    const { stack: s } = stack();
    new LaunchTemplate(s, 'Lt', {});
    PolicyPack.aiInfra({ exclude: ['ebs-encryption'] }).applyTo(s);
    const requireImdsV2: IAspect = {
      visit: (n: IConstruct) => {
        if (n instanceof LaunchTemplate) {
          n.putMetadataOptions({ httpTokens: 'required' });
        }
      },
    };
    Aspects.of(s).add(requireImdsV2);
    expect(() => Testing.synth(s, true)).not.toThrow();
  });

  test('sees escape-hatch overrides on any resource', () => {
    const { stack: s } = stack();
    const lt = new LaunchTemplate(s, 'Lt', { metadataOptions: { httpTokens: 'required' } });
    lt.addOverride('metadata_options.http_tokens', 'optional');
    PolicyPack.aiInfra().applyTo(s);
    expect(() => Testing.synth(s, true)).toThrow(
      /ec2-imdsv2\] aws_launch_template\.Lt: metadata_options\.http_tokens is 'optional'/,
    );
  });

  test('an Aspect on the App is not applied (cdktf 0.21); applyToStacks covers every stack', () => {
    const app = Testing.app();
    const a = new TerraformStack(app, 'a');
    const b = new TerraformStack(app, 'b');
    new AwsProvider(a, 'aws', { region: 'us-east-1' });
    new AwsProvider(b, 'aws', { region: 'us-east-1' });
    badBucket(a);
    badBucket(b);
    Aspects.of(app).add(PolicyPack.aiInfra());
    expect(() => Testing.synth(a, true)).not.toThrow();
    PolicyPack.aiInfra().applyToStacks(app);
    expect(() => Testing.synth(a, true)).toThrow(/s3-public-access/);
    expect(() => Testing.synth(b, true)).toThrow(/s3-public-access/);
  });
});

describe('suppressions', () => {
  test('a resource suppression with a reason silences the rule there and is reported', () => {
    const { app, stack: s } = stack();
    const bucket = badBucket(s);
    PolicySuppressions.addResourceSuppression(
      bucket,
      's3-public-access',
      'Public model card bucket, approved in SEC-42.',
    );
    PolicySuppressions.addResourceSuppression(
      bucket,
      'stateful-prevent-destroy',
      'Scratch bucket recreated every run.',
    );
    const pack = PolicyPack.aiInfra();
    pack.applyTo(s);
    expect(() => Testing.synth(s, true)).not.toThrow();
    const report = pack.lastReport(s)!;
    expect(report.errors).toEqual([]);
    expect(report.suppressed.map((f) => [f.ruleId, f.suppressionReason, f.suppressedAt])).toEqual([
      ['s3-public-access', 'Public model card bucket, approved in SEC-42.', 'test/Weights'],
      ['stateful-prevent-destroy', 'Scratch bucket recreated every run.', 'test/Weights'],
    ]);
    app.synth();
    expect(readReport(app, 'test').findings.filter((f: any) => f.status === 'suppressed')).toHaveLength(2);
  });

  test('a suppression on a construct covers the resources below it only', () => {
    const { stack: s } = stack();
    const parent = new Construct(s, 'Datasets');
    badBucket(parent);
    new S3Bucket(s, 'Other', {});
    PolicySuppressions.addResourceSuppression(
      parent,
      's3-public-access',
      'Open data sets, public by design.',
    );
    const report = PolicyPack.aiInfra().evaluate(s);
    const pab = report.findings.filter((f) => f.ruleId === 's3-public-access');
    expect(pab.map((f) => [f.address, f.suppressed])).toEqual([
      [expect.stringMatching(/^aws_s3_bucket\.Datasets_Weights_/), true],
      ['aws_s3_bucket.Other', false],
    ]);
  });

  test('a stack suppression covers every resource of the stack', () => {
    const { stack: s } = stack();
    badBucket(s);
    new S3Bucket(s, 'Other', {});
    PolicySuppressions.addStackSuppression(s, 's3-kms-encryption', 'Buckets hold public data sets only.');
    const report = PolicyPack.aiInfra().evaluate(s);
    const kms = report.findings.filter((f) => f.ruleId === 's3-kms-encryption');
    expect(kms).toHaveLength(2);
    expect(kms.every((f) => f.suppressed && f.suppressedAt === 'test')).toBe(true);
  });

  test('records the suppression as construct metadata', () => {
    const { stack: s } = stack();
    const bucket = badBucket(s);
    PolicySuppressions.addResourceSuppression(bucket, 's3-public-access', 'Approved in SEC-42 review.');
    expect(bucket.node.metadata.find((m) => m.type === POLICY_SUPPRESSION_METADATA)?.data).toEqual({
      ruleId: 's3-public-access',
      reason: 'Approved in SEC-42 review.',
    });
  });

  test.each([
    ['no reason', ''],
    ['a short reason', 'ok'],
    ['a blank reason', '            '],
  ])('throws on %s', (_what, reason) => {
    const { stack: s } = stack();
    expect(() => PolicySuppressions.addResourceSuppression(badBucket(s), 's3-public-access', reason)).toThrow(
      /suppression of 's3-public-access' needs a 'reason' of at least 10 characters/,
    );
  });

  test('throws on a rule id that is not kebab-case', () => {
    const { stack: s } = stack();
    expect(() => PolicySuppressions.addStackSuppression(s, 'S3 Public', 'Reason long enough.')).toThrow(
      /rule id 'S3 Public' is not a rule id/,
    );
  });
});

describe('the report file', () => {
  test('is written next to cdk.tf.json with one row per finding, suppressed ones with their reason', () => {
    const { app, stack: s } = stack('training');
    const bucket = badBucket(s);
    new SnsTopic(s, 'Topic', {});
    PolicySuppressions.addResourceSuppression(bucket, 's3-public-access', 'Approved in SEC-42 review.');
    PolicySuppressions.addResourceSuppression(
      bucket,
      'stateful-prevent-destroy',
      'Scratch bucket, recreated.',
    );
    PolicyPack.aiInfra().applyTo(s);
    app.synth();
    expect(existsSync(join(app.outdir, 'stacks', 'training', 'cdk.tf.json'))).toBe(true);
    const report = readReport(app, 'training');
    expect(report).toEqual({
      stack: 'training',
      pack: 'cdktf-ai-infra',
      summary: { errors: 0, warnings: 2, suppressed: 2 },
      findings: [
        {
          ruleId: 's3-kms-encryption',
          severity: 'warning',
          status: 'warning',
          resourceType: 'aws_s3_bucket',
          address: 'aws_s3_bucket.Weights',
          constructPath: 'training/Weights',
          message: 'has no server-side encryption configuration: objects get SSE-S3 only',
        },
        expect.objectContaining({
          ruleId: 's3-public-access',
          severity: 'error',
          status: 'suppressed',
          suppressionReason: 'Approved in SEC-42 review.',
          suppressedAt: 'training/Weights',
        }),
        expect.objectContaining({
          ruleId: 'sns-kms-encryption',
          status: 'warning',
          address: 'aws_sns_topic.Topic',
        }),
        expect.objectContaining({ ruleId: 'stateful-prevent-destroy', status: 'suppressed' }),
      ],
    });
  });

  test('is written even when synthesis fails on a policy error', () => {
    const { app, stack: s } = stack('broken');
    badBucket(s);
    PolicyPack.aiInfra().applyTo(s);
    expect(() => app.synth()).toThrow(/s3-public-access/);
    expect(readReport(app, 'broken').summary).toEqual({ errors: 2, warnings: 1, suppressed: 0 });
  });

  test('writeReport: false writes none', () => {
    const { app, stack: s } = stack('quiet');
    new SnsTopic(s, 'Topic', {});
    PolicyPack.aiInfra().applyTo(s, { writeReport: false });
    app.synth();
    expect(existsSync(join(app.outdir, 'stacks', 'quiet', PolicyReport.FILE_NAME))).toBe(false);
  });

  test('throws when two packs would write the same report file', () => {
    const { stack: s } = stack();
    PolicyPack.aiInfra().applyTo(s);
    expect(() => PolicyPack.aiInfra().applyTo(s)).toThrow(/already writes 'policy-report.json'/);
    expect(() => PolicyPack.aiInfra().applyTo(s, { reportFileName: 'second.json' })).not.toThrow();
  });

  test('throws on a report file name that is not a plain .json name', () => {
    const { stack: s } = stack();
    expect(() => PolicyPack.aiInfra().applyTo(s, { reportFileName: '../out.json' })).toThrow(
      /'reportFileName' \('..\/out.json'\) must be a plain file name ending in .json/,
    );
  });
});

describe('PolicyPack.aiInfra options and custom rules', () => {
  test('a severity override turns an error into a warning', () => {
    const { stack: s } = stack();
    new LaunchTemplate(s, 'Lt', { metadataOptions: { httpTokens: 'optional' } });
    PolicyPack.aiInfra({
      severities: { 'ec2-imdsv2': PolicySeverity.WARNING },
      exclude: ['ebs-encryption'],
    }).applyTo(s);
    expect(() => Testing.synth(s, true)).not.toThrow();
    expect(annotations(s, '@cdktf/warn')).toEqual([expect.stringMatching(/ec2-imdsv2/)]);
  });

  test('exclude leaves a rule out', () => {
    const pack = PolicyPack.aiInfra({ exclude: ['image-pinned'] });
    expect(pack.entries.map((e) => e.rule.id)).not.toContain('image-pinned');
  });

  test('throws on an unknown rule id in severities or exclude', () => {
    expect(() => PolicyPack.aiInfra({ exclude: ['s3-publik-access'] })).toThrow(
      /rule id 's3-publik-access' \(in 'severities' or 'exclude'\) is not one of the pack's rules/,
    );
  });

  test('withRule adds a rule of your own, applied to raw resources by type', () => {
    const noPublicIp: PolicyRule = {
      id: 'ec2-no-public-ip',
      title: 'Launch templates give no public IP',
      rationale:
        'GPU nodes sit in private subnets. https://docs.aws.amazon.com/vpc/latest/userguide/vpc-ip-addressing.html',
      resourceTypes: ['aws_launch_template'],
      check: (r) =>
        JSON.stringify(r.config.network_interfaces ?? []).includes('"associate_public_ip_address":"true"')
          ? ['associates a public IP address']
          : [],
    };
    const { stack: s } = stack();
    new LaunchTemplate(s, 'Lt', {
      metadataOptions: { httpTokens: 'required' },
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: 'true' }],
    });
    PolicyPack.aiInfra().withRule(noPublicIp, PolicySeverity.ERROR).applyTo(s);
    expect(() => Testing.synth(s, true)).toThrow(
      /ec2-no-public-ip\] aws_launch_template\.Lt: associates a public IP/,
    );
  });

  test('throws on a rule listed twice', () => {
    const pack = PolicyPack.aiInfra();
    expect(() => pack.withRule(pack.entries[0].rule, PolicySeverity.ERROR)).toThrow(/is listed twice/);
  });
});
