import { DEFAULT_KUBERNETES_VERSION, EksCluster } from '../../lib/aws/cluster';
import { Accelerator } from '../../lib/core';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { awsStack, clusterStack, hasWarning, network } from './util';

function cluster(json: ReturnType<typeof synthJson>) {
  return onlyResource(json, 'aws_eks_cluster');
}

function addons(json: ReturnType<typeof synthJson>): Record<string, any> {
  return Object.fromEntries(Object.values(resourcesOf(json, 'aws_eks_addon')).map((a) => [a.addon_name, a]));
}

/**
 * The default cluster (`clusterStack()` with no props) and its synthesized JSON, built once for
 * the tests that only read them (none of them adds to the stack or changes the JSON).
 */
let defaults:
  { stack: ReturnType<typeof clusterStack>['stack']; json: ReturnType<typeof synthJson> } | undefined;
function defaultCluster(): NonNullable<typeof defaults> {
  if (!defaults) {
    const { stack } = clusterStack();
    defaults = { stack, json: synthJson(stack) };
  }
  return defaults;
}

describe('EksCluster', () => {
  test(`defaults to Kubernetes ${DEFAULT_KUBERNETES_VERSION}`, () => {
    const { json } = defaultCluster();
    expect(cluster(json).version).toBe('1.34');
  });

  test('defaults the name to <stack>-<id>', () => {
    const { json } = defaultCluster();
    expect(cluster(json).name).toBe('test-Cluster');
  });

  test('encrypts secrets with a rotating KMS key', () => {
    const { json } = defaultCluster();
    expect(cluster(json).encryption_config).toEqual({
      resources: ['secrets'],
      provider: { key_arn: expect.stringContaining('aws_kms_key.') },
    });
    expect(onlyResource(json, 'aws_kms_key')).toMatchObject({ enable_key_rotation: true });
  });

  test('lets the cluster role use the secrets key before the cluster is created', () => {
    // The key policy only delegates to IAM (account root), so the cluster role needs an identity
    // policy on the key, as terraform-aws-modules/terraform-aws-eks attaches (cluster_encryption).
    const { json } = defaultCluster();
    const [id, policy] = Object.entries(resourcesOf(json, 'aws_iam_role_policy')).find(([, p]) =>
      /Cluster_ClusterRole_/.test(p.role),
    )!;
    expect(JSON.parse(policy.policy).Statement).toEqual([
      {
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
        Resource: expect.stringContaining('aws_kms_key.Cluster_SecretsKey_'),
      },
    ]);
    expect(cluster(json).depends_on).toContain(`aws_iam_role_policy.${id}`);
  });

  test('defaults to a private endpoint only', () => {
    const { json } = defaultCluster();
    expect(cluster(json).vpc_config).toMatchObject({
      endpoint_private_access: true,
      endpoint_public_access: false,
    });
    expect(cluster(json).vpc_config.public_access_cidrs).toBeUndefined();
  });

  test('a public endpoint carries the CIDR allowlist', () => {
    const { stack } = clusterStack({ endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] });
    expect(cluster(synthJson(stack)).vpc_config).toMatchObject({
      endpoint_public_access: true,
      public_access_cidrs: ['203.0.113.0/24'],
    });
  });

  test('warns when the public endpoint is open to 0.0.0.0/0', () => {
    const { stack } = clusterStack({ endpointPublicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] });
    expect(hasWarning(stack, 'aws-eks-public-endpoint-open')).toBe(true);
  });

  test('throws for a public endpoint without CIDRs', () => {
    expect(() => clusterStack({ endpointPublicAccess: true })).toThrow(
      /'endpointPublicAccess' is true but 'publicAccessCidrs' is empty/,
    );
  });

  test('throws for CIDRs without a public endpoint', () => {
    expect(() => clusterStack({ publicAccessCidrs: ['203.0.113.0/24'] })).toThrow(
      /'publicAccessCidrs' is set but 'endpointPublicAccess' is false/,
    );
  });

  test('uses API authentication and bootstraps the creator as admin by default', () => {
    const { json } = defaultCluster();
    expect(cluster(json).access_config).toEqual({
      authentication_mode: 'API',
      bootstrap_cluster_creator_admin_permissions: true,
    });
  });

  test('bootstrapCreatorAdmin: false turns the creator admin off', () => {
    const { stack } = clusterStack({ bootstrapCreatorAdmin: false });
    expect(cluster(synthJson(stack)).access_config.bootstrap_cluster_creator_admin_permissions).toBe(false);
  });

  test('gives admin principals an access entry with the cluster-admin policy', () => {
    const arn = 'arn:aws:iam::111122223333:role/platform-admin';
    const { stack } = clusterStack({ adminPrincipalArns: [arn] });
    const json = synthJson(stack);
    expect(onlyResource(json, 'aws_eks_access_entry')).toMatchObject({
      principal_arn: arn,
      type: 'STANDARD',
    });
    expect(onlyResource(json, 'aws_eks_access_policy_association')).toMatchObject({
      principal_arn: arn,
      policy_arn:
        'arn:${data.aws_partition.AwsPartition.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
  });

  test('throws for an admin principal that is not an IAM ARN', () => {
    expect(() => clusterStack({ adminPrincipalArns: ['platform-admin'] })).toThrow(
      /'adminPrincipalArns\[0\]' \('platform-admin'\) is not an ARN/,
    );
  });

  test('creates an IAM OIDC provider for IRSA', () => {
    const { json } = defaultCluster();
    expect(onlyResource(json, 'aws_iam_openid_connect_provider')).toMatchObject({
      client_id_list: ['sts.amazonaws.com'],
      url: expect.stringContaining('identity[0].oidc[0].issuer'),
    });
  });

  test('installs the core add-ons without self-managed bootstrap', () => {
    const { json } = defaultCluster();
    expect(cluster(json).bootstrap_self_managed_addons).toBe(false);
    expect(Object.keys(addons(json)).sort()).toEqual([
      'aws-ebs-csi-driver',
      'coredns',
      'eks-pod-identity-agent',
      'kube-proxy',
      'vpc-cni',
    ]);
  });

  test('defaults add-on versions to EKS defaults (no pin)', () => {
    const { json } = defaultCluster();
    expect(Object.values(addons(json)).every((a) => a.addon_version === undefined)).toBe(true);
  });

  test('pins add-on versions when given', () => {
    const { stack } = clusterStack({ addonVersions: { vpcCni: 'v1.20.4-eksbuild.1' } });
    expect(addons(synthJson(stack))['vpc-cni'].addon_version).toBe('v1.20.4-eksbuild.1');
  });

  test('throws for a malformed add-on version', () => {
    expect(() => clusterStack({ addonVersions: { coredns: '1.11' } })).toThrow(
      /'addonVersions.coredns' \('1.11'\) must look like 'v1.20.4-eksbuild.1'/,
    );
  });

  test('the VPC CNI uses an IRSA role with AmazonEKS_CNI_Policy, not the node role', () => {
    const { json } = defaultCluster();
    expect(addons(json)['vpc-cni'].service_account_role_arn).toMatch(/aws_iam_role\.Cluster_VpcCniRole/);
    const attachments = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'));
    const cni = attachments.filter((a) => a.policy_arn.endsWith('AmazonEKS_CNI_Policy'));
    expect(cni).toHaveLength(1);
    expect(cni[0].role).toMatch(/VpcCniRole/);
    const trust = Object.values(json.data?.aws_iam_policy_document ?? {})[0] as any;
    expect(trust.statement[0].condition).toContainEqual(
      expect.objectContaining({
        test: 'StringEquals',
        values: ['system:serviceaccount:kube-system:aws-node'],
      }),
    );
  });

  test('the node role has the worker-node and ECR pull-only policies', () => {
    const { json } = defaultCluster();
    const arns = Object.values(resourcesOf(json, 'aws_iam_role_policy_attachment'))
      .filter((a) => /NodeRole/.test(a.role))
      .map((a) => a.policy_arn);
    expect(arns.sort()).toEqual([
      'arn:${data.aws_partition.AwsPartition.partition}:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
      'arn:${data.aws_partition.AwsPartition.partition}:iam::aws:policy/AmazonEKSWorkerNodePolicy',
    ]);
  });

  test('the EBS CSI driver uses Pod Identity', () => {
    const { json } = defaultCluster();
    expect(addons(json)['aws-ebs-csi-driver'].pod_identity_association).toEqual([
      { role_arn: expect.stringContaining('EbsCsiRole'), service_account: 'ebs-csi-controller-sa' },
    ]);
  });

  test('ebsCsiDriver: false leaves the EBS CSI driver out', () => {
    const { stack } = clusterStack({ ebsCsiDriver: false });
    expect(addons(synthJson(stack))['aws-ebs-csi-driver']).toBeUndefined();
  });

  test('defaults to a 2-4 node m6i.large AL2023 system node group with IMDSv2', () => {
    const { json } = defaultCluster();
    const ng = onlyResource(json, 'aws_eks_node_group');
    expect(ng).toMatchObject({
      ami_type: 'AL2023_x86_64_STANDARD',
      instance_types: ['m6i.large'],
      scaling_config: { min_size: 2, max_size: 4, desired_size: 2 },
      lifecycle: { ignore_changes: ['scaling_config[0].desired_size'] },
    });
    expect(onlyResource(json, 'aws_launch_template').metadata_options).toMatchObject({
      http_tokens: 'required',
    });
  });

  test('CoreDNS waits for the system node group', () => {
    const { json } = defaultCluster();
    expect(addons(json).coredns.depends_on).toEqual([
      expect.stringMatching(/^aws_eks_node_group\.Cluster_SystemNodeGroup_/),
    ]);
  });

  test('throws for a system node group that can scale to zero', () => {
    expect(() => clusterStack({ systemNodeGroup: { minNodes: 0 } })).toThrow(
      /'systemNodeGroup.minNodes' \(0\) must be a whole number from 1/,
    );
  });

  test('throws when system maxNodes < minNodes', () => {
    expect(() => clusterStack({ systemNodeGroup: { minNodes: 3, maxNodes: 2 } })).toThrow(
      /'systemNodeGroup.maxNodes' \(2\)/,
    );
  });

  test('outputs name, endpoint, CA data and OIDC issuer', () => {
    const { json } = defaultCluster();
    expect(Object.keys(json.output ?? {}).sort()).toEqual([
      'cluster_certificate_authority_data',
      'cluster_endpoint',
      'cluster_name',
      'cluster_oidc_issuer_url',
    ]);
  });

  test('kubernetesProviderConfig uses aws eks get-token', () => {
    const { cluster: c } = clusterStack();
    expect(c.kubernetesProviderConfig().exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: ['eks', 'get-token', '--cluster-name', 'test-Cluster', '--region', 'us-east-1'],
    });
  });

  test('tags the network subnets for the cluster', () => {
    const { json } = defaultCluster();
    const subnets = Object.values(resourcesOf(json, 'aws_subnet'));
    expect(subnets.every((s) => s.tags['kubernetes.io/cluster/test-Cluster'] === 'shared')).toBe(true);
  });

  test('throws for a malformed version', () => {
    expect(() => clusterStack({ kubernetesVersion: '1.34.1' })).toThrow(
      /'kubernetesVersion' \('1.34.1'\) must look like '1.34'/,
    );
  });

  test('throws for a version older than 1.33', () => {
    expect(() => clusterStack({ kubernetesVersion: '1.32' })).toThrow(/older than 1.33/);
  });

  test('throws for an invalid cluster name', () => {
    expect(() => clusterStack({ clusterName: '-gpu' })).toThrow(
      /'clusterName' \('-gpu'\) must be 1-100 characters/,
    );
  });

  test('addWorkloadRole creates a Pod Identity role and association', () => {
    const { stack, cluster: c } = clusterStack();
    c.addWorkloadRole('Trainer', { namespace: 'training', serviceAccount: 'trainer' });
    const json = synthJson(stack);
    expect(onlyResource(json, 'aws_eks_pod_identity_association')).toMatchObject({
      namespace: 'training',
      service_account: 'trainer',
    });
    const role = Object.values(resourcesOf(json, 'aws_iam_role')).find((r) => /Trainer/.test(r.description));
    expect(JSON.parse(role.assume_role_policy).Statement[0]).toMatchObject({
      Principal: { Service: 'pods.eks.amazonaws.com' },
      Action: ['sts:AssumeRole', 'sts:TagSession'],
    });
  });

  test('the Pod Identity association waits for the cluster', () => {
    // The association names the cluster by a plain string; without a dependency Terraform creates
    // it while the cluster is still being created and EKS answers ResourceNotFoundException.
    const { stack, cluster: c } = clusterStack();
    c.addWorkloadRole('Trainer', { namespace: 'training', serviceAccount: 'trainer' });
    const assoc = onlyResource(synthJson(stack), 'aws_eks_pod_identity_association');
    expect(`${assoc.cluster_name} ${(assoc.depends_on ?? []).join(' ')}`).toMatch(
      /aws_eks_cluster\.Cluster_/,
    );
  });

  test('addWorkloadRole throws for an invalid service account', () => {
    const { cluster: c } = clusterStack();
    expect(() => c.addWorkloadRole('X', { namespace: 'training', serviceAccount: 'Trainer_SA' })).toThrow(
      /'serviceAccount' \('Trainer_SA'\) is not valid as a service account name/,
    );
  });

  test('the cluster can use any INetwork', () => {
    const stack = awsStack();
    const net = network(stack);
    expect(new EksCluster(stack, 'C', { network: net, clusterName: 'gpu' }).clusterName).toBe('gpu');
  });
});

