import { efaDeviceCount, efaInterfaceLayout, NetworkInterfaceType } from '../../lib/aws/efa';
import {
  awsInstanceTypeByName,
  awsInstanceTypeFor,
  compatibleInstanceTypes,
  GPU_INSTANCE_TYPES,
  supportsEfaLayout,
} from '../../lib/aws/instance-types';
import { Accelerator, GpuArchitecture, GpuInterconnect, ValidationError } from '../../lib/core';

describe('GPU_INSTANCE_TYPES', () => {
  test('has unique names', () => {
    const names = GPU_INSTANCE_TYPES.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
  });

  test.each([
    ['p5.48xlarge', 'H100', 8, 32, 32, 30400],
    ['p5e.48xlarge', 'H200', 8, 32, 32, 30400],
    ['p5en.48xlarge', 'H200', 8, 16, 16, 30400],
    ['p4d.24xlarge', 'A100_40GB', 8, 4, 4, 8000],
    ['p4de.24xlarge', 'A100_80GB', 8, 4, 4, 8000],
  ])('%s has %s x%d, %d network cards, %d EFA, %d GB NVMe', (name, acc, gpus, cards, efa, nvme) => {
    const t = awsInstanceTypeByName(name);
    expect(t.accelerator.id).toBe(acc);
    expect(t.gpuCount).toBe(gpus);
    expect(t.networkCards).toBe(cards);
    expect(t.maxEfaInterfaces).toBe(efa);
    expect(t.localNvmeGB).toBe(nvme);
  });

  test('g6e.48xlarge has 4 EFA interfaces and g6e.24xlarge 2', () => {
    expect(awsInstanceTypeByName('g6e.48xlarge').maxEfaInterfaces).toBe(4);
    expect(awsInstanceTypeByName('g6e.24xlarge').maxEfaInterfaces).toBe(2);
  });

  test('G families and p5.4xlarge have no catalogued network cards, so no EFA layout', () => {
    for (const t of GPU_INSTANCE_TYPES.filter((x) => x.name.startsWith('g') || x.name === 'p5.4xlarge')) {
      expect(supportsEfaLayout(t)).toBe(false);
    }
  });

  test('p5e.48xlarge has no price (no on-demand row in the generated table)', () => {
    expect(awsInstanceTypeByName('p5e.48xlarge').onDemandPrice).toBeUndefined();
  });

  test('every price is dated and sourced', () => {
    for (const t of GPU_INSTANCE_TYPES) {
      if (t.onDemandPrice) {
        expect(t.onDemandPrice.usd).toBeGreaterThan(0);
        expect(t.onDemandPrice.source).toContain('aws.amazon.com/ec2/pricing/on-demand');
      }
    }
  });

  test('GPU memory comes from the core accelerator, not the catalogue', () => {
    expect(awsInstanceTypeByName('g6e.2xlarge').accelerator).toBe(Accelerator.L40S);
  });
});

describe('awsInstanceTypeFor', () => {
  test.each([
    ['H100', 8, 'p5.48xlarge'],
    ['H200', 8, 'p5e.48xlarge'],
    ['A100_40GB', 8, 'p4d.24xlarge'],
    ['A100_80GB', 8, 'p4de.24xlarge'],
    ['H100', 1, 'p5.4xlarge'],
    ['L40S', 1, 'g6e.2xlarge'],
    ['L40S', 4, 'g6e.12xlarge'],
    ['L40S', 8, 'g6e.48xlarge'],
    ['A10G', 1, 'g5.2xlarge'],
    ['A10G', 4, 'g5.12xlarge'],
    ['L4', 1, 'g6.2xlarge'],
    ['L4', 8, 'g6.48xlarge'],
  ])('prefers %s x%d -> %s', (acc, gpus, name) => {
    expect(awsInstanceTypeFor(Accelerator.fromId(acc), gpus).name).toBe(name);
  });

  test('preferred G sizes have host memory >= total GPU memory', () => {
    for (const [acc, gpus] of [
      [Accelerator.L40S, 1],
      [Accelerator.A10G, 1],
      [Accelerator.L4, 1],
      [Accelerator.L40S, 4],
    ] as const) {
      const t = awsInstanceTypeFor(acc, gpus);
      expect(t.memoryGiB).toBeGreaterThanOrEqual(acc.memoryGiB * gpus);
    }
  });

  test('throws naming the GPU counts AWS offers', () => {
    expect(() => awsInstanceTypeFor(Accelerator.L40S, 2)).toThrow(/available GPU counts are 1, 4, 8/);
  });

  test('throws for an accelerator AWS does not offer', () => {
    const other = Accelerator.of({
      id: 'RTX6000ADA',
      displayName: 'RTX 6000 Ada',
      memoryMiB: 49140,
      computeCapability: { major: 8, minor: 9 },
      architecture: GpuArchitecture.ADA_LOVELACE,
      interconnect: GpuInterconnect.PCIE,
      memoryType: 'GDDR6',
    });
    expect(() => awsInstanceTypeFor(other, 1)).toThrow(ValidationError);
  });

  test('awsInstanceTypeByName throws for unknown names', () => {
    expect(() => awsInstanceTypeByName('p9.huge')).toThrow(
      /'instanceType' \('p9.huge'\) is not a AWS GPU shape/,
    );
  });
});

