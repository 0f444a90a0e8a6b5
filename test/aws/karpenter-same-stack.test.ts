import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { Release as HelmRelease } from '@cdktf/provider-helm/lib/release';
import { Manifest } from '@cdktf/provider-kubernetes/lib/manifest';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { TerraformHclModule, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { IEksCluster, IKarpenter, Karpenter, KarpenterGpuNodePool } from '../../lib/aws';
import { EksCluster } from '../../lib/aws/cluster';
import { Accelerator, ValidationError } from '../../lib/core';
import { RawTerraformResource } from '../../lib/core/private/raw-resource';
import { resourcesOf, synthJson, validationErrorOf } from '../util';
import { awsStack, network } from './util';

// A KarpenterGpuNodePool's NodePool and EC2NodeClass are kubernetes_manifest resources: the
// karpenter.sh CRDs must exist when its stack is planned, so nothing in the pool's stack may
// install them. Besides a Helm or Kubernetes resource under the IKarpenter (as `Karpenter` has),
// an installation elsewhere in the stack is refused when it can be recognised: Karpenter's chart,
// a CRD manifest of its API groups, EKS Blueprints Addons with enable_karpenter. Refused when the
// pool is created if it is there already, else when the stack synthesizes.

/** A Karpenter installed by something this construct does not own: only its cluster and SG. */
class ExternalKarpenter extends Construct implements IKarpenter {
  public readonly efaSecurityGroupId = 'sg-0123456789abcdef0';
  constructor(
    scope: Construct,
    id: string,
    public readonly cluster: IEksCluster,
  ) {
    super(scope, id);
  }
}

function setup() {
  const infra = awsStack('infra');
  const app = infra.node.root as any;
  const cluster = new EksCluster(infra, 'Cluster', { network: network(infra), clusterName: 'gpu' });
  const workloads = new TerraformStack(app, 'workloads');
  new KubernetesProvider(workloads, 'kubernetes', {});
  new HelmProvider(workloads, 'helm', {});
  const karpenter = new ExternalKarpenter(workloads, 'Karpenter', cluster);
  return { app, infra, cluster, workloads, karpenter };
}

function poolIn(stack: TerraformStack, karpenter: IKarpenter, id = 'H100') {
  return new KarpenterGpuNodePool(stack, id, { karpenter, accelerator: Accelerator.H100, maxGpus: 8 });
}

/** The Terraform error message `synthJson` (validations) throws, or undefined. */
function synthError(stack: TerraformStack): string | undefined {
  try {
    synthJson(stack);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

const PLAN_TIME =
  /need the karpenter\.sh CRDs when Terraform plans.*hashicorp\/terraform-provider-kubernetes#1985.*gpuPools\.addDependency\(<the stack 'workloads'>\), and the pool created in gpuPools/;

/** Ways of installing Karpenter's CRDs in a stack that the pool recognises. */
const INSTALLERS: Array<[string, (stack: TerraformStack) => void, string]> = [
  [
    'the karpenter chart (repository + name)',
    (s) =>
      new HelmRelease(s, 'KarpenterChart', {
        name: 'karpenter',
        repository: 'oci://public.ecr.aws/karpenter',
        chart: 'karpenter',
        namespace: 'kube-system',
      }),
    `helm_release 'workloads/KarpenterChart' (chart 'karpenter')`,
  ],
  [
    'the karpenter-crd chart by OCI path',
    (s) =>
      new HelmRelease(s, 'Crds', {
        name: 'karpenter-crd',
        chart: 'oci://public.ecr.aws/karpenter/karpenter-crd',
      }),
    `helm_release 'workloads/Crds' (chart 'oci://public.ecr.aws/karpenter/karpenter-crd')`,
  ],
  [
    'a kubernetes_manifest of the NodePool CRD',
    (s) =>
      new Manifest(s, 'NodePoolCrd', {
        manifest: {
          apiVersion: 'apiextensions.k8s.io/v1',
          kind: 'CustomResourceDefinition',
          metadata: { name: 'nodepools.karpenter.sh' },
          spec: { group: 'karpenter.sh', names: { kind: 'NodePool', plural: 'nodepools' }, scope: 'Cluster' },
        },
      }),
    `kubernetes_manifest 'workloads/NodePoolCrd' (CustomResourceDefinition of karpenter.sh)`,
  ],
  [
    'a kubectl_manifest of the EC2NodeClass CRD',
    (s) =>
      new RawTerraformResource(s, 'NodeClassCrd', 'kubectl_manifest', 'kubectl', {
        yaml_body: [
          'apiVersion: apiextensions.k8s.io/v1',
          'kind: CustomResourceDefinition',
          'metadata:',
          '  name: ec2nodeclasses.karpenter.k8s.aws',
          'spec:',
          '  group: karpenter.k8s.aws',
          '  scope: Cluster',
        ].join('\n'),
      }),
    `kubectl_manifest 'workloads/NodeClassCrd' (CustomResourceDefinition of karpenter.k8s.aws)`,
  ],
  [
    'EKS Blueprints Addons with enable_karpenter',
    (s) =>
      new TerraformHclModule(s, 'Addons', {
        source: 'aws-ia/eks-blueprints-addons/aws',
        version: '1.23.0',
        variables: { cluster_name: 'gpu', enable_karpenter: true },
      }),
    `module 'workloads/Addons' (enable_karpenter)`,
  ],
];

describe("KarpenterGpuNodePool refuses a stack that installs Karpenter's CRDs", () => {
  test.each(INSTALLERS)('%s, declared before the pool: a ValidationError', (_name, install, named) => {
    const s = setup();
    install(s.workloads);
    const e = validationErrorOf(() => poolIn(s.workloads, s.karpenter));
    expect(e.constructPath).toBe('workloads/H100');
    expect(e.detail).toContain(`the pool's stack 'workloads' installs Karpenter's CRDs (${named})`);
    expect(e.detail).toMatch(PLAN_TIME);
  });

  test.each(INSTALLERS)('%s, declared after the pool: synth fails', (_name, install, named) => {
    const s = setup();
    poolIn(s.workloads, s.karpenter);
    install(s.workloads);
    const message = synthError(s.workloads);
    expect(message).toContain(
      `workloads/H100: the pool's stack 'workloads' installs Karpenter's CRDs (${named})`,
    );
    expect(message).toMatch(PLAN_TIME);
  });

  test("also when the IKarpenter is a Karpenter in another stack (its chart there, another in the pool's)", () => {
    const s = setup();
    const platform = new TerraformStack(s.app, 'platform');
    new HelmProvider(platform, 'helm', {});
    const karpenter = new Karpenter(platform, 'Karpenter', { cluster: s.cluster });
    INSTALLERS[0][1](s.workloads);
    expect(() => poolIn(s.workloads, karpenter)).toThrow(ValidationError);
  });

  test('a Helm resource under the IKarpenter added after the pool fails synth, naming it as before', () => {
    const s = setup();
    poolIn(s.workloads, s.karpenter);
    new HelmRelease(s.karpenter, 'Chart', { name: 'anything', chart: 'my-wrapper' });
    expect(synthError(s.workloads)).toContain(
      `workloads/H100: 'karpenter' ('workloads/Karpenter') installs Karpenter in the pool's stack 'workloads' (helm_release 'workloads/Karpenter/Chart')`,
    );
  });
});

describe('KarpenterGpuNodePool accepts a stack that installs other things', () => {
  test('other charts, CRDs of other groups, other modules: the pool synthesizes', () => {
    const s = setup();
    new HelmRelease(s.workloads, 'DevicePlugin', {
      name: 'nvidia-device-plugin',
      chart: 'nvidia-device-plugin',
    });
    new HelmRelease(s.workloads, 'NotKarpenter', {
      name: 'karpenter-dashboards',
      chart: 'karpenter-dashboards',
    });
    new Manifest(s.workloads, 'OtherCrd', {
      manifest: {
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'mpijobs.kubeflow.org' },
        spec: { group: 'kubeflow.org' },
      },
    });
    new TerraformHclModule(s.workloads, 'Addons', {
      source: 'aws-ia/eks-blueprints-addons/aws',
      variables: { enable_karpenter: false, enable_aws_load_balancer_controller: true },
    });
    poolIn(s.workloads, s.karpenter);
    const json = synthJson(s.workloads);
    expect(
      Object.values(resourcesOf(json, 'kubernetes_manifest'))
        .map((r: any) => r.manifest.kind)
        .sort(),
    ).toEqual(['CustomResourceDefinition', 'EC2NodeClass', 'NodePool']);
  });

  test("reading the stack's resources leaves their logical ids open to overrideLogicalId", () => {
    const s = setup();
    const release = new HelmRelease(s.workloads, 'DevicePlugin', {
      name: 'nvidia-device-plugin',
      chart: 'nvidia-device-plugin',
    });
    poolIn(s.workloads, s.karpenter);
    release.overrideLogicalId('device_plugin');
    expect(Object.keys(resourcesOf(synthJson(s.workloads), 'helm_release'))).toEqual(['device_plugin']);
  });

  test('two pools on one external Karpenter in one stack', () => {
    const s = setup();
    poolIn(s.workloads, s.karpenter, 'A');
    poolIn(s.workloads, s.karpenter, 'B');
    expect(synthError(s.workloads)).toBeUndefined();
  });
});