describe('EksCluster extra validation', () => {
  test('throws for a public access CIDR that does not parse', () => {
    expect(() => clusterStack({ endpointPublicAccess: true, publicAccessCidrs: ['203.0.113.7'] })).toThrow(
      /'publicAccessCidrs\[0\]' \('203.0.113.7'\) is not an IPv4 CIDR block/,
    );
  });

  test('throws for a repeated admin principal', () => {
    const arn = 'arn:aws:iam::111122223333:role/a';
    expect(() => clusterStack({ adminPrincipalArns: [arn, arn] })).toThrow(
      /'adminPrincipalArns' lists 'arn:aws:iam::111122223333:role\/a' twice/,
    );
  });
});

describe('EksCluster VPC CNI env and node auto repair', () => {
  test('passes vpcCniEnv as add-on configuration values', () => {
    const { stack } = clusterStack({ vpcCniEnv: { WARM_IP_TARGET: '5' } });
    expect(JSON.parse(addons(synthJson(stack))['vpc-cni'].configuration_values)).toEqual({
      env: { WARM_IP_TARGET: '5' },
    });
  });

  test('defaults to no VPC CNI configuration', () => {
    const { json } = defaultCluster();
    expect(addons(json)['vpc-cni'].configuration_values).toBeUndefined();
  });

  test('throws for an invalid VPC CNI variable', () => {
    expect(() => clusterStack({ vpcCniEnv: { 'warm-ip': '5' } })).toThrow(/'vpcCniEnv' entry 'warm-ip'/);
  });

  test('defaults to no node auto repair', () => {
    const { json } = defaultCluster();
    expect(addons(json)['eks-node-monitoring-agent']).toBeUndefined();
  });

  test('nodeAutoRepair installs the monitoring agent and enables repair on GPU groups', () => {
    const { stack, cluster: c } = clusterStack({ nodeAutoRepair: true });
    c.addInferenceNodeGroup('L4', { accelerator: Accelerator.L4 });
    const json = synthJson(stack);
    expect(addons(json)['eks-node-monitoring-agent']).toBeDefined();
    const ng = Object.entries(resourcesOf(json, 'aws_eks_node_group')).find(([k]) =>
      k.startsWith('Cluster_L4'),
    )![1];
    expect(ng.node_repair_config).toMatchObject({ enabled: true, max_parallel_nodes_repaired_count: 1 });
  });
});

