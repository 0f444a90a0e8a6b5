import { PolicyRule } from '../rule';
import { block, isExpression } from '../private/config';

/**
 * `ec2-imdsv2`: launch templates and instances require IMDSv2 (`http_tokens = "required"`).
 */
export const EC2_IMDSV2: PolicyRule = {
  id: 'ec2-imdsv2',
  title: 'Launch templates and instances require IMDSv2 (http_tokens = "required")',
  rationale:
    'IMDSv1 answers unauthenticated GETs, so one SSRF in a model server or notebook leaks the node role credentials. ' +
    'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html',
  resourceTypes: ['aws_launch_template', 'aws_instance'],
  check: (r) => {
    const md = block(r.config.metadata_options);
    if (md.http_endpoint === 'disabled') {
      return [];
    }
    const tokens = md.http_tokens;
    if (tokens === 'required' || isExpression(tokens)) {
      return [];
    }
    return [
      `metadata_options.http_tokens is ${tokens === undefined ? 'unset (IMDSv1 allowed unless the AMI or account default requires v2)' : `'${String(tokens)}'`}`,
    ];
  },
};
