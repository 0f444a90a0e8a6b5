import { TerraformVariable } from 'cdktf';
import {
  Accelerator,
  Capacity,
  CostEstimate,
  CostLine,
  HOURS_PER_MONTH,
  ModelSpec,
  Quantization,
  sizeLlamaCpp,
} from '../../lib/core';
import { GkeCluster } from '../../lib/gcp/cluster';
import { CpuInferenceNodePool } from '../../lib/gcp/cpu-inference-node-pool';
import { GpuDirect } from '../../lib/gcp/machine-types';
import { MlflowStore, MlflowStoreProps } from '../../lib/gcp/mlflow';
import { LogManagement } from '../../lib/gcp/log-management';
import { Monitoring } from '../../lib/gcp/monitoring';
import { GkeNetwork } from '../../lib/gcp/network';
import { bootDiskGbMonthUsd } from '../../lib/gcp/private/service-prices';
import { synthJson } from '../util';
import { gcpStack, warningIds } from './helpers';

// Cost lines added for issue 11 §4 (second part): boot disks of GPU and CPU pools, and the Cloud
// SQL database of MLflow, Cloud Logging and Managed Service for Prometheus as assumption lines.

const lineOf = (lines: readonly CostLine[], item: string) => {
  const l = lines.find((x) => x.item === item);
  if (!l) throw new Error(`no line '${item}': ${lines.map((x) => x.item).join(', ')}`);
  return l;
};
const monthly = (l: CostLine, at: 'min' | 'max' = 'max') =>
  (at === 'min' ? l.minQuantity : l.maxQuantity) * l.unitPrice.usd * HOURS_PER_MONTH;

function cluster(gpuDirect?: GpuDirect) {
  const { stack } = gcpStack();
  const network = new GkeNetwork(stack, 'Network', {
    project: 'my-proj',
    region: 'us-central1',
    ...(gpuDirect ? { gpuDirect } : {}),
    ...(gpuDirect === GpuDirect.RDMA ? { gpuDirectZone: 'us-central1-b' } : {}),
  });
  return { stack, cluster: new GkeCluster(stack, 'Cluster', { network }) };
}

