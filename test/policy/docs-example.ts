import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { App, TerraformStack } from 'cdktf';
import { PolicyPack, PolicySuppressions } from '../../lib/policy';

export function build(app: App): TerraformStack {
  const stack = new TerraformStack(app, 'training');
  new AwsProvider(stack, 'aws', { region: 'us-west-2' });
  // ... library constructs and your own provider resources ...
  const scratch = new S3Bucket(stack, 'Scratch', { bucketPrefix: 'scratch-' });
  new S3BucketPublicAccessBlock(stack, 'ScratchPublicAccess', {
    bucket: scratch.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  PolicySuppressions.addResourceSuppression(
    scratch,
    'stateful-prevent-destroy',
    'Scratch outputs, recreated by every run; losing them costs one re-run.',
  );

  PolicyPack.aiInfra().applyTo(stack);
  return stack;
}
