import { TerraformStack, Testing, Token } from 'cdktf';
import { Construct } from 'constructs';
import {
  DurationFormat,
  INT32_MAX,
  VALIDATION_CODES,
  Validate,
  ValidationError,
  awsPartitionOfRegion,
  describeValue,
} from '../../lib/core';
import { validationErrorOf } from '../util';

const scope = new Construct(new TerraformStack(Testing.app(), 'stack'), 'Thing');

type V = (s: Construct | undefined, prop: string, value: unknown) => unknown;

/** Table test: every `good` value passes unchanged, every `bad` one fails with `code`. */
function table(name: string, v: V, code: string, good: unknown[], bad: unknown[]): void {
  describe(name, () => {
    test.each(good.map((g) => [g]))('accepts %p', (g) => {
      expect(v(scope, 'prop', g)).toBe(g);
    });
    test.each(bad.map((b) => [b]))('rejects %p', (b) => {
      const e = validationErrorOf(() => v(scope, 'prop', b));
      expect([code, VALIDATION_CODES.TYPE, VALIDATION_CODES.STRING]).toContain(e.code);
      expect(e.message).toMatch(/^stack\/Thing: 'prop'/);
    });
    test('skips an unresolved token', () => {
      expect(v(scope, 'prop', Token.asString({ Ref: 'x' }))).toBeDefined();
    });
  });
}

const hostileStrings = ['', ' ', '\u00e9', 'a b', 'x'.repeat(300), null, 42, undefined, {}];

