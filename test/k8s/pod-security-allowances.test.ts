import { Accelerator } from '../../lib/core';
import {
  GkeGpuDirectTransport,
  GkeNcclPlugin,
  ServingFabric,
  TrainingJob,
  TrainingJobProps,
} from '../../lib/k8s';
import { synthJson } from '../util';
import { platformAndWorkloads } from './helpers';
import {
  DEFAULT_POD_SECURITY_ALLOWANCES,
  FABRIC_IPC_LOCK,
  GKE_GPUDIRECT,
  checkPodsOfStacks,
} from './pod-security-standards';

// checkPodsOfStacks: the exceptions to "restricted" are named allowances, each covering one kind
// of pod, so GPUDirect and fabric pods go through the same generic check as every other pod.

const RESTRICTED_CONTAINER = {
  name: 'app',
  image: 'example.com/app:1.0',
  securityContext: {
    allowPrivilegeEscalation: false,
    runAsNonRoot: true,
    seccompProfile: { type: 'RuntimeDefault' },
    capabilities: { drop: ['ALL'] },
  },
};

/** A stack JSON with one namespace (its enforce label) and one Deployment-like manifest holding `spec`. */
function stack(enforce: string, spec: any): any {
  return {
    resource: {
      kubernetes_namespace_v1: {
        ns: { metadata: { name: 'apps', labels: { 'pod-security.kubernetes.io/enforce': enforce } } },
      },
      kubernetes_manifest: {
        pod: { manifest: { metadata: { namespace: 'apps' }, spec: { template: { spec } } } },
      },
    },
  };
}

/** A restricted container that also adds `caps`, requesting `resources`. */
function adding(caps: string[], resources: Record<string, string> = {}): any {
  return {
    ...RESTRICTED_CONTAINER,
    resources: { limits: resources },
    securityContext: { ...RESTRICTED_CONTAINER.securityContext, capabilities: { drop: ['ALL'], add: caps } },
  };
}

describe('checkPodsOfStacks allowances', () => {
  test('a restricted pod passes in a restricted namespace', () => {
    expect(checkPodsOfStacks([stack('restricted', { containers: [RESTRICTED_CONTAINER] })])).toEqual({
      pods: 1,
      problems: [],
    });
  });

  test('IPC_LOCK is refused in a pod that requests no fabric device', () => {
    const { problems } = checkPodsOfStacks([stack('privileged', { containers: [adding(['IPC_LOCK'])] })]);
    expect(problems).toEqual([expect.stringMatching(/B4 containers\[app\]: adds IPC_LOCK$/)]);
  });

  test.each([
    ['EFA', { 'vpc.amazonaws.com/efa': '32' }],
    ['RDMA', { 'rdma/ib': '8' }],
  ])('a pod requesting %s devices may add IPC_LOCK, in a namespace enforcing privileged', (_n, resources) => {
    const spec = { containers: [adding(['IPC_LOCK'], resources)] };
    expect(checkPodsOfStacks([stack('privileged', spec)]).problems).toEqual([]);
    expect(checkPodsOfStacks([stack('baseline', spec)]).problems).toEqual([
      expect.stringMatching(/a privileged pod in namespace 'apps' enforcing baseline$/),
    ]);
    // Without the allowance the capability is reported.
    expect(checkPodsOfStacks([stack('privileged', spec)], [GKE_GPUDIRECT]).problems).toEqual([
      expect.stringMatching(/adds IPC_LOCK$/),
    ]);
  });

  test('the allowance tolerates IPC_LOCK only: another capability of a fabric pod is reported', () => {
    const spec = { containers: [adding(['IPC_LOCK', 'SYS_ADMIN'], { 'rdma/ib': '8' })] };
    expect(checkPodsOfStacks([stack('privileged', spec)]).problems).toEqual([
      expect.stringMatching(/B4 containers\[app\]: adds SYS_ADMIN$/),
    ]);
  });

  test('a pod breaking only restricted rules is baseline: admitted where baseline is enforced', () => {
    const spec = {
      containers: [
        {
          ...RESTRICTED_CONTAINER,
          securityContext: { ...RESTRICTED_CONTAINER.securityContext, allowPrivilegeEscalation: true },
        },
      ],
    };
    const problems = checkPodsOfStacks([stack('baseline', spec)]).problems;
    expect(problems).toEqual([
      expect.stringMatching(/R2 containers\[app\]: allowPrivilegeEscalation not false$/),
    ]);
  });

  test('every default allowance is named and says why', () => {
    expect(DEFAULT_POD_SECURITY_ALLOWANCES).toEqual([FABRIC_IPC_LOCK, GKE_GPUDIRECT]);
    for (const a of DEFAULT_POD_SECURITY_ALLOWANCES) {
      expect(a.name.length).toBeGreaterThan(0);
      expect(a.reason.length).toBeGreaterThan(20);
      expect(a.tolerates.length).toBeGreaterThan(0);
    }
  });
});

