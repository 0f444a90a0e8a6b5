import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

// One data source per stack, and its `partition` reference read once: every read of an attribute
// creates a cdktf token, which captures a stack trace.
const PARTITIONS = new WeakMap<TerraformStack, string>();

/**
 * The AWS partition of the stack's provider (`aws`, `aws-cn`, `aws-us-gov`, ...) as a Terraform
 * reference, from one `aws_partition` data source per stack, so every ARN the library builds
 * is right in GovCloud and China as well.
 * @see https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/data-sources/partition
 */
export function awsPartition(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  let partition = PARTITIONS.get(stack);
  if (partition === undefined) {
    partition = new DataAwsPartition(stack, 'AwsPartition').partition;
    PARTITIONS.set(stack, partition);
  }
  return partition;
}