describe('boot disks of GPU and CPU pools (Google Cloud)', () => {
  test('an inference pool: one boot disk of the series type per node (default 200 GB pd-ssd), as many as machines', () => {
    const { stack, cluster: c } = cluster();
    c.addInferenceNodePool('Serve', { accelerator: Accelerator.L4, minNodes: 0, maxNodes: 5 });
    const lines = CostEstimate.of(stack).lines.filter((l) => l.constructPath === 'test/Cluster/Serve');
    const machine = lines.find((l) => l.item.startsWith('g2-'))!;
    const disk = lineOf(lines, 'pd-ssd boot disk, 200 GB');
    expect(disk).toMatchObject({ minQuantity: machine.minQuantity, maxQuantity: machine.maxQuantity });
    expect(disk.maxQuantity).toBe(5);
    expect(monthly(disk)).toBeCloseTo(5 * 200 * 0.17, 6);
    expect(disk.unitPrice).toMatchObject({ region: 'us-central1', asOf: '2026-12-03' });
    expect(disk.unitPrice.source).toContain('https://cloud.google.com/compute/disks-image-pricing');
    expect(disk.assumption).toMatch(/local SSDs bundled with the machine type are in its price/);
  });

  test('a training pool: bootDiskSizeGiB per node, at its fixed node count', () => {
    const { stack, cluster: c } = cluster(GpuDirect.TCPXO);
    c.addTrainingNodePool('Train', {
      accelerator: Accelerator.H100,
      machineType: 'a3-megagpu-8g',
      nodes: 4,
      zone: 'us-central1-a',
      bootDiskSizeGiB: 500,
    });
    expect(lineOf(CostEstimate.of(stack).lines, 'pd-ssd boot disk, 500 GB')).toMatchObject({
      constructPath: 'test/Cluster/Train',
      minQuantity: 4,
      maxQuantity: 4,
    });
  });

  test('an A3 Ultra training pool: machine and hyperdisk-balanced boot disks at unverified prices, each warned cost-unverified-price', () => {
    const { stack, cluster: c } = cluster(GpuDirect.RDMA);
    c.addTrainingNodePool('Ultra', {
      accelerator: Accelerator.H200,
      machineType: 'a3-ultragpu-8g',
      nodes: 2,
      zone: 'us-central1-b',
      capacity: Capacity.reservation('ultra'),
    });
    const lines = CostEstimate.of(stack).lines.filter((l) => l.constructPath === 'test/Cluster/Ultra');
    const machine = lineOf(lines, 'a3-ultragpu-8g');
    const disk = lines.find((l) => l.item.startsWith('hyperdisk-balanced boot disk, '))!;
    // quantity x unit price x 730 h
    expect(monthly(machine)).toBeCloseTo(2 * 84.81 * HOURS_PER_MONTH, 6);
    const gb = Number(/, (\d+) GB$/.exec(disk.item)![1]);
    expect(disk.maxQuantity).toBe(2);
    expect(monthly(disk)).toBeCloseTo(2 * gb * 0.08, 6);
    for (const l of [machine, disk]) {
      expect(l.unitPrice.source).toMatch(/^VERIFY: /);
      expect(l.unitPrice.asOf < '2026-12-03').toBe(true);
    }
    expect(disk.unitPrice.source).toContain('3,000 IOPS and 140 MiB/s included');
    synthJson(stack); // the warnings are added at synth
    expect(warningIds(stack).filter((w) => w === 'cost-unverified-price')).toHaveLength(2);
  });

  test('boot disk prices by type: pd-balanced, pd-ssd, hyperdisk-balanced (A3 Ultra); unknown types undefined', () => {
    expect(bootDiskGbMonthUsd('pd-balanced')).toBe(0.1);
    expect(bootDiskGbMonthUsd('pd-ssd')).toBe(0.17);
    expect(bootDiskGbMonthUsd('hyperdisk-balanced')).toBe(0.08);
    expect(bootDiskGbMonthUsd('pd-extreme')).toBeUndefined();
  });

  test('a CPU inference pool: a pd-balanced boot disk per node', () => {
    const { stack, cluster: c } = cluster();
    const p = new CpuInferenceNodePool(stack, 'CpuServe', {
      cluster: c,
      sizing: sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.GGUF_Q4_K_M }),
      diskSizeGb: 80,
    });
    const disk = lineOf(CostEstimate.of(stack).lines, 'pd-balanced boot disk, 80 GB');
    expect(disk).toMatchObject({
      constructPath: 'test/CpuServe',
      minQuantity: p.minNodes,
      maxQuantity: p.maxNodes,
    });
  });
});