describe('EksCluster more defaults', () => {
  test('defaults control-plane logs to api, audit and authenticator', () => {
    const { json } = defaultCluster();
    expect(cluster(json).enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator']);
  });

  test('enabledLogTypes replaces the log types', () => {
    const { stack } = clusterStack({ enabledLogTypes: ['audit'] });
    expect(cluster(synthJson(stack)).enabled_cluster_log_types).toEqual(['audit']);
  });

  test('creates the control-plane log group with 90-day retention before the cluster', () => {
    // Without it EKS creates /aws/eks/<name>/cluster itself, never expiring and unknown to Terraform.
    const { stack, cluster: c } = clusterStack({ clusterName: 'gpu' });
    const json = synthJson(stack);
    const [id, group] = Object.entries(resourcesOf(json, 'aws_cloudwatch_log_group'))[0];
    expect(c.controlPlaneLogGroup?.node.path).toBe('test/Cluster/ControlPlaneLogs');
    expect(group).toMatchObject({ name: '/aws/eks/gpu/cluster', retention_in_days: 90 });
    expect(cluster(json).depends_on).toContain(`aws_cloudwatch_log_group.${id}`);
  });

  test('controlPlaneLogRetentionDays sets the retention', () => {
    const { stack } = clusterStack({ controlPlaneLogRetentionDays: 365 });
    expect(onlyResource(synthJson(stack), 'aws_cloudwatch_log_group').retention_in_days).toBe(365);
  });

  test('throws for a retention CloudWatch Logs does not offer', () => {
    expect(() => clusterStack({ controlPlaneLogRetentionDays: 100 })).toThrow(
      /'controlPlaneLogRetentionDays' \(100\) must be one of 1, 3, 5, 7, 14, 30, 60, 90/,
    );
  });

  test('enabledLogTypes: [] creates no log group', () => {
    const { stack } = clusterStack({ enabledLogTypes: [] });
    expect(resourcesOf(synthJson(stack), 'aws_cloudwatch_log_group')).toEqual({});
  });

  test('throws for a control-plane log type EKS does not have', () => {
    expect(() => clusterStack({ enabledLogTypes: ['audit', 'controller-manager'] })).toThrow(
      /'enabledLogTypes' entry 'controller-manager' is not an EKS control-plane log type: use api, audit, authenticator, controllerManager or scheduler/,
    );
  });

  test('outputs: false leaves the outputs out', () => {
    const { stack } = clusterStack({ outputs: false });
    expect(synthJson(stack).output).toBeUndefined();
  });

  test('defaults to no admin access entries', () => {
    const { json } = defaultCluster();
    expect(resourcesOf(json, 'aws_eks_access_entry')).toEqual({});
  });

  test.each([
    'p5.48xlarge',
    'g6e.xlarge',
    'gr6.4xlarge',
    'inf2.xlarge',
    'trn1.32xlarge',
    'dl1.24xlarge',
    'f1.2xlarge',
  ])('systemNodeGroup.instanceType refuses the accelerated type %s', (instanceType) => {
    expect(() => clusterStack({ systemNodeGroup: { instanceType } })).toThrow(
      new RegExp(
        `'systemNodeGroup.instanceType' \\('${instanceType.replace('.', '\\.')}'\\) is an accelerated instance type .*'m6i.large'`,
      ),
    );
  });

  test.each(['m7g.large', 'c7gn.xlarge', 'd3.xlarge', 'r7i.large'])(
    'systemNodeGroup.instanceType accepts the general-purpose type %s',
    (instanceType) => {
      const { stack } = clusterStack({ systemNodeGroup: { instanceType } });
      expect(onlyResource(synthJson(stack), 'aws_eks_node_group').instance_types).toEqual([instanceType]);
    },
  );

  test('systemNodeGroup.instanceType sets the system instance type', () => {
    const { stack } = clusterStack({ systemNodeGroup: { instanceType: 'm7i.xlarge' } });
    expect(onlyResource(synthJson(stack), 'aws_eks_node_group').instance_types).toEqual(['m7i.xlarge']);
  });
});

describe('EksCluster private endpoint access', () => {
  test('privateEndpointAccessCidrs opens 443 on the cluster security group', () => {
    const { stack } = clusterStack({ privateEndpointAccessCidrs: ['10.100.0.0/16'] });
    const rules = Object.values(resourcesOf(synthJson(stack), 'aws_vpc_security_group_ingress_rule')).filter(
      (r) => r.description === 'Kubernetes API (private endpoint)',
    );
    expect(rules).toEqual([
      expect.objectContaining({
        security_group_id: expect.stringContaining('vpc_config[0].cluster_security_group_id'),
        from_port: 443,
        to_port: 443,
        cidr_ipv4: '10.100.0.0/16',
      }),
    ]);
  });

  test('throws for an invalid private endpoint CIDR', () => {
    expect(() => clusterStack({ privateEndpointAccessCidrs: ['10.100.0.1/16'] })).toThrow(
      /'privateEndpointAccessCidrs\[0\]' \('10.100.0.1\/16'\) has host bits set/,
    );
  });
});

describe('EksCluster networkPolicy', () => {
  const vpcCni = (props: Parameters<typeof clusterStack>[0] = {}) => {
    const { stack } = clusterStack(props);
    return Object.values(resourcesOf(synthJson(stack), 'aws_eks_addon')).find(
      (a: any) => a.addon_name === 'vpc-cni',
    ) as any;
  };

  test('defaults to the VPC CNI without NetworkPolicy enforcement (no configuration values)', () => {
    expect(vpcCni().configuration_values).toBeUndefined();
  });

  test('networkPolicy: true turns on enableNetworkPolicy in the VPC CNI configuration', () => {
    expect(JSON.parse(vpcCni({ networkPolicy: true }).configuration_values)).toEqual({
      enableNetworkPolicy: 'true',
    });
  });

  test('keeps vpcCniEnv next to it', () => {
    expect(
      JSON.parse(vpcCni({ networkPolicy: true, vpcCniEnv: { WARM_IP_TARGET: '5' } }).configuration_values),
    ).toEqual({ env: { WARM_IP_TARGET: '5' }, enableNetworkPolicy: 'true' });
  });

  test('throws when networkPolicy is not a boolean', () => {
    expect(() => clusterStack({ networkPolicy: 'yes' as any })).toThrow(/'networkPolicy'/);
  });
});