describe('compatibleInstanceTypes', () => {
  test('p5.48xlarge has no spot alternative', () => {
    expect(compatibleInstanceTypes(awsInstanceTypeByName('p5.48xlarge'), true).map((t) => t.name)).toEqual([
      'p5.48xlarge',
    ]);
  });

  test('p5e and p5en are not mixed under one EFA layout', () => {
    expect(compatibleInstanceTypes(awsInstanceTypeByName('p5e.48xlarge'), true).map((t) => t.name)).toEqual([
      'p5e.48xlarge',
    ]);
  });

  test('p5e can diversify to p5en without EFA', () => {
    expect(compatibleInstanceTypes(awsInstanceTypeByName('p5e.48xlarge'), false).map((t) => t.name)).toEqual([
      'p5e.48xlarge',
      'p5en.48xlarge',
    ]);
  });

  test('g6e.2xlarge diversifies to larger 1-GPU L40S sizes only', () => {
    expect(compatibleInstanceTypes(awsInstanceTypeByName('g6e.2xlarge'), false).map((t) => t.name)).toEqual([
      'g6e.2xlarge',
      'g6e.4xlarge',
      'g6e.8xlarge',
      'g6e.16xlarge',
    ]);
  });
});

describe('efaInterfaceLayout', () => {
  test.each([
    ['p5.48xlarge', 32],
    ['p5e.48xlarge', 32],
    ['p5en.48xlarge', 16],
    ['p4d.24xlarge', 4],
    ['p4de.24xlarge', 4],
  ])('%s gets one EFA device per network card (%d)', (name, cards) => {
    const layout = efaInterfaceLayout(awsInstanceTypeByName(name));
    expect(layout).toHaveLength(cards + 1);
    expect(efaDeviceCount(layout)).toBe(cards);
    expect(new Set(layout.map((l) => l.networkCardIndex)).size).toBe(cards);
  });

  test('card 0 has the ENA interface at device 0 and efa-only at device 1', () => {
    const layout = efaInterfaceLayout(awsInstanceTypeByName('p5.48xlarge'));
    expect(layout.slice(0, 2)).toEqual([
      { networkCardIndex: 0, deviceIndex: 0, interfaceType: NetworkInterfaceType.INTERFACE },
      { networkCardIndex: 0, deviceIndex: 1, interfaceType: NetworkInterfaceType.EFA_ONLY },
    ]);
  });

  test('every other card has efa-only at device 0', () => {
    const rest = efaInterfaceLayout(awsInstanceTypeByName('p5en.48xlarge')).slice(2);
    expect(rest.every((l) => l.deviceIndex === 0 && l.interfaceType === NetworkInterfaceType.EFA_ONLY)).toBe(
      true,
    );
    expect(rest.map((l) => l.networkCardIndex)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
  });

  test('exactly one interface carries an IP address', () => {
    const layout = efaInterfaceLayout(awsInstanceTypeByName('p4d.24xlarge'));
    expect(layout.filter((l) => l.interfaceType === NetworkInterfaceType.INTERFACE)).toHaveLength(1);
  });

  test("throws for a type without an EFA layout, listing the catalogue's EFA shapes", () => {
    expect(() => efaInterfaceLayout(awsInstanceTypeByName('g5.2xlarge'))).toThrow(
      /has no EFA network-card layout.*\(p5\.48xlarge, p5e\.48xlarge, p5en\.48xlarge, p4d\.24xlarge, p4de\.24xlarge\)/,
    );
  });
});
