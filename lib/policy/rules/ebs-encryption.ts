import { PolicyRule } from '../rule';
import { block, blocks, bool } from '../private/config';

/**
 * `ebs-encryption`: EBS volumes, launch-template block devices and instance volumes are
 * encrypted, unless the stack turns on EBS encryption by default for the region.
 */
export const EBS_ENCRYPTION: PolicyRule = {
  id: 'ebs-encryption',
  title: 'EBS volumes are encrypted',
  rationale:
    'Node root and data volumes hold container images, model caches and scratch checkpoints. ' +
    'https://docs.aws.amazon.com/ebs/latest/userguide/ebs-encryption.html',
  resourceTypes: ['aws_ebs_volume', 'aws_launch_template', 'aws_instance'],
  check: (r, stack) => {
    if (stack.ofType('aws_ebs_encryption_by_default').some((d) => bool(d.config.enabled) !== false)) {
      return [];
    }
    const off = (v: unknown) => bool(v) !== true && !(typeof v === 'string' && v.includes('${'));
    switch (r.type) {
      case 'aws_ebs_volume':
        return off(r.config.encrypted) ? ['encrypted is not true'] : [];
      case 'aws_launch_template':
        return blocks(r.config.block_device_mappings)
          .filter((m) => Object.keys(block(m.ebs)).length > 0 && off(block(m.ebs).encrypted))
          .map((m) => `block device ${String(m.device_name)} is not encrypted`);
      default:
        return [
          ...(Object.keys(block(r.config.root_block_device)).length &&
          off(block(r.config.root_block_device).encrypted)
            ? ['root_block_device is not encrypted']
            : []),
          ...blocks(r.config.ebs_block_device)
            .filter((d) => off(d.encrypted))
            .map((d) => `ebs_block_device ${String(d.device_name)} is not encrypted`),
        ];
    }
  },
};