describe('ValidationError codes', () => {
  test('carries a stable code, the construct path and the prop as written', () => {
    const e = validationErrorOf(() =>
      Validate.integer(scope, 'sizing.gpusPerReplica', 1e21, { min: 1, max: 64 }),
    );
    expect(e.code).toBe('number-range');
    expect(e.message).toBe(
      `stack/Thing: 'sizing.gpusPerReplica' (1e+21) must be a whole number from 1 to 64.`,
    );
  });
  test('errors raised without a code carry invalid-value', () => {
    expect(new ValidationError('x').code).toBe('invalid-value');
  });
  test('withScope keeps the code', () => {
    const e = validationErrorOf(() =>
      ValidationError.withScope(scope, () => Validate.awsRegion(undefined, 'region', 'mars')),
    );
    expect(e.code).toBe('aws-region');
    expect(e.constructPath).toBe('stack/Thing');
  });
  test('every code is unique and kebab-case', () => {
    const codes = Object.values(VALIDATION_CODES);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of codes) expect(c).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
  test('describeValue shows odd values readably', () => {
    expect(describeValue(null)).toBe('null');
    expect(describeValue(NaN)).toBe('NaN');
    expect(describeValue('a\nb')).toBe(`'a\\nb'`);
    expect(describeValue('x'.repeat(100))).toMatch(/\(100 characters\)$/);
  });
});

describe('numbers', () => {
  // Kubernetes and most cloud APIs declare counts as int32 (k8s API conventions: "int32 ...
  // for all integer fields"); JSON numbers beyond 2^53 are not exact.
  test.each([
    [NaN],
    [Infinity],
    [-Infinity],
    [1e21],
    [2 ** 31],
    [-1],
    [1.5],
    [null],
    ['3'],
    [undefined],
    [{}],
  ])('integer rejects %p with a ValidationError', (v) => {
    const e = validationErrorOf(() => Validate.integer(scope, 'replicas', v));
    expect(['type', 'number-range']).toContain(e.code);
    expect(e.message).toContain(`'replicas'`);
  });
  test('integer accepts the range ends', () => {
    expect(Validate.integer(scope, 'n', 0)).toBe(0);
    expect(Validate.integer(scope, 'n', INT32_MAX)).toBe(INT32_MAX);
    expect(Validate.integer(scope, 'n', 5, { min: 5, max: 5 })).toBe(5);
  });
  test('integer skips a number token', () => {
    const t = Token.asNumber({ Ref: 'n' });
    expect(Validate.integer(scope, 'n', t, { min: 1, max: 2 })).toBe(t);
  });
  test('integer names the reason', () => {
    expect(() =>
      Validate.integer(scope, 'maxNodes', 2000, { max: 1000, reason: 'the EKS node group limit' }),
    ).toThrow(`'maxNodes' (2000) must be a whole number from 0 to 1000 (the EKS node group limit).`);
  });
  test.each([[NaN], [Infinity], [-1], [null], ['1']])('number rejects %p', (v) => {
    expect(() => Validate.number(scope, 'threshold', v, { min: 0 })).toThrow(ValidationError);
  });
  test('number with exclusiveMin', () => {
    expect(() => Validate.number(scope, 'monthlyLimitUsd', 0, { min: 0, exclusiveMin: true })).toThrow(
      `'monthlyLimitUsd' (0) must be a finite number > 0.`,
    );
    expect(Validate.number(scope, 'x', 0.5, { min: 0, max: 1 })).toBe(0.5);
  });
  test('boolean rejects the string true', () => {
    expect(validationErrorOf(() => Validate.boolean(scope, 'spot', 'true')).code).toBe('type');
  });
});

describe('strings, enums, duplicates', () => {
  test.each(hostileStrings.filter((s) => typeof s !== 'string' || s.trim() === ''))(
    'string rejects %p',
    (v) => {
      expect(() => Validate.string(scope, 'name', v)).toThrow(ValidationError);
    },
  );
  test('string rejects surrounding whitespace and length', () => {
    expect(validationErrorOf(() => Validate.string(scope, 'name', ' a')).code).toBe('string');
    expect(validationErrorOf(() => Validate.string(scope, 'name', 'abcd', { maxLength: 3 })).code).toBe(
      'string',
    );
  });
  test('oneOf lists the allowed values', () => {
    expect(() => Validate.oneOf(scope, 'severity', 'fatal', ['warning', 'critical'])).toThrow(
      `'severity' ('fatal') must be one of 'warning', 'critical'.`,
    );
  });
  test('unique names both entries', () => {
    const e = validationErrorOf(() =>
      Validate.unique(
        scope,
        'emails',
        ['A@x.io', 'a@x.io'],
        (s) => s.toLowerCase(),
        'addresses are case-insensitive',
      ),
    );
    expect(e.code).toBe('duplicate');
    expect(e.message).toContain(
      `'emails' lists 'A@x.io' and 'a@x.io': addresses are case-insensitive. Keep one.`,
    );
    expect(() => Validate.unique(scope, 'emails', ['a@x.io', 'a@x.io'])).toThrow(`lists 'a@x.io' twice`);
    expect(() => Validate.unique(scope, 'emails', ['a@x.io', 'b@x.io'])).not.toThrow();
  });
  test('arrays and maps of the wrong type', () => {
    expect(validationErrorOf(() => Validate.array(scope, 'emails', 'a@x.io')).code).toBe('type');
    expect(validationErrorOf(() => Validate.stringMap(scope, 'labels', { a: 1 })).code).toBe('type');
    expect(validationErrorOf(() => Validate.stringMap(scope, 'labels', null)).code).toBe('type');
  });
});

// Kubernetes: kubernetes/apimachinery pkg/util/validation/validation.go, and
// https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
table(
  'k8sDnsLabel',
  Validate.k8sDnsLabel,
  'k8s-dns-label',
  ['a', 'llama-70b', '0abc', 'a'.repeat(63)],
  [...hostileStrings, 'Llama', '-a', 'a-', 'a.b', 'a_b', 'a'.repeat(64)],
);
table(
  'k8sDnsSubdomain',
  Validate.k8sDnsSubdomain,
  'k8s-dns-subdomain',
  ['hf-token', 'a.b.c', 'a'.repeat(253)],
  [...hostileStrings, 'a..b', '.a', 'A', 'a_b', 'a'.repeat(254)],
);
table(
  'k8sRfc1035Label',
  Validate.k8sRfc1035Label,
  'k8s-rfc1035-label',
  ['svc', 'a1-b'],
  [...hostileStrings, '1svc', 'a.b'],
);
table(
  'k8sLabelKey',
  Validate.k8sLabelKey,
  'k8s-label-key',
  ['app', 'nvidia.com/gpu', 'cloud.google.com/gke-accelerator', 'A_b.c-D', 'x'.repeat(63)],
  [
    ...hostileStrings,
    'a/b/c',
    '/a',
    'a/',
    'Nvidia.com/gpu',
    '-a',
    'a_',
    'x'.repeat(64),
    `${'a'.repeat(254)}/x`,
  ],
);
table(
  'k8sLabelValue',
  Validate.k8sLabelValue,
  'k8s-label-value',
  ['', 'h100', 'A.b_c-1'],
  [' ', 'a b', '-a', 'a.', 'x'.repeat(64), 'é', null, 5],
);
// IsEnvVarName has no length limit: the long string is valid there.
table(
  'envVarName',
  Validate.envVarName,
  'k8s-env-name',
  ['HF_HOME', 'a.b-c', '_X', '-X'],
  [...hostileStrings.filter((s) => typeof s !== 'string' || s.length < 100), '1X', 'A=B', 'A B'],
);

describe('k8sLabels', () => {
  test('checks keys and values', () => {
    expect(Validate.k8sLabels(scope, 'nodeLabels', { pool: 'gpu' })).toEqual({ pool: 'gpu' });
    expect(validationErrorOf(() => Validate.k8sLabels(scope, 'nodeLabels', { 'a b': 'x' })).code).toBe(
      'k8s-label-key',
    );
    const e = validationErrorOf(() => Validate.k8sLabels(scope, 'nodeLabels', { pool: 'x y' }));
    expect(e.code).toBe('k8s-label-value');
    expect(e.message).toContain(`'nodeLabels['pool']'`);
  });
});

describe('k8sTaint and k8sToleration', () => {
  // https://kubernetes.io/docs/concepts/scheduling-eviction/taint-and-toleration/ and
  // kubernetes/kubernetes pkg/apis/core/validation/validation.go ValidateTolerations.
  test('taint effects', () => {
    expect(
      Validate.k8sTaint(scope, 'taints[0]', { key: 'nvidia.com/gpu', effect: 'NoSchedule' }),
    ).toBeDefined();
    expect(
      Validate.k8sTaint(scope, 'taints[0]', { key: 'a', value: 'b', effect: 'NO_EXECUTE' }),
    ).toBeDefined();
    expect(
      validationErrorOf(() => Validate.k8sTaint(scope, 'taints[0]', { key: 'a', effect: 'Never' })).code,
    ).toBe('k8s-taint');
    expect(
      validationErrorOf(() => Validate.k8sTaint(scope, 'taints[0]', { key: 'a b', effect: 'NoSchedule' }))
        .code,
    ).toBe('k8s-taint');
    expect(
      validationErrorOf(() =>
        Validate.k8sTaint(scope, 'taints[0]', { key: 'a', value: '-', effect: 'NoSchedule' }),
      ).code,
    ).toBe('k8s-taint');
    expect(validationErrorOf(() => Validate.k8sTaint(scope, 'taints[0]', null)).code).toBe('type');
  });
  test.each([
    [{ operator: 'Exists' }],
    [{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }],
    [{ key: 'spot', operator: 'Equal', value: 'true' }],
    [{ key: 'x', operator: 'Equal', value: 'y', effect: 'NoExecute', tolerationSeconds: 30 }],
  ])('accepts toleration %p', (t) => {
    expect(Validate.k8sToleration(scope, 'tolerations[0]', t)).toBe(t);
  });
  test.each([
    [{ operator: 'Equal', value: 'x' }],
    [{ key: 'a', operator: 'Exists', value: 'x' }],
    [{ key: 'a', operator: 'In' }],
    [{ key: 'a b', operator: 'Exists' }],
    [{ key: 'a', value: 'x y' }],
    [{ key: 'a', operator: 'Exists', effect: 'Always' }],
    [{ key: 'a', operator: 'Exists', effect: 'NoSchedule', tolerationSeconds: 5 }],
    [{ key: 'a', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: NaN }],
  ])('rejects toleration %p', (t) => {
    expect(['k8s-toleration', 'number-range']).toContain(
      validationErrorOf(() => Validate.k8sToleration(scope, 'tolerations[0]', t)).code,
    );
  });
});

describe('k8sQuantity', () => {
  // kubernetes/apimachinery pkg/api/resource/quantity.go: <signedNumber><suffix>.
  test.each([['2'], ['500m'], ['16Gi'], ['1.5'], ['.5'], ['1e3'], ['100M'], ['0']])('accepts %p', (q) => {
    expect(Validate.k8sQuantity(scope, 'resources.cpu', q)).toBe(q);
  });
  test.each([
    ['2 Gi'],
    ['2GB'],
    ['Gi'],
    [''],
    ['-1'],
    ['1.2.3'],
    ['NaN'],
    ['Infinity'],
    ['1e'],
    ['16gi'],
    [null],
  ])('rejects %p', (q) => {
    const e = validationErrorOf(() => Validate.k8sQuantity(scope, 'resources.cpu', q));
    expect(['k8s-quantity', 'type']).toContain(e.code);
  });
  test('names the prop for cpu: 2 Gi', () => {
    expect(() => Validate.k8sQuantity(scope, 'cpu', '2 Gi')).toThrow(
      /'cpu' \('2 Gi'\) is not a Kubernetes quantity/,
    );
  });
  test('numbers become plain decimals; non-finite and huge ones fail', () => {
    expect(Validate.k8sQuantity(scope, 'cpu', 2)).toBe('2');
    expect(Validate.k8sQuantity(scope, 'cpu', 0.5)).toBe('0.5');
    expect(() => Validate.k8sQuantity(scope, 'cpu', Infinity)).toThrow(ValidationError);
    expect(() => Validate.k8sQuantity(scope, 'cpu', 1e21)).toThrow(ValidationError);
    expect(() => Validate.k8sQuantity(scope, 'cpu', -1)).toThrow(ValidationError);
  });
  test('negative allowed on request', () => {
    expect(Validate.k8sQuantity(scope, 'delta', '-1', { allowNegative: true })).toBe('-1');
  });
});

describe('duration', () => {
  // prometheus/common model/time.go ParseDuration; Go time.ParseDuration; google.protobuf.Duration JSON.
  test.each([['5m'], ['1h30m'], ['0s'], ['0'], ['2w'], ['100ms']])('prometheus accepts %p', (d) => {
    expect(Validate.duration(scope, 'for', d)).toBe(d);
  });
  test.each([['5'], ['1e+21s'], ['m'], ['1.5m'], ['30m1h'], ['NaNs'], ['Infinitys'], ['5 m'], [''], [null]])(
    'prometheus rejects %p',
    (d) => {
      expect(['duration', 'type', 'string']).toContain(
        validationErrorOf(() => Validate.duration(scope, 'for', d)).code,
      );
    },
  );
  test('go and google formats', () => {
    expect(Validate.duration(scope, 'cooldown', '1.5h', DurationFormat.GO)).toBe('1.5h');
    expect(Validate.duration(scope, 'cooldown', '300s', DurationFormat.GO)).toBe('300s');
    expect(() => Validate.duration(scope, 'cooldown', '1d', DurationFormat.GO)).toThrow(/Go duration/);
    expect(Validate.duration(scope, 'maxRunDuration', '3600s', DurationFormat.GOOGLE)).toBe('3600s');
    expect(Validate.duration(scope, 'maxRunDuration', '0.5s', DurationFormat.GOOGLE)).toBe('0.5s');
    expect(() => Validate.duration(scope, 'maxRunDuration', '1h', DurationFormat.GOOGLE)).toThrow(
      /Google API duration/,
    );
    expect(() => Validate.duration(scope, 'maxRunDuration', '1e+21s', DurationFormat.GOOGLE)).toThrow(
      ValidationError,
    );
  });
});

// AWS: region names from the SDK partition files (aws/aws-sdk-go-v2 partitions.json regionRegex).
table(
  'awsRegion',
  Validate.awsRegion,
  'aws-region',
  [
    'us-east-1',
    'eu-west-2',
    'ap-southeast-5',
    'us-gov-west-1',
    'cn-northwest-1',
    'il-central-1',
    'mx-central-1',
  ],
  [
    ...hostileStrings,
    'us-east-1a',
    'US-EAST-1',
    'us-east',
    'mars-north-1',
    'us-middle-1',
    'us-east-01',
    'global',
  ],
);
describe('AWS partitions and zones', () => {
  test.each([
    ['us-east-1', 'aws'],
    ['cn-north-1', 'aws-cn'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-iso-east-1', 'aws-iso'],
    ['us-isob-east-1', 'aws-iso-b'],
  ])('partition of %s is %s', (r, p) => {
    expect(awsPartitionOfRegion(r)).toBe(p);
  });
  test('az', () => {
    expect(Validate.awsAvailabilityZone(scope, 'az', 'us-east-1a')).toBe('us-east-1a');
    expect(Validate.awsAvailabilityZone(scope, 'az', 'us-west-2-lax-1a', 'us-west-2')).toBe(
      'us-west-2-lax-1a',
    );
    expect(validationErrorOf(() => Validate.awsAvailabilityZone(scope, 'az', 'us-east-1')).code).toBe(
      'aws-availability-zone',
    );
    expect(validationErrorOf(() => Validate.awsAvailabilityZone(scope, 'az', 'us-east-1zz')).code).toBe(
      'aws-availability-zone',
    );
    expect(() => Validate.awsAvailabilityZone(scope, 'az', 'us-west-2a', 'us-east-1')).toThrow(
      `'az' ('us-west-2a') is in region 'us-west-2', not in 'us-east-1'`,
    );
  });
  test('partition', () => {
    expect(Validate.awsPartition(scope, 'partition', 'aws-us-gov')).toBe('aws-us-gov');
    expect(validationErrorOf(() => Validate.awsPartition(scope, 'partition', 'aws-gov')).code).toBe(
      'aws-partition',
    );
  });
});
describe('arn', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
  test.each([
    ['arn:aws:sns:us-east-1:123456789012:alerts'],
    ['arn:aws-us-gov:iam::123456789012:role/x'],
    ['arn:aws-cn:s3:::bucket/key'],
    ['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy'],
    ['arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-AbC'],
  ])('accepts %p', (a) => {
    expect(Validate.arn(scope, 'arn', a)).toBe(a);
  });
  test.each([
    ['arn:aws:sns:us-east-1:1234:alerts'],
    ['arn:amazon:sns:us-east-1:123456789012:alerts'],
    ['arn:aws:sns:us-east-1:123456789012:'],
    ['arn:aws:sns:useast:123456789012:x'],
    ['sns:us-east-1:123456789012:x'],
    ['arn:aws:sns:us-east-1:123456789012:a b'],
  ])('rejects %p', (a) => {
    expect(validationErrorOf(() => Validate.arn(scope, 'arn', a)).code).toBe('aws-arn');
  });
  test('service and resource prefix', () => {
    expect(() =>
      Validate.arn(scope, 'role', 'arn:aws:iam::123456789012:user/x', {
        service: 'iam',
        resourcePrefix: 'role/',
      }),
    ).toThrow(/is not an ARN of iam 'role\/...'/);
  });
});
describe('EC2 ids, instance types', () => {
  // https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/resource-ids.html: 8 or 17 hex characters.
  test('resource ids', () => {
    expect(Validate.ec2ResourceId(scope, 'vpcId', 'vpc-0123456789abcdef0', 'vpc')).toBe(
      'vpc-0123456789abcdef0',
    );
    expect(Validate.ec2ResourceId(scope, 'subnetIds[0]', 'subnet-0123abcd', 'subnet')).toBe(
      'subnet-0123abcd',
    );
    for (const bad of [
      'vpc-123',
      'subnet-0123456789abcdef0',
      'vpc-0123456789ABCDEF0',
      'vpc-0123456789abcdefg',
      ' vpc-0123abcd',
    ]) {
      expect(() => Validate.ec2ResourceId(scope, 'vpcId', bad, 'vpc')).toThrow(ValidationError);
    }
  });
  test('reservation ids', () => {
    expect(Validate.awsReservationId(scope, 'id', 'cr-0123456789abcdef0')).toBe('cr-0123456789abcdef0');
    expect(validationErrorOf(() => Validate.awsReservationId(scope, 'id', 'cr-0123')).code).toBe(
      'aws-reservation-id',
    );
    expect(validationErrorOf(() => Validate.awsReservationId(scope, 'id', 'cr-0123456789ABCDEF0')).code).toBe(
      'aws-reservation-id',
    );
  });
  test('instance types', () => {
    for (const t of ['p5.48xlarge', 'g6e.xlarge', 'p6e-gb200.36xlarge', 'u-6tb1.metal']) {
      expect(Validate.awsInstanceType(scope, 'instanceType', t)).toBe(t);
    }
    for (const t of ['p5', 'P5.48xlarge', 'p5.48xlarge ', '.xlarge', 'p5..48xlarge']) {
      expect(() => Validate.awsInstanceType(scope, 'instanceType', t)).toThrow(ValidationError);
    }
  });
});

// https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
table(
  's3BucketName',
  Validate.s3BucketName,
  'aws-s3-bucket-name',
  ['acme-ml-checkpoints', 'a.b.c', 'abc', 'a'.repeat(63)],
  [
    ...hostileStrings,
    'ab',
    'a'.repeat(64),
    'Acme',
    'a..b',
    'a.-b',
    '192.168.5.4',
    'xn--abc',
    'sthree-x',
    'amzn-s3-demo-x',
    'bucket-s3alias',
    'bucket--ol-s3',
    'bucket.mrap',
    'bucket--x-s3',
    'bucket--table-s3',
    '-abc',
    'abc-',
    'a_b',
  ],
);
test('s3BucketName with a shorter limit for a prefix', () => {
  expect(() => Validate.s3BucketName(scope, 'bucketPrefix', 'a'.repeat(40), 37)).toThrow(/Use 3-37/);
});

describe('cidr', () => {
  test('accepts canonical blocks within the prefix range', () => {
    expect(Validate.cidr(scope, 'cidr', '10.0.0.0/16', { minPrefix: 16, maxPrefix: 28 })).toBe('10.0.0.0/16');
  });
  test.each([
    ['10.0.0.1/16'],
    ['10.0.0.0/8'],
    ['10.0.0.0/29'],
    ['256.0.0.0/16'],
    ['10.0.0/16'],
    ['10.0.0.0'],
    ['10.0.0.0/33'],
    ['01.0.0.0/16'],
  ])('rejects %p', (c) => {
    expect(
      validationErrorOf(() =>
        Validate.cidr(scope, 'cidr', c, { minPrefix: 16, maxPrefix: 28, reason: 'the AWS VPC range' }),
      ).code,
    ).toBe('cidr');
  });
  test('names the network address when host bits are set', () => {
    expect(() => Validate.cidr(scope, 'cidr', '10.0.1.0/16')).toThrow(
      /network address of that block is '10.0.0.0\/16'/,
    );
  });
});

// Google Cloud: https://cloud.google.com/resource-manager/docs/creating-managing-projects
table(
  'gcpProjectId',
  Validate.gcpProjectId,
  'gcp-project-id',
  ['acme-ml-prod', 'abcdef', 'a'.repeat(30), 'example.com:my-project'],
  [
    ...hostileStrings,
    'abcde',
    'a'.repeat(31),
    '1abcdef',
    'abcdef-',
    'Acme-ml',
    'my-google-proj',
    'null-project',
    'acme_ml',
    '123456789012',
  ],
);
// https://cloud.google.com/compute/docs/regions-zones
table(
  'gcpRegion',
  Validate.gcpRegion,
  'gcp-region',
  ['us-central1', 'europe-west4', 'northamerica-northeast2', 'me-central2'],
  [...hostileStrings, 'us-central1-a', 'us-central', 'US-CENTRAL1', 'mars-central1', 'us-east-1'],
);
describe('gcpZone', () => {
  test('a region, - and one letter', () => {
    expect(Validate.gcpZone(scope, 'zone', 'us-central1-a')).toBe('us-central1-a');
    for (const z of [
      'us-central1-zz',
      'us-central1',
      'us-central1-',
      'us-central1-A',
      'us-central1-1',
      'mars1-a',
    ]) {
      expect(validationErrorOf(() => Validate.gcpZone(scope, 'zone', z)).code).toBe('gcp-zone');
    }
  });
  test('in the given region, with a message that names both', () => {
    expect(() => Validate.gcpZone(scope, 'zone', 'europe-west4-a', 'us-central1')).toThrow(
      `'zone' ('europe-west4-a') is in region 'europe-west4', not in 'us-central1'`,
    );
  });
  test('location is a region or a zone', () => {
    expect(Validate.gcpLocation(scope, 'location', 'us-central1')).toBe('us-central1');
    expect(Validate.gcpLocation(scope, 'location', 'us-central1-b')).toBe('us-central1-b');
    expect(() => Validate.gcpLocation(scope, 'location', 'us-central1-zz')).toThrow(ValidationError);
  });
});
// https://cloud.google.com/compute/docs/naming-resources#resource-name-format
table(
  'gcpResourceName',
  Validate.gcpResourceName,
  'gcp-resource-name',
  ['gpu-net', 'a'],
  [...hostileStrings, '1net', 'net-', 'Net', 'a'.repeat(64)],
);
table(
  'gcpMachineType',
  Validate.gcpMachineType,
  'gcp-machine-type',
  ['a3-highgpu-8g', 'g2-standard-24', 'a3-ultragpu-8g'],
  [...hostileStrings, 'A3-highgpu-8g', 'a3', 'a3_highgpu'],
);
// https://cloud.google.com/storage/docs/buckets#naming
table(
  'gcsBucketName',
  Validate.gcsBucketName,
  'gcp-gcs-bucket-name',
  ['acme-ml-checkpoints', 'a_b', 'a.b', `${'a'.repeat(63)}.${'b'.repeat(63)}`],
  [
    ...hostileStrings,
    'ab',
    'a'.repeat(64),
    'goog-x',
    'my-google-bucket',
    'my-g00gle-bucket',
    '10.0.0.1',
    'a..b',
    '_ab',
    'Abc',
    `${'a'.repeat(64)}.b`,
  ],
);
// https://cloud.google.com/resource-manager/docs/labels-overview#requirements
table(
  'gcpLabelKey',
  Validate.gcpLabelKey,
  'gcp-label-key',
  ['team', 'cost-center', 'a_1', 'é'],
  [...hostileStrings.filter((s) => s !== '\u00e9'), 'Team', '1a', 'a.b', 'a'.repeat(64)],
);
table(
  'gcpLabelValue',
  Validate.gcpLabelValue,
  'gcp-label-value',
  ['', 'ml-platform', '123'],
  ['Prod', 'a.b', 'a b', 'a'.repeat(64), null],
);
test('gcpLabels caps the count at 64', () => {
  const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v']));
  expect(() => Validate.gcpLabels(scope, 'labels', many)).toThrow(/at most 64/);
  expect(validationErrorOf(() => Validate.gcpLabels(scope, 'labels', { Team: 'x' })).code).toBe(
    'gcp-label-key',
  );
});

// https://html.spec.whatwg.org/multipage/input.html#valid-e-mail-address
table(
  'email',
  Validate.email,
  'email',
  ['ml-oncall@example.com', 'a.b+c@sub.example.co.uk', "o'neil@example.org"],
  [
    ...hostileStrings,
    'a@b',
    'a@@b.com',
    '@b.com',
    'a b@c.com',
    'a@b..com',
    'a@-b.com',
    '"a"@b.com',
    `${'a'.repeat(65)}@b.com`,
  ],
);
table(
  'url',
  (s, p, v) => Validate.url(s, p, v),
  'url',
  ['https://hooks.example.com/x', 'https://10.0.0.1:8443/a?b=c'],
  [
    ...hostileStrings,
    'http://x.com',
    'https//x.com',
    'https://',
    'ftp://x.com',
    'https://user:pw@x.com/',
    'https://x.com/a b',
    'x.com',
  ],
);
test('url with http allowed', () => {
  expect(Validate.url(scope, 'prometheusUrl', 'http://prometheus:9090', { schemes: ['http', 'https'] })).toBe(
    'http://prometheus:9090',
  );
});

// distribution/reference grammar (reference.go).
table(
  'imageReference',
  Validate.imageReference,
  'image-reference',
  [
    'vllm/vllm-openai:v0.11.0',
    'nvcr.io/nvidia/tritonserver:25.01-trtllm-python-py3',
    'localhost:5000/a/b',
    'ubuntu',
    `vllm/vllm-openai@sha256:${'a'.repeat(64)}`,
    `vllm/vllm-openai:v1@sha256:${'a'.repeat(64)}`,
    '123456789012.dkr.ecr.us-east-1.amazonaws.com/models/x:1',
  ],
  [
    ...hostileStrings,
    'vllm/Vllm',
    'vllm/vllm:',
    'vllm/vllm:-x',
    `vllm:${'a'.repeat(129)}`,
    'vllm/vllm@sha256:abc',
    'vllm//x',
    'vllm/x_',
    'https://docker.io/vllm',
  ],
);

// prometheus/prometheus promql/parser generated_parser.y label_matcher and lex.go strings.
table(
  'promqlMatcher',
  Validate.promqlMatcher,
  'promql-matcher',
  [
    'namespace="llm"',
    `pod=~"vllm-.*"`,
    `a!="x\\"y"`,
    "a='b'",
    'a=`b\\d`',
    'job!~"(?i)foo"',
    'a=""',
    'a="\\u00e9"',
  ],
  [
    ...hostileStrings,
    'namespace=llm',
    '1a="x"',
    'a=="x"',
    'a="x',
    'a="x"y"',
    'a=~"("',
    'a=~"(?=x)"',
    'a="\\q"',
    'a="x",b="y"',
  ],
);
describe('promqlSelector', () => {
  test.each([
    ['up'],
    ['vllm:num_requests_waiting{namespace="llm"}'],
    ['{__name__="x", a="b",}'],
    ['x{}'],
    ['x{a="1,2"}'],
  ])('accepts %p', (s) => {
    expect(Validate.promqlSelector(scope, 'selector', s)).toBe(s);
  });
  test.each([
    ['{namespace="llm", , pod="x"}'],
    ['{}'],
    ['x{a=b}'],
    ['x{a="b"'],
    ['1x'],
    ['x y'],
    ['x{,}'],
    [''],
  ])('rejects %p', (s) => {
    expect(['promql-selector', 'string']).toContain(
      validationErrorOf(() => Validate.promqlSelector(scope, 'selector', s)).code,
    );
  });
  test('prometheus names', () => {
    expect(Validate.promLabelName(scope, 'label', 'team')).toBe('team');
    expect(() => Validate.promLabelName(scope, 'label', '__name__')).toThrow(ValidationError);
    expect(Validate.promMetricName(scope, 'metric', 'vllm:x_total')).toBe('vllm:x_total');
    expect(() => Validate.promMetricName(scope, 'metric', 'vllm-x')).toThrow(ValidationError);
  });
});
