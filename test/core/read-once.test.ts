import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { awsPartition } from '../../lib/aws/private/partition';
import { readOnce } from '../../lib/core/private/read-once';
import { synthJson, testStack } from '../util';

// Each attribute read creates a cdktf token (with a captured stack trace): the helpers below
// read an attribute once and hand out the same reference.
describe('readOnce', () => {
  test('reads an attribute of a target once and returns the same value after', () => {
    const target = {};
    let reads = 0;
    const read = () => `value-${++reads}`;
    expect(readOnce(target, 'arn', read)).toBe('value-1');
    expect(readOnce(target, 'arn', read)).toBe('value-1');
    expect(reads).toBe(1);
  });

  test('keeps attributes and targets apart', () => {
    const a = {};
    const b = {};
    expect(readOnce(a, 'arn', () => 'a-arn')).toBe('a-arn');
    expect(readOnce(a, 'id', () => 'a-id')).toBe('a-id');
    expect(readOnce(b, 'arn', () => 'b-arn')).toBe('b-arn');
  });

  test('a resource attribute read once resolves to the same reference everywhere it is used', () => {
    const { stack } = testStack();
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const bucket = new S3Bucket(stack, 'Bucket', {});
    const arn = readOnce(bucket, 'arn', (b) => b.arn);
    expect(readOnce(bucket, 'arn', (b) => b.arn)).toBe(arn);
    new S3Bucket(stack, 'Other', { tags: { a: arn, b: readOnce(bucket, 'arn', (b) => b.arn) } });
    const other = (synthJson(stack) as any).resource.aws_s3_bucket.Other;
    expect(other.tags).toEqual({ a: '${aws_s3_bucket.Bucket.arn}', b: '${aws_s3_bucket.Bucket.arn}' });
  });
});

describe('awsPartition', () => {
  test('is one data source per stack, its reference read once', () => {
    const { stack } = testStack();
    new AwsProvider(stack, 'aws', { region: 'us-east-1' });
    const first = awsPartition(stack);
    expect(awsPartition(stack)).toBe(first);
    const json = synthJson(stack) as any;
    expect(Object.keys(json.data.aws_partition)).toEqual(['AwsPartition']);
  });
});
