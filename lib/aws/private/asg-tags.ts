import { AutoscalingGroupTagA } from '@cdktf/provider-aws/lib/autoscaling-group-tag';
import { EksNodeGroup } from '@cdktf/provider-aws/lib/eks-node-group';
import { Construct } from 'constructs';

const NODE_TEMPLATE_TAG = 'k8s.io/cluster-autoscaler/node-template/';

/**
 * Copies the cluster-autoscaler node-template tags of a managed node group to its Auto Scaling
 * group, one `aws_autoscaling_group_tag` each (construct id `AsgTag-<key with '/' as '_'>`).
 *
 * Managed node groups do not copy their tags to the Auto Scaling group; cluster-autoscaler reads
 * the node-template tags there to scale a group up from zero. EKS itself puts the two discovery
 * tags on the Auto Scaling group, so only the node-template tags are copied.
 * @param tags the node group's tags; those outside `k8s.io/cluster-autoscaler/node-template/` are skipped
 * @returns the Auto Scaling group's name
 */
export function copyNodeTemplateTagsToAsg(
  scope: Construct,
  nodeGroup: EksNodeGroup,
  tags: Record<string, string>,
): string {
  const asgName = nodeGroup.resources.get(0).autoscalingGroups.get(0).name;
  Object.entries(tags)
    .filter(([key]) => key.startsWith(NODE_TEMPLATE_TAG))
    .forEach(([key, value]) => {
      new AutoscalingGroupTagA(scope, `AsgTag-${key.replace(/\//g, '_')}`, {
        autoscalingGroupName: asgName,
        tag: { key, value, propagateAtLaunch: false },
      });
    });
  return asgName;
}
