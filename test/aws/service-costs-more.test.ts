import {
  CheckpointStore,
  ContainerLogs,
  CpuInferenceNodeGroup,
  GpuAmiType,
  Monitoring,
  MlflowStore,
} from '../../lib/aws';
import {
  Accelerator,
  CostEstimate,
  CostLine,
  HOURS_PER_MONTH,
  ModelSpec,
  Quantization,
  sizeLlamaCpp,
} from '../../lib/core';
import { rdsPostgresInstancePrice } from '../../lib/aws/private/service-prices';
import { renderCostTables } from '../../lib/report';
import { awsStack, clusterStack, hasWarning, network, warnings } from './util';

// Cost lines added for issue 11 §4 (second part): GPU and CPU node volumes, KMS keys, the RDS
// database of MLflow and its managed secret, CloudWatch Logs and Managed Prometheus ingestion as
// assumption lines.

const linesAt = (lines: readonly CostLine[], path: string) => lines.filter((l) => l.constructPath === path);
const lineOf = (lines: readonly CostLine[], item: string, path?: string) => {
  const l = lines.find((x) => x.item === item && (path === undefined || x.constructPath === path));
  if (!l)
    throw new Error(`no line '${item}'${path ? ` at ${path}` : ''}: ${lines.map((x) => x.item).join(', ')}`);
  return l;
};
const monthly = (l: CostLine, at: 'min' | 'max' = 'max') =>
  (at === 'min' ? l.minQuantity : l.maxQuantity) * l.unitPrice.usd * HOURS_PER_MONTH;

