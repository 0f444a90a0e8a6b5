import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { TerraformStack } from 'cdktf';
import { parse } from 'yaml';
import {
  AWS_LOAD_BALANCER_CONTROLLER_CHART,
  AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT,
  AwsLoadBalancerController,
  IamPolicyStatement,
  LoadBalancerControllerIdentity,
  loadBalancerControllerPolicy,
} from '../../lib/aws/load-balancer-controller';
import { ValidationError } from '../../lib/core';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { clusterStack } from './util';

function setup(props: { replicas?: number } = {}) {
  const { stack, cluster } = clusterStack();
  const platform = new TerraformStack(stack.node.scope!, 'platform');
  new HelmProvider(platform, 'helm', { kubernetes: cluster.kubernetesProviderConfig() });
  const lbc = new AwsLoadBalancerController(platform, 'LoadBalancerController', { cluster, ...props });
  return { stack, cluster, platform, lbc };
}

/** Statements allowing `action`. */
function allowing(statements: IamPolicyStatement[], action: string): IamPolicyStatement[] {
  return statements.filter((s) => s.Action.includes(action));
}

describe('loadBalancerControllerPolicy', () => {
  const policy = loadBalancerControllerPolicy('aws-us-gov');

  test('builds every ARN in the given partition', () => {
    const arns = policy.Statement.flatMap((s) => [s.Resource].flat()).filter((r) => r !== '*');
    expect(arns.length).toBeGreaterThan(5);
    for (const a of arns) expect(a).toMatch(/^arn:aws-us-gov:(ec2|elasticloadbalancing):\*:\*:/);
  });

  test('fits the IAM inline role policy size limit (10,240 characters without whitespace)', () => {
    // IAM quotas: "Role policy size ... 10,240 characters"; IAM does not count whitespace.
    expect(JSON.stringify(policy).length).toBeLessThan(10_240);
  });

  test('has unique statement ids of the form IAM accepts', () => {
    const sids = policy.Statement.map((s) => s.Sid);
    expect(new Set(sids).size).toBe(sids.length);
    for (const sid of sids) expect(sid).toMatch(/^[A-Za-z0-9]+$/);
  });

  test('lets the controller delete and modify only load balancers, target groups and security groups it tagged', () => {
    for (const action of [
      'elasticloadbalancing:DeleteLoadBalancer',
      'elasticloadbalancing:DeleteTargetGroup',
      'elasticloadbalancing:ModifyLoadBalancerAttributes',
      'elasticloadbalancing:SetSecurityGroups',
      'ec2:DeleteSecurityGroup',
    ]) {
      const found = allowing(policy.Statement, action);
      expect(found.length).toBeGreaterThan(0);
      for (const s of found) {
        expect(s.Condition?.Null?.['aws:ResourceTag/elbv2.k8s.aws/cluster']).toBe('false');
      }
    }
  });

  test('creates load balancers and target groups only with the controller tag in the request', () => {
    for (const action of [
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:CreateTargetGroup',
    ]) {
      for (const s of allowing(policy.Statement, action)) {
        expect(s.Condition?.Null?.['aws:RequestTag/elbv2.k8s.aws/cluster']).toBe('false');
      }
    }
  });

  test('allows the calls an internal NLB with IP targets is made of', () => {
    const all = new Set(policy.Statement.flatMap((s) => s.Action));
    for (const a of [
      'ec2:DescribeSubnets',
      'ec2:DescribeSecurityGroups',
      'ec2:CreateSecurityGroup',
      'ec2:AuthorizeSecurityGroupIngress',
      'elasticloadbalancing:CreateLoadBalancer',
      'elasticloadbalancing:CreateTargetGroup',
      'elasticloadbalancing:CreateListener',
      'elasticloadbalancing:RegisterTargets',
      'elasticloadbalancing:DescribeTargetHealth',
      'elasticloadbalancing:AddTags',
      'iam:CreateServiceLinkedRole',
    ]) {
      expect(all).toContain(a);
    }
  });

  test('may create only the Elastic Load Balancing service-linked role', () => {
    const [s] = allowing(policy.Statement, 'iam:CreateServiceLinkedRole');
    expect(s.Condition).toEqual({
      StringEquals: { 'iam:AWSServiceName': 'elasticloadbalancing.amazonaws.com' },
    });
  });

  test('every action is service:Name with a service the controller talks to', () => {
    for (const a of policy.Statement.flatMap((s) => s.Action)) {
      expect(a).toMatch(
        /^(ec2|elasticloadbalancing|iam|acm|cognito-idp|waf-regional|wafv2|shield):[A-Z][A-Za-z]+$/,
      );
    }
  });
});

