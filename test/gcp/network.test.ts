import { ValidationError } from '../../lib/core';
import { GpuDirect } from '../../lib/gcp/machine-types';
import { GkeNetwork, GkeNetworkProps } from '../../lib/gcp/network';
import { onlyResource, resourcesOf, synthJson } from '../util';
import { gcpStack, warningIds } from './helpers';

function net(props: Partial<GkeNetworkProps> = {}) {
  const { stack } = gcpStack();
  const n = new GkeNetwork(stack, 'Network', { project: 'my-proj', region: 'us-central1', ...props });
  return { stack, n, json: () => synthJson(stack) };
}

describe('GkeNetwork', () => {
  test('defaults to a custom-mode VPC with MTU 1460', () => {
    const vpc = onlyResource(net().json(), 'google_compute_network');
    expect(vpc).toMatchObject({
      name: 'network',
      auto_create_subnetworks: false,
      routing_mode: 'REGIONAL',
      mtu: 1460,
    });
  });

  test('carves pods, nodes and services from the default 10.0.0.0/12', () => {
    const { n, json } = net();
    expect([n.podsCidr, n.nodesCidr, n.servicesCidr]).toEqual(['10.0.0.0/13', '10.8.0.0/16', '10.9.0.0/16']);
    const sub = onlyResource(json(), 'google_compute_subnetwork');
    expect(sub).toMatchObject({
      ip_cidr_range: '10.8.0.0/16',
      private_ip_google_access: true,
      secondary_ip_range: [
        { range_name: 'pods', ip_cidr_range: '10.0.0.0/13' },
        { range_name: 'services', ip_cidr_range: '10.9.0.0/16' },
      ],
    });
  });

  test('carves ranges from a custom cidr', () => {
    const { n } = net({ cidr: '172.16.0.0/16' });
    expect([n.podsCidr, n.nodesCidr, n.servicesCidr]).toEqual([
      '172.16.0.0/17',
      '172.16.128.0/20',
      '172.16.144.0/20',
    ]);
  });

  test('creates Cloud Router and Cloud NAT for all subnet ranges', () => {
    const json = net().json();
    expect(onlyResource(json, 'google_compute_router').region).toBe('us-central1');
    expect(onlyResource(json, 'google_compute_router_nat')).toMatchObject({
      nat_ip_allocate_option: 'AUTO_ONLY',
      source_subnetwork_ip_ranges_to_nat: 'ALL_SUBNETWORKS_ALL_IP_RANGES',
    });
  });

  test('allows internal traffic from nodes, pods and services', () => {
    const fw = onlyResource(net().json(), 'google_compute_firewall');
    expect(fw.source_ranges).toEqual(['10.8.0.0/16', '10.0.0.0/13', '10.9.0.0/16']);
    expect(fw.allow).toEqual([{ protocol: 'tcp' }, { protocol: 'udp' }, { protocol: 'icmp' }]);
  });

  test('creates no GPUDirect networks by default', () => {
    const { n } = net();
    expect(n.gpuDirect).toBe(GpuDirect.NONE);
    expect(n.gpuDirectNetworks).toHaveLength(0);
  });

  test('TCPX creates 4 VPCs with one subnet each and MTU 8244', () => {
    const { n, json } = net({ gpuDirect: GpuDirect.TCPX });
    const j = json();
    const vpcs = Object.values(resourcesOf(j, 'google_compute_network'));
    expect(vpcs).toHaveLength(5);
    expect(vpcs.filter((v: any) => v.mtu === 8244)).toHaveLength(4);
    expect(n.gpuDirectNetworks.map((g) => g.kubernetesName)).toEqual(['vpc1', 'vpc2', 'vpc3', 'vpc4']);
    expect(n.gpuDirectNetworks.map((g) => g.cidr)).toEqual([
      '192.168.0.0/24',
      '192.168.1.0/24',
      '192.168.2.0/24',
      '192.168.3.0/24',
    ]);
    expect(n.gpuDirectNetworks.every((g) => g.deviceMode === 'NetDevice')).toBe(true);
  });

  test('TCPXO creates 8 VPCs with MTU 8244', () => {
    const { n, json } = net({ gpuDirect: GpuDirect.TCPXO });
    expect(n.gpuDirectNetworks).toHaveLength(8);
    const vpcs = Object.values(resourcesOf(json(), 'google_compute_network'));
    expect(vpcs.filter((v: any) => v.mtu === 8244)).toHaveLength(8);
    expect(n.gpuDirectNetworks[7]).toMatchObject({
      kubernetesName: 'vpc8',
      vpcName: 'network-vpc8',
      subnetName: 'network-vpc8-subnet',
    });
  });

  test('RDMA creates a gVNIC VPC and a RoCE VPC with the zonal network profile and 8 subnets', () => {
    const { n, json } = net({ gpuDirect: GpuDirect.RDMA, gpuDirectZone: 'us-central1-b' });
    const j = json();
    const vpcs = Object.values(resourcesOf(j, 'google_compute_network')) as any[];
    expect(vpcs).toHaveLength(3);
    const roce = vpcs.find((v) => v.network_profile);
    expect(roce).toMatchObject({
      network_profile: 'projects/my-proj/global/networkProfiles/us-central1-b-vpc-roce',
      mtu: 8896,
    });
    expect(n.gpuDirectNetworks).toHaveLength(9);
    expect(n.gpuDirectNetworks[0]).toMatchObject({ kubernetesName: 'gvnic-1', deviceMode: 'NetDevice' });
    expect(n.gpuDirectNetworks.slice(1).map((g) => g.deviceMode)).toEqual(Array(8).fill('RDMA'));
    expect(Object.keys(resourcesOf(j, 'google_compute_subnetwork'))).toHaveLength(10);
  });

  test('throws when RDMA has no gpuDirectZone', () => {
    expect(() => net({ gpuDirect: GpuDirect.RDMA })).toThrow(
      /'gpuDirectZone' is required when 'gpuDirect' is RDMA/,
    );
  });

  test('throws when gpuDirectZone is outside the region', () => {
    expect(() => net({ gpuDirect: GpuDirect.RDMA, gpuDirectZone: 'europe-west4-a' })).toThrow(
      /'gpuDirectZone' \('europe-west4-a'\) is in region 'europe-west4', not in 'us-central1'/,
    );
  });

  test('throws for a malformed cidr', () => {
    expect(() => net({ cidr: '10.0.0/12' })).toThrow(ValidationError);
    expect(() => net({ cidr: '10.0.0/12' })).toThrow(/'cidr' \('10.0.0\/12'\) is not an IPv4 CIDR block/);
  });

  test('throws for a cidr that is not a network address', () => {
    expect(() => net({ cidr: '10.1.0.0/12' })).toThrow(/Use '10.0.0.0\/12'/);
  });

  test('throws for a cidr smaller than /20', () => {
    expect(() => net({ cidr: '10.0.0.0/22' })).toThrow(/must be \/8 to \/20/);
  });

  test('throws for a public cidr', () => {
    expect(() => net({ cidr: '8.0.0.0/12' })).toThrow(/is not a private range/);
  });

  test('throws when gpuDirectCidr overlaps cidr', () => {
    expect(() => net({ gpuDirect: GpuDirect.TCPX, gpuDirectCidr: '10.0.0.0/16' })).toThrow(/overlaps 'cidr'/);
  });

  test('throws when gpuDirectCidr is smaller than /20', () => {
    expect(() => net({ gpuDirect: GpuDirect.TCPX, gpuDirectCidr: '192.168.0.0/24' })).toThrow(
      /must be \/20 or larger/,
    );
  });

  test('throws for a name too long for the derived firewall rule names', () => {
    // 49 + '-allow-internal' = 64 characters: GCE rejects it at apply.
    expect(() => net({ name: `n${'x'.repeat(48)}` })).toThrow(
      /'name' \('nx+'\) must be 1-48 lower-case letters/,
    );
  });

  test.each([
    ['TCPXO', { name: `n${'x'.repeat(47)}`, gpuDirect: GpuDirect.TCPXO }],
    ['RDMA', { name: `n${'x'.repeat(45)}`, gpuDirect: GpuDirect.RDMA, gpuDirectZone: 'us-central1-b' }],
  ])('accepts the longest %s name and every derived name fits in 63', (_k, props) => {
    const json = synthJson(net(props).stack);
    const names = Object.values(json.resource as Record<string, Record<string, any>>)
      .flatMap((rs) => Object.values(rs))
      .map((r) => r.name as string)
      .filter((n) => typeof n === 'string' && !n.includes('${'));
    expect(names.length).toBeGreaterThan(15);
    expect(names.filter((n) => n.length > 63)).toEqual([]);
  });

  test('throws for an RDMA network name over 46 characters', () => {
    expect(() =>
      net({ name: `n${'x'.repeat(46)}`, gpuDirect: GpuDirect.RDMA, gpuDirectZone: 'us-central1-b' }),
    ).toThrow(/must be 1-46 lower-case letters/);
  });

  test('throws for an invalid name', () => {
    expect(() => net({ name: 'My_Net' })).toThrow(/'name' \('My_Net'\) must be/);
  });

  test('throws for an MTU out of range', () => {
    expect(() => net({ mtu: 9000 })).toThrow(/'mtu' \(9000\) must be a whole number from 1300 to 8896/);
  });

  test('warns when GPUDirect props are set without gpuDirect', () => {
    const { stack } = net({ gpuDirectZone: 'us-central1-a' });
    expect(warningIds(stack)).toContain('gcp-gpudirect-props-unused');
  });
});

