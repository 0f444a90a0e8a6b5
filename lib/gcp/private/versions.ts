import { GpuDirect } from '../machine-types';

/**
 * Minimum GKE patch per minor for GPUDirect node pools, from Cluster Toolkit `gpu_direct.tf`
 * (updated after security bulletins, CT#5284), reference/gcp.md §5.
 */
export const GPUDIRECT_VERSION_FLOORS: Partial<Record<GpuDirect, readonly string[]>> = {
  [GpuDirect.TCPX]: ['1.27.16-gke.2874000', '1.28.15-gke.3163000', '1.29.15-gke.2467000'],
  [GpuDirect.TCPXO]: [
    '1.28.15-gke.3163000',
    '1.29.15-gke.2467000',
    '1.30.14-gke.1922000',
    '1.31.14-gke.1243000',
    '1.32.11-gke.1174000',
  ],
};

type Parsed = [number, number, number, number];

/** Parses `1.30.14-gke.1922000` into [1, 30, 14, 1922000]; undefined when not a full GKE version. */
export function parseGkeVersion(v: string): Parsed | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)-gke\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : undefined;
}

function cmp(a: Parsed, b: Parsed): number {
  for (let i = 0; i < 4; i++) {
    if (a[i] !== b[i]) {
      return a[i] - b[i];
    }
  }
  return 0;
}

/**
 * The floor a version is below, or undefined when it is acceptable or not comparable. Minors
 * older than the table are below its first entry; minors newer than the table are accepted.
 */
export function belowGpuDirectFloor(kind: GpuDirect, version: string): string | undefined {
  const floors = GPUDIRECT_VERSION_FLOORS[kind];
  const v = parseGkeVersion(version);
  if (!floors || !v) {
    return undefined;
  }
  const parsed = floors.map((f) => parseGkeVersion(f)!);
  const sameMinor = parsed.findIndex((f) => f[0] === v[0] && f[1] === v[1]);
  if (sameMinor >= 0) {
    return cmp(v, parsed[sameMinor]) < 0 ? floors[sameMinor] : undefined;
  }
  return cmp(v, parsed[0]) < 0 ? floors[0] : undefined;
}

/**
 * Whether a GKE version (`1.33`, `1.33.3` or `1.33.3-gke.1136000`) is older than a full floor
 * version; undefined when it cannot be told (a token, or a shorter version of the floor's minor).
 */
export function gkeVersionBelow(version: string, floor: string): boolean | undefined {
  const f = parseGkeVersion(floor);
  const m = /^(\d+)\.(\d+)(?:\.(\d+)(?:-gke\.(\d+))?)?$/.exec(version);
  if (!f || !m) return undefined;
  const v = [
    Number(m[1]),
    Number(m[2]),
    m[3] === undefined ? undefined : Number(m[3]),
    m[4] === undefined ? undefined : Number(m[4]),
  ];
  for (let i = 0; i < 4; i++) {
    if (v[i] === undefined) return undefined;
    if (v[i] !== f[i]) return v[i]! < f[i];
  }
  return false;
}