describe('MLflow on Cloud SQL for PostgreSQL (Google Cloud)', () => {
  function store(props: Partial<MlflowStoreProps> = {}) {
    const { stack } = gcpStack();
    const network = GkeNetwork.fromNetworkAttributes(stack, 'Vpc', {
      project: 'acme-ml',
      region: 'us-central1',
      networkName: 'ml',
      subnetworkName: 'gke-nodes',
      podsRangeName: 'pods',
      servicesRangeName: 'services',
    });
    const c = GkeCluster.fromClusterAttributes(stack, 'Cluster', {
      network,
      clusterName: 'ml-prod',
      nodeServiceAccountEmail: 'nodes@acme-ml.iam.gserviceaccount.com',
    });
    const password = new TerraformVariable(stack, 'mlflow_db_password', { type: 'string', sensitive: true });
    new MlflowStore(stack, 'Mlflow', {
      cluster: c,
      projectNumber: '123456789012',
      bucketName: 'acme-mlflow-artifacts',
      databasePassword: password.stringValue,
      ...props,
    });
    return {
      stack,
      lines: CostEstimate.of(stack).lines.filter((l) => l.constructPath === 'test/Mlflow/Resource'),
    };
  }

  test('defaults: db-custom-2-7680 priced from its vCPUs and memory, 20 GB of SSD storage, zonal', () => {
    const { lines } = store();
    const db = lineOf(lines, 'Cloud SQL for PostgreSQL db-custom-2-7680 (Enterprise)');
    expect(db).toMatchObject({ minQuantity: 1, maxQuantity: 1, pricingModel: 'ON_DEMAND' });
    expect(db.unitPrice.usd).toBeCloseTo(2 * 0.0413 + 7.5 * 0.007, 9);
    expect(db.assumption).toBe('2 vCPU and 7.5 GB memory; zonal');
    const disk = lineOf(lines, 'Cloud SQL SSD storage, 20 GB');
    expect(monthly(disk)).toBeCloseTo(20 * 0.17, 6);
    expect(disk.unitPrice.source).toMatch(
      /sql_database_instance_test\.golden .*https:\/\/cloud\.google\.com\/sql\/pricing$/,
    );
    expect(disk.assumption).toMatch(
      /backups and point-in-time-recovery logs are billed as used, not included/,
    );
  });

  test('high availability doubles the instance and its storage', () => {
    const { lines } = store({ highAvailability: true, tier: 'db-custom-4-16384', diskSizeGiB: 100 });
    const db = lineOf(lines, 'Cloud SQL for PostgreSQL db-custom-4-16384 (Enterprise)');
    expect(db).toMatchObject({ minQuantity: 2, maxQuantity: 2 });
    expect(db.unitPrice.usd).toBeCloseTo(4 * 0.0413 + 16 * 0.007, 9);
    expect(lineOf(lines, 'Cloud SQL SSD storage, 100 GB')).toMatchObject({ minQuantity: 2, maxQuantity: 2 });
  });

  test('a tier given as an unresolved token: warning gcp-no-price, storage still priced', () => {
    const { stack } = gcpStack('t');
    const tier = new TerraformVariable(stack, 'tier', { type: 'string' }).stringValue;
    const { stack: s, lines } = store({ tier });
    expect(lines.some((l) => l.item.startsWith('Cloud SQL for PostgreSQL'))).toBe(false);
    expect(lineOf(lines, 'Cloud SQL SSD storage, 20 GB')).toBeDefined();
    expect(warningIds(s)).toContain('gcp-no-price');
  });
});

describe('Cloud Logging and Managed Service for Prometheus ingestion (Google Cloud)', () => {
  test('LogManagement: an assumption line at the _Default bucket, $50 per 100 GiB, nothing in the totals', () => {
    const { stack } = gcpStack();
    new LogManagement(stack, 'Logs', { project: 'acme-ml' });
    const l = lineOf(CostEstimate.of(stack).lines, 'Cloud Logging ingestion, per 100 GiB');
    expect(l).toMatchObject({ constructPath: 'test/Logs/DefaultBucket', minQuantity: 0, maxQuantity: 0 });
    expect(l.unitPrice.usd * HOURS_PER_MONTH).toBeCloseTo(50, 6);
    expect(l.unitPrice).toMatchObject({ asOf: '2026-12-03', region: 'us-central1' });
    expect(l.unitPrice.source).toMatch(/^https:\/\/cloud\.google\.com\/stackdriver\/pricing/);
    expect(l.assumption).toMatch(/beyond the free 50 GiB per project/);
    expect(CostEstimate.of(stack).monthlyUsd('max')).toBe(0);
  });

  test('Monitoring: Managed Service for Prometheus samples as an assumption line, $150 per billion', () => {
    const { stack } = gcpStack();
    new Monitoring(stack, 'Alerts', { emails: ['oncall@example.com'] });
    const l = lineOf(
      CostEstimate.of(stack).lines,
      'Managed Service for Prometheus samples ingested, per billion',
    );
    expect(l).toMatchObject({ constructPath: 'test/Alerts', minQuantity: 0, maxQuantity: 0 });
    expect(l.unitPrice.usd * HOURS_PER_MONTH).toBeCloseTo(150, 6);
  });
});
