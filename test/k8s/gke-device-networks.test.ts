import { DeviceNetworkMode, GkeDeviceNetworks, GkeDeviceNetworksProps } from '../../lib/k8s';
import { resourcesOf, synthJson } from '../util';
import { platformAndWorkloads, warningsOf } from './helpers';

const MEGA = Array.from({ length: 8 }, (_, i) => ({
  name: `vpc${i + 1}`,
  vpc: `train-gpu-${i + 1}`,
  subnet: `train-gpu-${i + 1}-sub`,
}));

function build(props: GkeDeviceNetworksProps) {
  const { workloads } = platformAndWorkloads();
  new GkeDeviceNetworks(workloads, 'GpuDirect', props);
  const json = synthJson(workloads);
  const all = Object.values(resourcesOf(json, 'kubernetes_manifest')) as any[];
  return { workloads, all, manifests: all.map((m) => m.manifest) };
}

describe('GkeDeviceNetworks', () => {
  test('a GKENetworkParamSet and a Device Network per extra NIC', () => {
    const { manifests } = build({ networks: MEGA, machineType: 'a3-megagpu-8g' });
    const sets = manifests.filter((m) => m.kind === 'GKENetworkParamSet');
    const nets = manifests.filter((m) => m.kind === 'Network');
    expect(sets).toHaveLength(8);
    expect(nets).toHaveLength(8);
    expect(sets.find((s) => s.metadata.name === 'vpc1').spec).toEqual({
      vpc: 'train-gpu-1',
      vpcSubnet: 'train-gpu-1-sub',
      deviceMode: 'NetDevice',
    });
    expect(nets.find((n) => n.metadata.name === 'vpc1').spec).toEqual({
      type: 'Device',
      parametersRef: { group: 'networking.gke.io', kind: 'GKENetworkParamSet', name: 'vpc1' },
    });
    expect(sets[0].apiVersion).toBe('networking.gke.io/v1');
  });

  test('throws for a network name longer than 41 characters (GKE limit for Device networks)', () => {
    // GKE builds a UNIX domain socket path from a Device network's name; Linux caps socket paths
    // at 107 bytes, so GKE requires Device network names of at most 41 characters
    // (cloud.google.com/kubernetes-engine/docs/how-to/setup-multinetwork-support-for-pods, limitations).
    const ok = 'a'.repeat(41);
    expect(() => build({ networks: [{ name: ok, vpc: 'v', subnet: 's' }] })).not.toThrow();
    expect(() => build({ networks: [{ name: `${ok}b`, vpc: 'v', subnet: 's' }] })).toThrow(
      /'networks\[\]\.name' \('a{41}b'\) must be at most 41/,
    );
  });

  test('each Network depends on its param set', () => {
    const { all } = build({ networks: MEGA.slice(0, 1) });
    const net = all.find((m) => m.manifest.kind === 'Network');
    expect(net.depends_on).toEqual([expect.stringMatching(/^kubernetes_manifest\.GpuDirect_ParamSet-vpc1/)]);
  });

  test('RDMA networks for A3 Ultra', () => {
    const networks = [
      { name: 'gvnic-1', vpc: 'gvnic', subnet: 'gvnic-sub' },
      ...Array.from({ length: 8 }, (_, i) => ({
        name: `rdma-${i}`,
        vpc: 'roce',
        subnet: `roce-sub-${i}`,
        deviceMode: DeviceNetworkMode.RDMA,
      })),
    ];
    const { manifests, workloads } = build({ networks, machineType: 'a3-ultragpu-8g' });
    expect(
      manifests.find((m) => m.metadata.name === 'rdma-0' && m.kind === 'GKENetworkParamSet').spec.deviceMode,
    ).toBe('RDMA');
    expect(warningsOf(workloads).join('\n')).not.toMatch(/k8s-gpudirect-network-count/);
  });

  test('warns when the network count does not match the machine layout', () => {
    const { workloads } = build({ networks: MEGA.slice(0, 4), machineType: 'a3-megagpu-8g' });
    expect(warningsOf(workloads).join('\n')).toMatch(
      /k8s-gpudirect-network-count.*expects 8 NetDevice and 0 RDMA networks.*got 4 and 0/,
    );
  });

  test('throws on an unknown machine type', () => {
    expect(() => build({ networks: MEGA, machineType: 'n2-standard-8' })).toThrow(
      /'machineType' \('n2-standard-8'\) has no known GPUDirect layout/,
    );
  });

  test('throws on no networks', () => {
    expect(() => build({ networks: [] })).toThrow(/'networks' is empty/);
  });

  test('throws on duplicate names', () => {
    expect(() => build({ networks: [MEGA[0], MEGA[0]] })).toThrow(/lists 'vpc1' twice/);
  });

  test('throws on an empty subnet', () => {
    expect(() => build({ networks: [{ ...MEGA[0], subnet: '' }] })).toThrow(
      /'networks\[0\].subnet' must not be empty or blank/,
    );
  });
});