describe('GkeNetwork.deviceNetworks', () => {
  test('describes each GPUDirect network in the shape GkeDeviceNetworks takes', () => {
    const { n } = net({ gpuDirect: GpuDirect.TCPX });
    expect(n.deviceNetworks).toHaveLength(4);
    expect(n.deviceNetworks[0]).toEqual({
      name: 'vpc1',
      vpc: 'network-vpc1',
      subnet: 'network-vpc1-subnet',
      deviceMode: 'NetDevice',
    });
  });

  test('uses deviceMode RDMA for the RoCE subnets', () => {
    const { n } = net({ gpuDirect: GpuDirect.RDMA, gpuDirectZone: 'us-central1-b' });
    expect(n.deviceNetworks.map((x) => x.deviceMode)).toEqual(['NetDevice', ...Array(8).fill('RDMA')]);
    expect(n.deviceNetworks[1]).toMatchObject({
      name: 'rdma-0',
      vpc: 'network-rdma',
      subnet: 'network-rdma-subnet-0',
    });
  });

  test('is empty without GPUDirect', () => {
    expect(net().n.deviceNetworks).toEqual([]);
  });
});

describe('GkeNetwork.gpuDirectKubernetesManifests (deprecated)', () => {
  test('renders the objects GkeDeviceNetworks renders, and warns deprecated-api', () => {
    const { n, stack } = net({ gpuDirect: GpuDirect.TCPX });
    const m = n.gpuDirectKubernetesManifests();
    expect(m).toHaveLength(8);
    expect(m[0]).toEqual({
      apiVersion: 'networking.gke.io/v1',
      kind: 'GKENetworkParamSet',
      metadata: { name: 'vpc1', labels: { 'app.kubernetes.io/managed-by': 'cdktf-ai-infra' } },
      spec: { vpc: 'network-vpc1', vpcSubnet: 'network-vpc1-subnet', deviceMode: 'NetDevice' },
    });
    expect(m[1]).toMatchObject({
      kind: 'Network',
      metadata: { name: 'vpc1' },
      spec: {
        type: 'Device',
        parametersRef: { group: 'networking.gke.io', kind: 'GKENetworkParamSet', name: 'vpc1' },
      },
    });
    expect(warningIds(stack)).toContain('deprecated-api');
  });
});

