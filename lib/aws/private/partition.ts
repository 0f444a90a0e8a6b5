import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';

const PARTITIONS = new WeakMap<TerraformStack, DataAwsPartition>();

/**
 * The AWS partition of the stack's provider (`aws`, `aws-cn`, `aws-us-gov`, ...) as a Terraform
 * reference, from one `aws_partition` data source per stack, so every ARN the library builds
 * is right in GovCloud and China as well.
 * @see https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/data-sources/partition
 */
export function awsPartition(scope: IConstruct): string {
  const stack = TerraformStack.of(scope);
  let p = PARTITIONS.get(stack);
  if (!p) {
    p = new DataAwsPartition(stack, 'AwsPartition');
    PARTITIONS.set(stack, p);
  }
  return p.partition;
}
