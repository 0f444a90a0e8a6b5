import { TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import { Accelerator, ValidationError } from '../../lib/core';
import {
  ISlurmOperator,
  MonitoringStack,
  PodSecurityLevel,
  SLURM_GRES_CONF,
  SLURM_HELM_CHARTS,
  SLURM_IMAGES,
  SlurmCluster,
  SlurmClusterProps,
  SlurmLoginServiceType,
  SlurmNodeSetOptions,
  SlurmOperator,
  imageRef,
  podSecurityLabels,
} from '../../lib/k8s';
import { validateKubernetesObject } from '../consumers/k8s-schema';
import { resourcesOf, synthJson } from '../util';
import { clusterStack, platformAndWorkloads, warningsOf } from './helpers';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ2x3kq alice@example.com';
const H100: SlurmNodeSetOptions = { accelerator: Accelerator.H100, replicas: 4, gpusPerNode: 8 };

function manifests(stack: TerraformStack): Record<string, any> {
  const out: Record<string, any> = {};
  for (const m of Object.values(resourcesOf(synthJson(stack), 'kubernetes_manifest')) as any[]) {
    out[m.manifest.kind] = m.manifest;
  }
  return out;
}

function cluster(props: SlurmClusterProps = {}, nodeSet: Partial<SlurmNodeSetOptions> | null = {}) {
  const { platform, workloads } = platformAndWorkloads();
  const operator = new SlurmOperator(platform, 'Slurm');
  const c = new SlurmCluster(workloads, 'Research', { operator, ...props });
  if (nodeSet) c.addNodeSet('H100', { ...H100, ...nodeSet });
  return { c, platform, workloads, operator, json: synthJson(workloads), m: manifests(workloads) };
}

describe('SlurmOperator', () => {
  const { platform } = platformAndWorkloads();
  const op = new SlurmOperator(platform, 'Slurm');
  const json = synthJson(platform);
  const releases = resourcesOf(json, 'helm_release');
  const crds = Object.values(releases).find((r: any) => r.chart === 'slurm-operator-crds');
  const operator = Object.values(releases).find((r: any) => r.chart === 'slurm-operator');

  test('installs the pinned CRDs chart, protected from destroy, then the operator chart', () => {
    expect(crds).toMatchObject({
      repository: SLURM_HELM_CHARTS.slurmOperatorCrds.repository,
      version: '1.2.1',
      lifecycle: { prevent_destroy: true },
    });
    expect(operator.version).toBe(SLURM_HELM_CHARTS.slurmOperator.version);
    expect(operator.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^helm_release\.Slurm_Crds_/)]),
    );
  });

  test('defaults: namespace slinky enforcing restricted, no cert-manager, every namespace watched', () => {
    expect(op.namespace).toBe('slinky');
    expect(op.watchedNamespaces).toEqual([]);
    expect(op.podSecurityLevel).toBe(PodSecurityLevel.RESTRICTED);
    const ns = Object.values(resourcesOf(json, 'kubernetes_namespace_v1'))[0] as any;
    expect(ns.metadata).toMatchObject({
      name: 'slinky',
      labels: podSecurityLabels(PodSecurityLevel.RESTRICTED),
    });
    const values = operator.values[0];
    expect(values).toContain('certManager:\n  enabled: false');
    expect(values).not.toContain('namespaces');
    expect(values).not.toMatch(/[&*]a\d/); // no YAML anchors: each block written out
  });

  test('hardens the operator and webhook pods to restricted', () => {
    const { parse } = jest.requireActual('yaml');
    const v = parse(operator.values[0]);
    for (const part of [v.operator, v.webhook]) {
      expect(part.podSecurityContext).toEqual({
        runAsNonRoot: true,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(part.securityContext).toEqual({
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  test('watchNamespaces and certManager reach the chart', () => {
    const { platform: p } = platformAndWorkloads();
    new SlurmOperator(p, 'Slurm', {
      watchNamespaces: ['slurm', 'research'],
      certManager: true,
      namespace: 'ops',
    });
    const r = Object.values(resourcesOf(synthJson(p), 'helm_release')).find(
      (x: any) => x.chart === 'slurm-operator',
    );
    expect(r.namespace).toBe('ops');
    expect(r.values[0]).toContain('namespaces: slurm,research');
    expect(r.values[0]).toContain('certManager:\n  enabled: true');
  });

  test.each([
    [{ namespace: 'Bad_NS' }, /'namespace'/],
    [{ watchNamespaces: ['ok', 'Not OK'] }, /'watchNamespaces\[1\]'/],
    [{ watchNamespaces: ['a', 'a'] }, /'watchNamespaces'/],
    [{ certManager: 'yes' as any }, /'certManager'/],
  ])('throws on %j', (props, message) => {
    const { platform: p } = platformAndWorkloads();
    expect(() => new SlurmOperator(p, 'Slurm', props)).toThrow(ValidationError);
    expect(() => new SlurmOperator(clusterStack(Testing.app(), 'x'), 'Slurm', props)).toThrow(message);
  });
});

describe('SlurmCluster', () => {
  test('renders Controller and NodeSet at slinky.slurm.net/v1beta1 that the pinned schemas accept', () => {
    const { m } = cluster({ login: { rootAuthorizedKeys: [KEY] } });
    for (const kind of ['Controller', 'NodeSet', 'LoginSet']) {
      expect(m[kind].apiVersion).toBe('slinky.slurm.net/v1beta1');
      expect(validateKubernetesObject(m[kind])).toEqual([]);
    }
  });

  test('defaults: name and ClusterName from the id, namespace slurm admitting privileged pods, no accounting', () => {
    const { c, json, m } = cluster();
    expect(c.name).toBe('research');
    expect(c.clusterName).toBe('research');
    expect(c.namespace).toBe('slurm');
    expect(c.podSecurityLevel).toBe(PodSecurityLevel.PRIVILEGED);
    const ns = Object.values(resourcesOf(json, 'kubernetes_namespace_v1'))[0] as any;
    expect(ns.metadata).toMatchObject({
      name: 'slurm',
      labels: podSecurityLabels(PodSecurityLevel.PRIVILEGED),
    });
    expect(m.Controller.metadata).toMatchObject({ name: 'research', namespace: 'slurm' });
    expect(m.Controller.spec.clusterName).toBe('research');
    expect(m.Controller.spec.accountingRef).toBeUndefined();
    expect(m.Accounting).toBeUndefined();
    expect(m.LoginSet).toBeUndefined();
  });

  test('warns without login nodes', () => {
    const { workloads } = cluster();
    expect(warningsOf(workloads).join('\n')).toMatch(/k8s-slurm-no-login/);
  });

  test('state: an 8 GiB ReadWriteOnce claim protected from destroy, used as existingClaim', () => {
    const { json, m, c } = cluster();
    const pvc = Object.values(resourcesOf(json, 'kubernetes_persistent_volume_claim_v1'))[0] as any;
    expect(pvc.metadata.name).toBe('research-statesave');
    expect(pvc.spec.resources.requests.storage).toBe('8Gi');
    expect(pvc.spec.access_modes).toEqual(['ReadWriteOnce']);
    expect(pvc.lifecycle).toEqual({ prevent_destroy: true });
    expect(pvc.wait_until_bound).toBe(false);
    expect(m.Controller.spec.persistence).toEqual({ enabled: true, existingClaim: 'research-statesave' });
    expect(c.stateClaim).toBeDefined();
  });

  test('state storage size, class and protection are settable', () => {
    const { json } = cluster({
      stateStorage: { sizeGiB: 20, storageClassName: 'gp3', protectFromDestroy: false },
    });
    const pvc = Object.values(resourcesOf(json, 'kubernetes_persistent_volume_claim_v1'))[0] as any;
    expect(pvc.spec).toMatchObject({
      storage_class_name: 'gp3',
      resources: { requests: { storage: '20Gi' } },
    });
    expect(pvc.lifecycle).toEqual({ prevent_destroy: false });
  });

  test('generates the auth/slurm and JWT keys as 1024-character random passwords in immutable Secrets', () => {
    const { json, m } = cluster();
    const pw = Object.values(resourcesOf(json, 'random_password')) as any[];
    expect(pw).toHaveLength(2);
    pw.forEach((p) => expect(p).toMatchObject({ length: 1024, special: true }));
    expect(json.terraform.required_providers.random).toEqual({
      source: 'hashicorp/random',
      version: '3.7.1',
    });
    const secrets = Object.values(resourcesOf(json, 'kubernetes_secret_v1')) as any[];
    const names = secrets.map((s) => s.metadata.name).sort();
    expect(names).toEqual(['research-auth-jwt', 'research-auth-slurm']);
    secrets.forEach((s) => expect(s.immutable).toBe(true));
    expect(m.Controller.spec.slurmKeyRef).toEqual({ name: 'research-auth-slurm', key: 'slurm.key' });
    expect(m.Controller.spec.jwtKeyRef).toEqual({ name: 'research-auth-jwt', key: 'jwt.key' });
  });

  test('authKeys: existing Secrets are referenced and nothing is generated (the keys stay out of the state)', () => {
    const { c, json, m } = cluster({
      authKeys: {
        slurmKey: { name: 'research-auth', key: 'slurm.key' },
        jwtKey: { name: 'research-auth', key: 'jwt.key' },
      },
    });
    expect(resourcesOf(json, 'random_password')).toEqual({});
    expect(resourcesOf(json, 'kubernetes_secret_v1')).toEqual({});
    expect(json.terraform.required_providers.random).toBeUndefined();
    expect(c.slurmKeySecret).toBeUndefined();
    expect(m.Controller.spec.slurmKeyRef).toEqual({ name: 'research-auth', key: 'slurm.key' });
    expect(m.Controller.spec.jwtKeyRef).toEqual({ name: 'research-auth', key: 'jwt.key' });
  });

  test('GPUs register: gres.conf AutoDetect=nvidia referenced before the Controller exists, GresTypes=gpu, Gres on the node', () => {
    const { json, m } = cluster();
    const cm = Object.values(resourcesOf(json, 'kubernetes_config_map_v1'))[0] as any;
    expect(cm.data).toEqual({ 'gres.conf': 'AutoDetect=nvidia\n' });
    expect(SLURM_GRES_CONF).toBe('AutoDetect=nvidia\n');
    expect(m.Controller.spec.configFileRefs).toEqual([{ name: cm.metadata.name }]);
    const controller = Object.values(resourcesOf(json, 'kubernetes_manifest')).find(
      (r: any) => r.manifest.kind === 'Controller',
    ) as any;
    expect(controller.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^kubernetes_config_map_v1\.Research_GresConf_/)]),
    );
    expect(m.Controller.spec.extraConf.split('\n')).toContain('GresTypes=gpu');
    expect(m.NodeSet.spec.extraConf).toBe('Gres=gpu:h100:8');
  });

  test('the controller and its log sidecar meet restricted: UID 401, no escalation, capabilities dropped, RuntimeDefault', () => {
    const { m } = cluster();
    for (const c of [m.Controller.spec.slurmctld, m.Controller.spec.logfile]) {
      expect(c.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 401,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
    expect(m.Controller.spec.template.spec.securityContext).toEqual({
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(m.Controller.spec.slurmctld.image).toBe(imageRef(SLURM_IMAGES.slurmctld));
    // The log sidecar needs only sh, mkfifo and cat: the pinned slurmctld image, not an unpinned alpine.
    expect(m.Controller.spec.logfile.image).toBe(imageRef(SLURM_IMAGES.slurmctld));
  });

  test('the NodeSet: GPU pool selector, GPU and worker tolerations, whole-node resources, /dev/shm, partition', () => {
    const { m, c } = cluster();
    const ns = m.NodeSet;
    expect(ns.metadata.name).toBe('research-h100');
    expect(ns.spec.controllerRef).toEqual({ name: 'research' });
    expect(ns.spec.replicas).toBe(4);
    expect(ns.spec.template.spec.hostname).toBe('h100-');
    expect(ns.spec.template.spec.nodeSelector).toEqual({ 'cdktf-ai-infra/accelerator': 'h100' });
    expect(ns.spec.template.spec.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' },
      { key: 'nodeset.slinky.slurm.net/worker', operator: 'Equal', effect: 'NoExecute' },
    ]);
    const res = { 'nvidia.com/gpu': '8', cpu: '64', memory: '512Gi' };
    expect(ns.spec.slurmd.resources).toEqual({ requests: res, limits: res });
    expect(ns.spec.template.spec.volumes).toContainEqual({
      name: 'shm',
      emptyDir: { medium: 'Memory', sizeLimit: '64Gi' },
    });
    expect(ns.spec.slurmd.volumeMounts).toContainEqual({ name: 'shm', mountPath: '/dev/shm' });
    expect(ns.spec.partition).toEqual({ enabled: true, config: 'State=UP MaxTime=UNLIMITED' });
    expect(ns.spec.workloadDisruptionProtection).toBe(true);
    expect(ns.spec.slurmd.image).toBe(imageRef(SLURM_IMAGES.slurmd));
    expect(c.node.findChild('H100')).toBeDefined();
  });

  test('NodeSet options: name, default partition, no partition, cpu, memory, shm, extra resources, selector, gresType', () => {
    const { m } = cluster(
      {},
      {
        name: 'train',
        defaultPartition: true,
        cpu: '96',
        memoryGiB: 1024,
        sharedMemoryGiB: 128,
        extraResourcesPerNode: { 'vpc.amazonaws.com/efa': 32 },
        nodeSelector: { 'cdktf-ai-infra/capacity': 'reserved' },
        tolerations: [{ key: 'reserved', operator: 'Exists', effect: 'NoSchedule' }],
        gresType: 'nvidia_h100_80gb_hbm3',
      },
    );
    const ns = m.NodeSet;
    expect(ns.metadata.name).toBe('research-train');
    expect(ns.spec.template.spec.hostname).toBe('train-');
    expect(ns.spec.partition.config).toBe('State=UP MaxTime=UNLIMITED Default=YES');
    expect(ns.spec.extraConf).toBe('Gres=gpu:nvidia_h100_80gb_hbm3:8 Features=nvidia_h100_80gb_hbm3');
    expect(ns.spec.slurmd.resources.limits).toEqual({
      'nvidia.com/gpu': '8',
      cpu: '96',
      memory: '1024Gi',
      'vpc.amazonaws.com/efa': '32',
    });
    expect(ns.spec.template.spec.nodeSelector).toEqual({
      'cdktf-ai-infra/accelerator': 'h100',
      'cdktf-ai-infra/capacity': 'reserved',
    });
    expect(ns.spec.template.spec.tolerations).toHaveLength(3);
    expect(validateKubernetesObject(ns)).toEqual([]);
    const { m: m2 } = cluster({}, { partition: false, accelerator: Accelerator.A100_80GB, gpusPerNode: 4 });
    expect(m2.NodeSet.spec.partition).toEqual({ enabled: false });
    // The GPU model, a substring of the name Slurm detects ('nvidia_a100-sxm4-80gb').
    expect(m2.NodeSet.spec.extraConf).toBe('Gres=gpu:a100:4 Features=a100');
  });

  test('a shared volume (the CheckpointStore claim) is mounted on every NodeSet and login pod', () => {
    const { m } = cluster({
      sharedVolume: { claimName: 'checkpoints' },
      login: { rootAuthorizedKeys: [KEY] },
    });
    const vol = { name: 'shared', persistentVolumeClaim: { claimName: 'checkpoints' } };
    expect(m.NodeSet.spec.template.spec.volumes).toContainEqual(vol);
    expect(m.NodeSet.spec.slurmd.volumeMounts).toContainEqual({ name: 'shared', mountPath: '/checkpoints' });
    expect(m.LoginSet.spec.template.spec.volumes).toEqual([vol]);
    expect(m.LoginSet.spec.login.volumeMounts).toEqual([{ name: 'shared', mountPath: '/checkpoints' }]);
    const { m: m2 } = cluster({ sharedVolume: { claimName: 'data', mountPath: '/data' } });
    expect(m2.NodeSet.spec.slurmd.volumeMounts).toContainEqual({ name: 'shared', mountPath: '/data' });
  });

  test('login: root keys, a generated local-users sssd.conf, ClusterIP, no password logins', () => {
    const { c, json, m } = cluster({ login: { rootAuthorizedKeys: [KEY, KEY.replace('alice', 'bob')] } });
    const l = m.LoginSet;
    expect(c.loginServiceName).toBe('research-login');
    expect(l.metadata.name).toBe('research-login');
    expect(l.spec.rootSshAuthorizedKeys).toBe(`${KEY}\n${KEY.replace('alice', 'bob')}\n`);
    expect(l.spec.sssdConfRef).toEqual({ name: 'research-sssd', key: 'sssd.conf' });
    const sssd = (Object.values(resourcesOf(json, 'kubernetes_secret_v1')) as any[]).find(
      (s) => s.metadata.name === 'research-sssd',
    );
    expect(sssd.data['sssd.conf']).toMatch(/id_provider = proxy\nproxy_lib_name = files/);
    expect(l.spec.service).toEqual({ spec: { type: 'ClusterIP' } });
    expect(l.spec.extraSshdConfig).toContain('PasswordAuthentication no');
    expect(l.spec.replicas).toBe(1);
    expect(l.spec.login.image).toBe(imageRef(SLURM_IMAGES.login));
    expect(l.spec.initconf.image).toBe(imageRef(SLURM_IMAGES.login));
  });

  test('login: a site sssd.conf Secret, a private load balancer, replicas', () => {
    const { json, m } = cluster({
      login: {
        sssdConf: { name: 'ldap-sssd', key: 'sssd.conf' },
        serviceType: SlurmLoginServiceType.LOAD_BALANCER,
        serviceAnnotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' },
        replicas: 2,
      },
    });
    expect(m.LoginSet.spec.sssdConfRef).toEqual({ name: 'ldap-sssd', key: 'sssd.conf' });
    expect(m.LoginSet.spec.rootSshAuthorizedKeys).toBeUndefined();
    expect(m.LoginSet.spec.service).toEqual({
      metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internal' } },
      spec: { type: 'LoadBalancer' },
    });
    expect(m.LoginSet.spec.replicas).toBe(2);
    const names = (Object.values(resourcesOf(json, 'kubernetes_secret_v1')) as any[]).map(
      (s) => s.metadata.name,
    );
    expect(names).not.toContain('research-sssd');
    expect(validateKubernetesObject(m.LoginSet)).toEqual([]);
  });

  test('accounting: an Accounting with the platform database, referenced by the Controller', () => {
    const { m } = cluster({
      accounting: {
        host: 'slurm-db.example.internal',
        username: 'slurm',
        passwordSecret: { name: 'db', key: 'pw' },
      },
    });
    expect(m.Controller.spec.accountingRef).toEqual({ name: 'research' });
    expect(m.Accounting.spec.storageConfig).toEqual({
      host: 'slurm-db.example.internal',
      port: 3306,
      database: 'slurm_acct_db',
      username: 'slurm',
      passwordKeyRef: { name: 'db', key: 'pw' },
    });
    expect(m.Accounting.spec.slurmKeyRef).toEqual(m.Controller.spec.slurmKeyRef);
    expect(m.Accounting.spec.slurmdbd.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 401 });
    expect(validateKubernetesObject(m.Accounting)).toEqual([]);
    expect(validateKubernetesObject(m.Controller)).toEqual([]);
  });

  test('monitoring: slurmctld metrics and a ServiceMonitor with the stack selector labels', () => {
    const app = Testing.app();
    const platform = clusterStack(app, 'platform');
    const workloads = clusterStack(app, 'workloads');
    const monitoring = new MonitoringStack(platform, 'Monitoring', {});
    new SlurmCluster(workloads, 'Research', { monitoring });
    const m = manifests(workloads);
    expect(m.Controller.spec.metrics).toEqual({
      enabled: true,
      serviceMonitor: { enabled: true, labels: monitoring.selectorLabels, interval: '30s' },
    });
    expect(validateKubernetesObject(m.Controller)).toEqual([]);
    expect(workloads.dependencies).toContain(platform);
    expect(cluster().m.Controller.spec.metrics).toBeUndefined();
  });

  test('slurmConf lines are appended after GresTypes', () => {
    const { m } = cluster({
      slurmConf: { SchedulerParameters: 'bf_continue', PriorityType: 'priority/multifactor' },
    });
    expect(m.Controller.spec.extraConf).toBe(
      'GresTypes=gpu\nSchedulerParameters=bf_continue\nPriorityType=priority/multifactor',
    );
  });

  test('an existing namespace is not created; clusterName is settable', () => {
    const { json, m } = cluster({ createNamespace: false, namespace: 'hpc', clusterName: 'hpc_east' });
    expect(resourcesOf(json, 'kubernetes_namespace_v1')).toEqual({});
    expect(m.Controller.metadata.namespace).toBe('hpc');
    expect(m.Controller.spec.clusterName).toBe('hpc_east');
  });

  test('orders the workloads stack after the operator stack', () => {
    const { workloads, platform } = cluster();
    expect(workloads.dependencies).toContain(platform);
  });

  test('throws when the custom resources share the stack that installs the CRDs', () => {
    const { platform } = platformAndWorkloads();
    new SlurmOperator(platform, 'Slurm');
    expect(() => new SlurmCluster(platform, 'Research')).toThrow(/same stack as 'platform\/Slurm'/);
  });

  class FakeOperator extends Construct implements ISlurmOperator {
    constructor(
      scope: Construct,
      public readonly apiVersion: string,
      public readonly watchedNamespaces: string[] = [],
    ) {
      super(scope, 'Fake');
    }
  }

  test('throws when the operator serves another API version or does not watch the namespace', () => {
    const { platform, workloads } = platformAndWorkloads();
    expect(
      () => new SlurmCluster(workloads, 'A', { operator: new FakeOperator(platform, 'v1alpha1') }),
    ).toThrow(/serves slinky\.slurm\.net\/v1alpha1/);
    const { platform: p2, workloads: w2 } = platformAndWorkloads();
    expect(() => new SlurmCluster(w2, 'A', { operator: new FakeOperator(p2, 'v1beta1', ['other']) })).toThrow(
      /'namespace' \('slurm'\) is not one the SlurmOperator/,
    );
  });

  test.each<[string, SlurmClusterProps, RegExp]>([
    ['a name too long for the controller pod', { name: 'a'.repeat(51) }, /'name'/],
    ['a name starting with a digit', { name: '1abc' }, /'name'/],
    ['a ClusterName over 40 characters', { clusterName: 'c'.repeat(41) }, /'clusterName'.*at most 40/],
    ['a ClusterName with upper case', { clusterName: 'Research' }, /'clusterName'/],
    ['a bad namespace', { namespace: 'Slurm' }, /'namespace'/],
    ['createNamespace not a boolean', { createNamespace: 'no' as any }, /'createNamespace'/],
    ['a zero state size', { stateStorage: { sizeGiB: 0 } }, /'stateStorage.sizeGiB'/],
    [
      'a bad storage class',
      { stateStorage: { storageClassName: 'GP3!' } },
      /'stateStorage.storageClassName'/,
    ],
    [
      'protectFromDestroy not a boolean',
      { stateStorage: { protectFromDestroy: 1 as any } },
      /protectFromDestroy/,
    ],
    ['a bad shared claim', { sharedVolume: { claimName: 'Bad Claim' } }, /'sharedVolume.claimName'/],
    [
      'a relative mount path',
      { sharedVolume: { claimName: 'c', mountPath: 'ckpt' } },
      /'sharedVolume.mountPath'/,
    ],
    ['mounting over /', { sharedVolume: { claimName: 'c', mountPath: '/' } }, /'sharedVolume.mountPath'/],
    ['a slurm.conf key the operator owns', { slurmConf: { ClusterName: 'x' } }, /must not set 'ClusterName'/],
    ['GresTypes in slurmConf', { slurmConf: { grestypes: 'gpu,mps' } }, /must not set 'grestypes'/],
    ['a slurm.conf key that is not a name', { slurmConf: { 'Bad Key': 'x' } }, /'slurmConf' key 'Bad Key'/],
    ['a multi-line slurm.conf value', { slurmConf: { Foo: 'a\nNodeName=x' } }, /single line/],
    ['login without keys or sssd', { login: {} }, /nobody could log in/],
    ['a malformed public key', { login: { rootAuthorizedKeys: ['not-a-key'] } }, /rootAuthorizedKeys\[0\]/],
    [
      'a private key',
      { login: { rootAuthorizedKeys: ['-----BEGIN OPENSSH PRIVATE KEY-----'] } },
      /OpenSSH public key/,
    ],
    ['zero login replicas', { login: { rootAuthorizedKeys: [KEY], replicas: 0 } }, /'login.replicas'/],
    [
      'an unknown service type',
      { login: { rootAuthorizedKeys: [KEY], serviceType: 'ExternalName' as any } },
      /'login.serviceType'/,
    ],
    [
      'a bad service annotation key',
      { login: { rootAuthorizedKeys: [KEY], serviceAnnotations: { 'bad key': 'x' } } },
      /serviceAnnotations/,
    ],
    [
      'a bad auth key Secret',
      { authKeys: { slurmKey: { name: 'Auth', key: 'slurm.key' }, jwtKey: { name: 'a', key: 'k' } } },
      /'authKeys.slurmKey.name'/,
    ],
    ['a bad sssd Secret key', { login: { sssdConf: { name: 'x', key: 'a/b' } } }, /'login.sssdConf.key'/],
    [
      'a bad database host',
      { accounting: { host: 'db host', username: 'u', passwordSecret: { name: 'x', key: 'k' } } },
      /'accounting.host'/,
    ],
    [
      'a bad database port',
      { accounting: { host: 'db', port: 70000, username: 'u', passwordSecret: { name: 'x', key: 'k' } } },
      /'accounting.port'/,
    ],
    [
      'a bad database name',
      {
        accounting: {
          host: 'db',
          database: 'slurm-db',
          username: 'u',
          passwordSecret: { name: 'x', key: 'k' },
        },
      },
      /'accounting.database'/,
    ],
    [
      'a bad database user',
      { accounting: { host: 'db', username: "o'brien", passwordSecret: { name: 'x', key: 'k' } } },
      /'accounting.username'/,
    ],
    [
      'a bad password Secret',
      { accounting: { host: 'db', username: 'u', passwordSecret: { name: 'X', key: 'k' } } },
      /'accounting.passwordSecret.name'/,
    ],
  ])('throws on %s', (_what, props, message) => {
    const { workloads } = platformAndWorkloads();
    expect(() => new SlurmCluster(workloads, 'Research', props)).toThrow(ValidationError);
    const { workloads: w2 } = platformAndWorkloads();
    expect(() => new SlurmCluster(w2, 'Research', props)).toThrow(message);
  });

  test.each<[string, Partial<SlurmNodeSetOptions>, RegExp]>([
    ['no accelerator object', { accelerator: 'H100' as any }, /'accelerator' must be an Accelerator/],
    ['a bad name', { name: 'H100' }, /'name'/],
    ['a name too long for node names', { name: 'n'.repeat(41) }, /'name'/],
    ['negative replicas', { replicas: -1 }, /'replicas'/],
    ['zero GPUs', { gpusPerNode: 0 }, /'gpusPerNode'/],
    ['17 GPUs', { gpusPerNode: 17 }, /'gpusPerNode'/],
    [
      'shm not below memory',
      { memoryGiB: 64, sharedMemoryGiB: 64 },
      /'sharedMemoryGiB' \(64\) must be below 'memoryGiB' \(64\)/,
    ],
    ['a bad cpu quantity', { cpu: 'lots' }, /'cpu'/],
    ['a GRES type with a colon', { gresType: 'h100:80gb' }, /'gresType'/],
    ['a GRES type with a space', { gresType: 'h 100' }, /'gresType'/],
    [
      'defaultPartition without a partition',
      { partition: false, defaultPartition: true },
      /'defaultPartition' needs 'partition'/,
    ],
    [
      'GPUs in extra resources',
      { extraResourcesPerNode: { 'nvidia.com/gpu': 8 } },
      /'extraResourcesPerNode'/,
    ],
    ['a bad node selector value', { nodeSelector: { pool: 'a b' } }, /nodeSelector/],
    ['a bad toleration', { tolerations: [{ key: 'x', operator: 'Sometimes' as any }] }, /tolerations\[0\]/],
  ])('addNodeSet throws on %s', (_what, options, message) => {
    const { workloads } = platformAndWorkloads();
    const c = new SlurmCluster(workloads, 'Research');
    expect(() => c.addNodeSet('H100', { ...H100, ...options })).toThrow(ValidationError);
    expect(() => c.addNodeSet('H100b', { ...H100, ...options })).toThrow(message);
  });

  test('addNodeSet throws when cluster and NodeSet names together exceed the revision label', () => {
    const { workloads } = platformAndWorkloads();
    const c = new SlurmCluster(workloads, 'Research', { name: 'r'.repeat(20) });
    expect(() => c.addNodeSet('H100', { ...H100, name: 'n'.repeat(32) })).toThrow(
      /is 53 characters; at most 52/,
    );
    expect(() => c.addNodeSet('Ok', { ...H100, name: 'n'.repeat(31) })).not.toThrow();
  });

  test('addNodeSet throws on two NodeSets with the same name', () => {
    const { workloads } = platformAndWorkloads();
    const c = new SlurmCluster(workloads, 'Research');
    c.addNodeSet('H100', H100);
    expect(() => c.addNodeSet('Other', { ...H100, name: 'h100' })).toThrow(
      /a NodeSet named 'h100' already exists/,
    );
  });
});