describe('GkeNetwork proxy-only subnet', () => {
  test('defaults to none', () => {
    const { n, json } = net();
    expect(n.proxyOnlySubnetCidr).toBeUndefined();
    expect(
      Object.values(resourcesOf(json(), 'google_compute_subnetwork')).map((s: any) => s.purpose),
    ).toEqual([undefined]);
  });

  test('creates a REGIONAL_MANAGED_PROXY subnet in the region and admits it to ports 8000 and 9002 by default', () => {
    const { n, json } = net({ name: 'serve', proxyOnlySubnet: { cidr: '10.10.0.0/23' } });
    const j = json();
    const subnet = Object.values(resourcesOf(j, 'google_compute_subnetwork')).find(
      (s: any) => s.purpose === 'REGIONAL_MANAGED_PROXY',
    );
    expect(subnet).toMatchObject({
      name: 'serve-proxy-only',
      region: 'us-central1',
      role: 'ACTIVE',
      ip_cidr_range: '10.10.0.0/23',
    });
    const fw = Object.values(resourcesOf(j, 'google_compute_firewall')).find(
      (f: any) => f.name === 'serve-allow-proxy-only',
    );
    expect(fw).toMatchObject({
      direction: 'INGRESS',
      source_ranges: ['10.10.0.0/23'],
      allow: [{ protocol: 'tcp', ports: ['8000', '9002'] }],
    });
    expect(n.proxyOnlySubnetCidr).toBe('10.10.0.0/23');
    expect(n.ipv4Ranges).toContain('10.10.0.0/23');
  });

  test('allowedPorts sets the firewall ports; an empty list creates no rule', () => {
    const custom = net({ proxyOnlySubnet: { cidr: '10.10.0.0/23', allowedPorts: [8080] } }).json();
    expect(
      Object.values(resourcesOf(custom, 'google_compute_firewall')).find((f: any) =>
        /proxy-only/.test(f.name),
      ),
    ).toMatchObject({ allow: [{ protocol: 'tcp', ports: ['8080'] }] });
    const none = net({ proxyOnlySubnet: { cidr: '10.10.0.0/23', allowedPorts: [] } });
    expect(none.n.proxyOnlyFirewall).toBeUndefined();
  });

  test.each([
    ['10.10.0.0/27', /\/8 to \/26/],
    ['8.8.0.0/23', /not a private range/],
    ['10.9.0.0/23', /overlaps the network's range '10.9.0.0\/16'/],
    ['10.0.0.0/23', /overlaps the network's range '10.0.0.0\/13'/],
    ['10.10.0.1/23', /proxyOnlySubnet.cidr/],
    ['not-a-cidr', /proxyOnlySubnet.cidr/],
  ])('throws for cidr %s', (cidr, message) => {
    expect(() => net({ proxyOnlySubnet: { cidr } })).toThrow(ValidationError);
    expect(() => net({ proxyOnlySubnet: { cidr } })).toThrow(message);
  });

  test('throws when it overlaps a GPUDirect subnet', () => {
    expect(() =>
      net({
        gpuDirect: GpuDirect.TCPX,
        gpuDirectCidr: '192.168.0.0/16',
        proxyOnlySubnet: { cidr: '192.168.0.0/23' },
      }),
    ).toThrow(/overlaps the network's range '192.168.0.0\/24'/);
  });

  test('throws for a port outside 1-65535 or listed twice', () => {
    expect(() => net({ proxyOnlySubnet: { cidr: '10.10.0.0/23', allowedPorts: [0] } })).toThrow(
      /allowedPorts\[0\]/,
    );
    expect(() => net({ proxyOnlySubnet: { cidr: '10.10.0.0/23', allowedPorts: [8000, 8000] } })).toThrow(
      /allowedPorts/,
    );
  });

  test('limits the network name to 46 characters ("<name>-allow-proxy-only" stays within 63)', () => {
    expect(() => net({ name: 'a'.repeat(47), proxyOnlySubnet: { cidr: '10.10.0.0/23' } })).toThrow(/'name'/);
    expect(() => net({ name: 'a'.repeat(46), proxyOnlySubnet: { cidr: '10.10.0.0/23' } })).not.toThrow();
  });
});
