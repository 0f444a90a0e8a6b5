import { Accelerator, GpuArchitecture, GpuInterconnect, ValidationError } from '../../lib/core';

describe('Accelerator', () => {
  test('catalogue memory matches the EC2 MiB labels (reference/aws.md §3)', () => {
    expect(Accelerator.H100.memoryMiB).toBe(81920);
    expect(Accelerator.H200.memoryMiB).toBe(144384);
    expect(Accelerator.A100_40GB.memoryMiB).toBe(40960);
    expect(Accelerator.A100_80GB.memoryMiB).toBe(81920);
    expect(Accelerator.L40S.memoryMiB).toBe(45776);
    expect(Accelerator.A10G.memoryMiB).toBe(22888);
    expect(Accelerator.L4.memoryMiB).toBe(22888);
    expect(Accelerator.B200.memoryMiB).toBe(183359);
  });

  test('CUDA-reported memory: H100 measured (79.22 GiB), the others derived below the H100 ratio', () => {
    expect(Accelerator.H100.cudaMemoryGiB).toBe(79.22);
    expect(Accelerator.H100.cudaMemorySource).toMatch(/#12126/);
    expect(Accelerator.A100_80GB.cudaMemoryGiB).toBe(79.12);
    expect(Accelerator.L4.cudaMemoryGiB).toBe(22.1);
    expect(Accelerator.L4.cudaMemorySource).toMatch(/^derived/);
    for (const a of Accelerator.all()) {
      expect(a.cudaMemoryGiB).toBeLessThanOrEqual(a.memoryGiB);
      expect(a.cudaMemoryGiB / a.memoryGiB).toBeLessThanOrEqual(79.22 / 80 + 1e-9);
    }
  });

  test.each([
    ['H100', 8192, 1024],
    ['H200', 8192, 1024],
    ['B200', 8192, 1024],
    ['A100_80GB', 2048, 256],
    ['L40S', 2048, 256],
  ])('vLLM batch defaults on %s: %i tokens, %i sequences', (id, tokens, seqs) => {
    expect(Accelerator.fromId(id).vllmBatchDefaults).toEqual({
      maxNumBatchedTokens: tokens,
      maxNumSeqs: seqs,
    });
  });

  test('throws when cudaMemoryGiB exceeds the labelled memory', () => {
    expect(() =>
      Accelerator.of({
        id: 'X',
        displayName: 'x',
        memoryMiB: 1024,
        computeCapability: { major: 8, minor: 0 },
        architecture: GpuArchitecture.AMPERE,
        interconnect: GpuInterconnect.PCIE,
        memoryType: 'x',
        cudaMemoryGiB: 2,
      }),
    ).toThrow(
      /'cudaMemoryGiB' \(2\) must be a positive number of GiB no larger than memoryMiB \/ 1024 \(1.00\)/,
    );
  });

  test('compute capability and FP8 support', () => {
    expect(Accelerator.A10G.smText).toBe('8.6');
    expect(Accelerator.A10G.supportsFp8).toBe(false);
    expect(Accelerator.L4.supportsFp8).toBe(true);
    expect(Accelerator.L40S.supportsFp8).toBe(true);
    expect(Accelerator.H100.supportsFp8).toBe(true);
    expect(Accelerator.A100_80GB.supportsFp8).toBe(false);
  });

  test('NVLink only on the SXM parts', () => {
    expect(
      Accelerator.all()
        .filter((a) => a.hasNvlink)
        .map((a) => a.id)
        .sort(),
    ).toEqual(['A100_40GB', 'A100_80GB', 'B200', 'H100', 'H200']);
  });

  test('fromId is case-insensitive and lists known ids on a miss', () => {
    expect(Accelerator.fromId('l40s')).toBe(Accelerator.L40S);
    expect(() => Accelerator.fromId('B300')).toThrow(ValidationError);
    expect(() => Accelerator.fromId('B300')).toThrow(/Known: H100, H200, B200, A100_40GB/);
  });

  test('of() describes another GPU without registering it', () => {
    const g = Accelerator.of({
      id: 'RTX6000ADA',
      displayName: 'NVIDIA RTX 6000 Ada',
      memoryMiB: 49140,
      computeCapability: { major: 8, minor: 9 },
      architecture: GpuArchitecture.ADA_LOVELACE,
      interconnect: GpuInterconnect.PCIE,
      memoryType: 'GDDR6',
    });
    expect(g.labelValue).toBe('rtx6000ada');
    expect(Accelerator.all()).not.toContain(g);
  });

  test('throws when memoryMiB is not positive', () => {
    expect(() =>
      Accelerator.of({
        id: 'X',
        displayName: 'x',
        memoryMiB: 0,
        computeCapability: { major: 8, minor: 0 },
        architecture: GpuArchitecture.AMPERE,
        interconnect: GpuInterconnect.PCIE,
        memoryType: 'x',
      }),
    ).toThrow(/'memoryMiB' \(0\) must be a positive number/);
  });
});
