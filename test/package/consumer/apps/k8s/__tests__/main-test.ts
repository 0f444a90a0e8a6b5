import 'cdktf/lib/testing/adapters/jest';
import { Deployment } from '@cdktf/provider-kubernetes/lib/deployment';
import { DeploymentV1 } from '@cdktf/provider-kubernetes/lib/deployment-v1';
import { Testing } from 'cdktf';
import { build } from '../stacks';

describe('consumer-k8s', () => {
  const app = Testing.app();
  const { platform, workloads } = build(app);
  const platformJson = Testing.synth(platform, true);
  const workloadsJson = Testing.synth(workloads, true);

  it('serves the model with a Deployment, after the platform stack', () => {
    expect(workloadsJson).toHaveResource(DeploymentV1);
    expect(workloadsJson).not.toHaveResource(Deployment);
    expect(workloads.dependencies).toContain(platform);
  });

  it('matches the snapshots', () => {
    expect(platformJson).toMatchSnapshot('platform');
    expect(workloadsJson).toMatchSnapshot('workloads');
  });
});