describe('GPU and CPU node volumes (AWS)', () => {
  test('an inference group: one gp3 root volume of rootVolumeSizeGiB (default 200) per node, min to max; RAID0 NVMe free', () => {
    const { stack, cluster } = clusterStack();
    const group = cluster.addInferenceNodeGroup('L40S', {
      accelerator: Accelerator.L40S,
      minNodes: 1,
      maxNodes: 6,
    });
    const root = lineOf(CostEstimate.of(stack).lines, 'gp3 root volume, 200 GiB', group.node.path);
    expect(root).toMatchObject({ minQuantity: 1, maxQuantity: 6, pricingModel: 'ON_DEMAND' });
    expect(monthly(root, 'max')).toBeCloseTo(6 * 200 * 0.08, 6);
    expect(root.assumption).toMatch(/RAID0 local NVMe instance store is in the instance price/);
  });

  test('rootVolumeSizeGiB and Bottlerocket: the data volume is priced, its small OS volume is said to be left out', () => {
    const { stack, cluster } = clusterStack();
    const group = cluster.addInferenceNodeGroup('L40S', {
      accelerator: Accelerator.L40S,
      amiType: GpuAmiType.BOTTLEROCKET_X86_64_NVIDIA,
      rootVolumeSizeGiB: 300,
      localStorageRaid0: false,
    });
    const v = lineOf(CostEstimate.of(stack).lines, 'gp3 data volume, 300 GiB', group.node.path);
    expect(v.assumption).toMatch(/Bottlerocket's small OS volume not counted/);
    expect(v.assumption).not.toMatch(/RAID0/);
  });

  test('a training group: one root volume per node at its fixed size', () => {
    const { stack, cluster } = clusterStack();
    const group = cluster.addTrainingNodeGroup('H100', { accelerator: Accelerator.H100, nodes: 4 });
    const root = lineOf(CostEstimate.of(stack).lines, 'gp3 root volume, 200 GiB', group.node.path);
    expect(root).toMatchObject({ minQuantity: 4, maxQuantity: 4 });
    expect(root.unitPrice.usd * HOURS_PER_MONTH).toBeCloseTo(200 * 0.08, 6);
  });

  test('a CPU inference group: its root volume per node', () => {
    const { stack, cluster } = clusterStack();
    const group = new CpuInferenceNodeGroup(stack, 'CpuInference', {
      cluster,
      sizing: sizeLlamaCpp({ model: ModelSpec.LLAMA_3_1_8B, quantization: Quantization.GGUF_Q4_K_M }),
      rootVolumeSizeGiB: 80,
    });
    expect(lineOf(CostEstimate.of(stack).lines, 'gp3 root volume, 80 GiB', group.node.path)).toMatchObject({
      minQuantity: group.minNodes,
      maxQuantity: group.maxNodes,
    });
  });
});

describe('KMS keys, logs and metrics (AWS)', () => {
  const { stack, cluster } = clusterStack();
  new CheckpointStore(stack, 'Checkpoints', { cluster });
  new ContainerLogs(stack, 'Logs', { cluster });
  new Monitoring(stack, 'Monitoring', { cluster, emails: ['oncall@example.com'] });
  const lines = CostEstimate.of(stack).lines;

  test('every customer managed key the library creates costs $1 a month', () => {
    const keys = lines.filter((l) => l.item.startsWith('KMS key'));
    expect(keys.map((k) => k.constructPath).sort()).toEqual(
      [
        'test/Checkpoints/Bucket/Key',
        'test/Cluster/SecretsKey',
        'test/Logs/Key',
        'test/Logs/Topic/Key',
        'test/Monitoring/Topic/Key',
      ].sort(),
    );
    for (const k of keys) {
      expect(monthly(k)).toBeCloseTo(1, 6);
      expect(k.unitPrice).toMatchObject({ asOf: '2026-08-21', region: 'us-east-1' });
      expect(k.unitPrice.source).toContain('https://aws.amazon.com/kms/pricing/');
    }
    expect(lineOf(lines, 'KMS key (Kubernetes secrets)').assumption).toMatch(
      /each yearly rotation adds \$1\/month/,
    );
  });

  test('the number of key lines equals the number of aws_kms_key resources', () => {
    const keys = stack.node.findAll().filter((c) => (c as any).terraformResourceType === 'aws_kms_key');
    expect(lines.filter((l) => l.item.startsWith('KMS key'))).toHaveLength(keys.length);
  });

  test('CloudWatch Logs ingestion: assumption lines for the control-plane and container log groups', () => {
    const cp = lineOf(lines, 'CloudWatch Logs ingestion (EKS control plane), per 100 GB');
    expect(cp).toMatchObject({
      constructPath: 'test/Cluster/ControlPlaneLogs',
      minQuantity: 0,
      maxQuantity: 0,
    });
    expect(cp.unitPrice.usd * HOURS_PER_MONTH).toBeCloseTo(50, 6);
    expect(cp.assumption).toMatch(/not in the totals: \$50 per 100 GB ingested/);
    expect(lineOf(lines, 'CloudWatch Logs ingestion (container logs), per 100 GB').constructPath).toBe(
      'test/Logs/Resource',
    );
  });

  test('no control-plane log line when control-plane logging is off', () => {
    const c = clusterStack({ enabledLogTypes: [] });
    expect(CostEstimate.of(c.stack).lines.some((l) => l.item.includes('EKS control plane'))).toBe(false);
  });

  test('Managed Prometheus ingestion: an assumption line marked VERIFY', () => {
    const amp = lineOf(lines, 'Managed Prometheus samples ingested, per billion');
    expect(amp).toMatchObject({ constructPath: 'test/Monitoring/Resource', minQuantity: 0, maxQuantity: 0 });
    expect(amp.unitPrice.usd * HOURS_PER_MONTH).toBeCloseTo(90, 6);
    expect(amp.unitPrice.source).toMatch(/^VERIFY: https:\/\/aws\.amazon\.com\/prometheus\/pricing\//);
  });

  test('assumption lines add nothing to the totals', () => {
    for (const l of lines.filter((x) => x.maxQuantity === 0)) {
      expect(CostEstimate.of(stack).lineMonthlyUsd(l, 'max')).toBe(0);
    }
  });
});

describe('MLflow on RDS for PostgreSQL (AWS)', () => {
  function store(props: Record<string, unknown> = {}) {
    const { stack, cluster } = clusterStack();
    new MlflowStore(stack, 'Mlflow', { cluster, ...props });
    return { stack, lines: linesAt(CostEstimate.of(stack).lines, 'test/Mlflow/Resource') };
  }

  test('defaults: one db.t4g.medium, 20 to 100 GiB of gp3 storage, the managed master secret', () => {
    const { lines } = store();
    expect(lineOf(lines, 'RDS for PostgreSQL db.t4g.medium')).toMatchObject({
      minQuantity: 1,
      maxQuantity: 1,
      unitPrice: { usd: 0.065, region: 'us-east-1', asOf: '2026-12-03' },
      assumption: 'Single-AZ',
    });
    const storage = lineOf(lines, 'RDS gp3 storage, per GiB');
    expect(storage).toMatchObject({ minQuantity: 20, maxQuantity: 100 });
    expect(monthly(storage, 'min')).toBeCloseTo(20 * 0.115, 6);
    expect(storage.assumption).toMatch(/automated backups \(7 days\) free up to the provisioned size/);
    const secret = lineOf(lines, 'Secrets Manager secret (RDS-managed master user password)');
    expect(monthly(secret)).toBeCloseTo(0.4, 6);
  });

  test('Multi-AZ: one instance at the listed Multi-AZ price, storage billed for primary and standby', () => {
    const { lines } = store({ multiAz: true, allocatedStorageGiB: 50, maxAllocatedStorageGiB: 200 });
    expect(lines.some((l) => l.item === 'RDS for PostgreSQL db.t4g.medium')).toBe(false);
    const instance = lineOf(lines, 'RDS for PostgreSQL db.t4g.medium (Multi-AZ)');
    expect(instance).toMatchObject({
      minQuantity: 1,
      maxQuantity: 1,
      unitPrice: { usd: 0.13, region: 'us-east-1', asOf: '2026-12-03' },
      assumption: 'Multi-AZ: primary and standby',
    });
    expect(instance.unitPrice.source).toMatch(
      /^Amazon RDS for PostgreSQL on-demand, Multi-AZ \(primary and standby\)/,
    );
    const storage = lineOf(lines, 'RDS gp3 storage, per GiB');
    expect(storage).toMatchObject({ minQuantity: 100, maxQuantity: 400 });
    expect(storage.assumption).toMatch(/\$46\.00 Single-AZ, \$92\.00 Multi-AZ/);
  });

  test.each([
    ['db.t4g.micro', 0.016, 0.032],
    ['db.t4g.small', 0.032, 0.064],
    ['db.t4g.medium', 0.065, 0.13],
  ])(
    '%s: Single-AZ $%s/h, Multi-AZ $%s/h (PostgreSQL rows, not the MySQL ones)',
    (instanceClass, single, multi) => {
      expect(rdsPostgresInstancePrice(instanceClass)?.usd).toBe(single);
      expect(rdsPostgresInstancePrice(instanceClass, false)?.usd).toBe(single);
      expect(rdsPostgresInstancePrice(instanceClass, true)?.usd).toBe(multi);
      expect(rdsPostgresInstancePrice(instanceClass, true)?.source).toMatch(/infratally\.com/);
    },
  );

  test('an instance class without a catalogued price: warning aws-no-price, storage still priced', () => {
    const { stack, lines } = store({ instanceClass: 'db.r7g.large' });
    expect(lines.some((l) => l.item.startsWith('RDS for PostgreSQL'))).toBe(false);
    expect(lineOf(lines, 'RDS gp3 storage, per GiB')).toBeDefined();
    expect(hasWarning(stack, 'aws-no-price')).toBe(true);
    expect(warnings(stack).some((w) => w.includes('db.r7g.large'))).toBe(true);
  });

  test('its database key is priced at the key', () => {
    const { stack } = store();
    expect(lineOf(CostEstimate.of(stack).lines, 'KMS key (MLflow database)').constructPath).toBe(
      'test/Mlflow/DatabaseKey',
    );
  });
});

describe('the cost table with the new lines (AWS)', () => {
  test('renders volumes, database, keys and assumptions with their sources', () => {
    const { stack, cluster } = clusterStack();
    cluster.addInferenceNodeGroup('L40S', { accelerator: Accelerator.L40S, minNodes: 1, maxNodes: 2 });
    new MlflowStore(stack, 'Mlflow', { cluster });
    const md = renderCostTables([
      { name: 'test', dependencies: [], terraform: {}, costEstimate: CostEstimate.of(stack).summary() },
    ]);
    // Storage in its billing unit: 1-2 volumes x $0.08 per GB-month x 200 GB = $16 - $32.
    expect(md).toContain(
      '`Cluster/L40S` gp3 root volume, 200 GiB | 1 - 2 | $0.08 per GB-month × 200 per unit [',
    );
    expect(md).toContain('`Mlflow/Resource` RDS for PostgreSQL db.t4g.medium | 1 | $0.065/h');
    // 20-100 GiB x $0.115 per GB-month = $2.30 - $11.50 a month.
    expect(md).toMatch(
      /`Mlflow\/Resource` RDS gp3 storage, per GiB \| 20 - 100 \| \$0\.115 per GB-month \[\d+\] \| \$2\.30 - \$12 \|/,
    );
    expect(md).toMatch(
      /`Cluster\/SecretsKey` KMS key \(Kubernetes secrets\) \| 1 \| \$1 per key-month \[\d+\] \| \$1\.00 \|/,
    );
    // The RDS-managed secret: $0.40 a month, not "$0".
    expect(md).toMatch(
      /Secrets Manager secret \(RDS-managed master user password\) \| 1 \| \$0\.40 per secret-month \[\d+\] \| \$0\.40 \|/,
    );
    expect(md).toMatch(
      /\[\d+\] infracost\/infracost @ 95ba4f49 .*kms_key_test\.golden .*https:\/\/aws\.amazon\.com\/kms\/pricing\//,
    );
  });
});

describe('interface VPC endpoints (AWS)', () => {
  test('each default interface endpoint is billed in each private subnet AZ; the S3 gateway endpoint is free', () => {
    const { stack } = clusterStack();
    const l = lineOf(CostEstimate.of(stack).lines, 'interface VPC endpoint-AZ (7 endpoints x 2 AZs)');
    expect(l).toMatchObject({
      constructPath: 'test/Network',
      minQuantity: 14,
      maxQuantity: 14,
      unitPrice: { usd: 0.01, region: 'us-east-1', asOf: '2026-08-21' },
    });
    expect(monthly(l)).toBeCloseTo(14 * 7.3, 6);
    expect(l.assumption).toMatch(/the S3 gateway endpoint is free/);
  });

  test('interfaceEndpoints: [] adds no line', () => {
    const s = awsStack();
    network(s, { interfaceEndpoints: [] });
    expect(CostEstimate.of(s).lines.some((l) => l.item.startsWith('interface VPC endpoint'))).toBe(false);
  });
});