describe('GKE GPUDirect training pods pass the generic check with their named exceptions', () => {
  const MACHINES = {
    TCPX: {
      machineType: 'a3-highgpu-8g',
      networks: ['vpc1', 'vpc2', 'vpc3', 'vpc4'],
      accelerator: Accelerator.H100,
    },
    TCPXO: {
      machineType: 'a3-megagpu-8g',
      networks: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => `vpc${i}`),
      accelerator: Accelerator.H100,
    },
    RDMA: {
      machineType: 'a3-ultragpu-8g',
      networks: ['gvnic-1', ...[0, 1, 2, 3, 4, 5, 6, 7].map((i) => `rdma-${i}`)],
      accelerator: Accelerator.H200,
    },
  } as const;

  function trainingJson(kind: keyof typeof MACHINES, props: Partial<TrainingJobProps> = {}): any {
    const { platform, workloads } = platformAndWorkloads();
    const m = MACHINES[kind];
    new TrainingJob(workloads, 'Pretrain', {
      image: 'pytorch/pytorch:2.13.0-cuda13.0-cudnn9-runtime',
      command: ['torchrun', 'train.py'],
      nodes: 2,
      gpusPerNode: 8,
      accelerator: m.accelerator,
      checkpoint: { uri: 'gs://ckpt/llama/' },
      namespace: 'apps',
      fabric: ServingFabric.gkeDeviceNetworks({
        machineType: m.machineType,
        networks: [...m.networks],
        ncclPlugin: new GkeNcclPlugin(platform, 'NcclPlugin', { transport: GkeGpuDirectTransport[kind] }),
      }),
      ...props,
    });
    return synthJson(workloads);
  }

  /** The namespace declaration the pods run in (a stack of the app would hold it). */
  const namespace = (enforce: string) => ({
    resource: {
      kubernetes_namespace_v1: {
        ns: { metadata: { name: 'apps', labels: { 'pod-security.kubernetes.io/enforce': enforce } } },
      },
    },
  });

  test.each(['TCPX', 'TCPXO', 'RDMA'] as const)('%s: no problem in a privileged namespace', (kind) => {
    const json = trainingJson(kind);
    const { pods, problems } = checkPodsOfStacks([json, namespace('privileged')]);
    expect(pods).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  test.each(['TCPX', 'TCPXO', 'RDMA'] as const)('%s: refused by a namespace enforcing restricted', (kind) => {
    const { problems } = checkPodsOfStacks([trainingJson(kind), namespace('restricted')]);
    expect(problems).toContainEqual(
      expect.stringMatching(/a privileged pod in namespace 'apps' enforcing restricted$/),
    );
  });

  test('without the allowances the host paths and the RxDM sidecar are reported', () => {
    const { problems } = checkPodsOfStacks([trainingJson('TCPXO'), namespace('privileged')], []);
    expect(problems).toContainEqual(expect.stringMatching(/B5 volume gpudirect-sys: hostPath$/));
    expect(problems).toContainEqual(
      expect.stringMatching(/B4 initContainers\[tcpxo-daemon\]: adds NET_ADMIN$/),
    );
  });
});