describe('AwsLoadBalancerController', () => {
  test('creates the IAM role, inline policy and Pod Identity association in the cluster stack', () => {
    const { stack } = setup();
    const json = synthJson(stack);
    expect(
      Object.keys(resourcesOf(json, 'aws_iam_role')).some((k) => k.includes('LoadBalancerController')),
    ).toBe(true);
    const assoc = Object.values(resourcesOf(json, 'aws_eks_pod_identity_association')).find(
      (a: any) => a.service_account === 'aws-load-balancer-controller',
    ) as any;
    expect(assoc).toMatchObject({
      namespace: 'kube-system',
      service_account: 'aws-load-balancer-controller',
    });
    const policy = Object.values(resourcesOf(json, 'aws_iam_role_policy')).find((p: any) =>
      String(p.policy).includes('elbv2.k8s.aws/cluster'),
    ) as any;
    const doc = JSON.parse(policy.policy);
    expect(doc.Statement.length).toBe(loadBalancerControllerPolicy('x').Statement.length);
    // The partition comes from the stack's aws_partition data source.
    expect(policy.policy).toContain('data.aws_partition');
    expect(policy.policy).not.toContain('arn:aws:');
  });

  test('trusts EKS Pod Identity (AssumeRole and TagSession)', () => {
    const { stack, cluster } = setup();
    const identity = LoadBalancerControllerIdentity.of(cluster);
    const json = synthJson(stack);
    const role = resourcesOf(json, 'aws_iam_role')[
      Object.keys(resourcesOf(json, 'aws_iam_role')).find((k) => k.includes('LoadBalancerController'))!
    ];
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'pods.eks.amazonaws.com' },
        Action: ['sts:AssumeRole', 'sts:TagSession'],
      },
    ]);
    expect(identity.node.path).toBe('test/Cluster/LoadBalancerController');
  });

  test('creates the identity once per cluster', () => {
    const { cluster, platform } = setup();
    const second = new AwsLoadBalancerController(platform, 'Second', { cluster });
    expect(second.identity).toBe(LoadBalancerControllerIdentity.of(cluster));
  });

  test('installs the pinned chart in kube-system under the associated service account', () => {
    const { platform } = setup();
    const release = onlyResource(synthJson(platform), 'helm_release');
    expect(release).toMatchObject({
      name: 'aws-load-balancer-controller',
      namespace: 'kube-system',
      repository: AWS_LOAD_BALANCER_CONTROLLER_CHART.repository,
      chart: 'aws-load-balancer-controller',
      version: AWS_LOAD_BALANCER_CONTROLLER_CHART.version,
      atomic: true,
    });
    const values = parse(release.values[0]);
    expect(values.serviceAccount).toEqual({
      create: true,
      name: AWS_LOAD_BALANCER_CONTROLLER_SERVICE_ACCOUNT.name,
    });
    expect(values.clusterName).toBe('test-Cluster');
    expect(values.region).toBe('us-east-1');
    // The VPC id is a cross-stack reference to the network.
    expect(values.vpcId).toMatch(/^\$\{/);
  });

  test('defaults to 2 replicas with a PodDisruptionBudget', () => {
    const { lbc } = setup();
    expect(lbc.values.replicaCount).toBe(2);
    expect(lbc.values.podDisruptionBudget).toEqual({ maxUnavailable: 1 });
  });

  test('one replica gets no PodDisruptionBudget (it would block every drain)', () => {
    const { lbc } = setup({ replicas: 1 });
    expect(lbc.values.replicaCount).toBe(1);
    expect(lbc.values.podDisruptionBudget).toBeUndefined();
  });

  test('runs the controller with a restricted securityContext', () => {
    const { lbc } = setup();
    expect(lbc.values.securityContext).toEqual({
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(lbc.values.podSecurityContext).toMatchObject({ seccompProfile: { type: 'RuntimeDefault' } });
  });

  test('does not let its Service webhook refuse Services while it starts', () => {
    const { lbc } = setup();
    expect(lbc.values.serviceMutatorWebhookConfig).toEqual({ failurePolicy: 'Ignore' });
  });

  test('throws when replicas is not a whole number from 1 to 10', () => {
    for (const replicas of [0, 1.5, 11, Number.NaN]) {
      expect(() => setup({ replicas })).toThrow(/'replicas'/);
    }
  });

  test('throws when put in the cluster stack', () => {
    const { stack, cluster } = clusterStack();
    expect(() => new AwsLoadBalancerController(stack, 'Lbc', { cluster })).toThrow(ValidationError);
    expect(() => new AwsLoadBalancerController(stack, 'Lbc2', { cluster })).toThrow(/platform stack/);
  });

  test('throws when cluster is not an EksCluster', () => {
    const { stack } = clusterStack();
    const platform = new TerraformStack(stack.node.scope!, 'platform');
    expect(() => new AwsLoadBalancerController(platform, 'Lbc', { cluster: {} as any })).toThrow(
      /EksCluster/,
    );
  });

  test('the chart pin carries its source and check date', () => {
    expect(AWS_LOAD_BALANCER_CONTROLLER_CHART.source).toMatch(/^https:\/\/github\.com\/.+\/v3\.5\.0$/);
    expect(AWS_LOAD_BALANCER_CONTROLLER_CHART.checked).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(AWS_LOAD_BALANCER_CONTROLLER_CHART.version).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
