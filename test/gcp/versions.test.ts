import { GpuDirect } from '../../lib/gcp/machine-types';
import { belowGpuDirectFloor, parseGkeVersion } from '../../lib/gcp/private/versions';

describe('GPUDirect GKE version floors (reference/gcp.md §5)', () => {
  test('parses full GKE versions only', () => {
    expect(parseGkeVersion('1.30.14-gke.1922000')).toEqual([1, 30, 14, 1922000]);
    expect(parseGkeVersion('1.30')).toBeUndefined();
  });

  test('flags an A3 Mega version below the floor of its minor', () => {
    expect(belowGpuDirectFloor(GpuDirect.TCPXO, '1.30.14-gke.1921999')).toBe('1.30.14-gke.1922000');
  });

  test('accepts an A3 Mega version at the floor', () => {
    expect(belowGpuDirectFloor(GpuDirect.TCPXO, '1.31.14-gke.1243000')).toBeUndefined();
  });

  test('flags minors older than the table', () => {
    expect(belowGpuDirectFloor(GpuDirect.TCPXO, '1.27.16-gke.9999999')).toBe('1.28.15-gke.3163000');
  });

  test('accepts minors newer than the table', () => {
    expect(belowGpuDirectFloor(GpuDirect.TCPX, '1.33.1-gke.1000')).toBeUndefined();
  });

  test('has no floors for RDMA and ignores partial versions', () => {
    expect(belowGpuDirectFloor(GpuDirect.RDMA, '1.20.1-gke.1')).toBeUndefined();
    expect(belowGpuDirectFloor(GpuDirect.TCPX, '1.27')).toBeUndefined();
  });
});
