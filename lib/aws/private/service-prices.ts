import { IConstruct } from 'constructs';
import { CostEstimate, HOURS_PER_MONTH, HourlyPrice, PricingModel, Warnings } from '../../core';
import { ec2OnDemandPrice, INFRACOST_SNAPSHOT_DATE, infracostAwsGolden } from './price-tables';

// Prices of what an AWS stack runs besides its GPU nodes (issue 11 §4): NAT gateways and their
// public IPv4 addresses, the EKS control plane, the system node group, gp3 root volumes, FSx for
// Lustre and S3. us-east-1 list prices, on-demand. Per-GB-month prices become an hourly price of
// the whole volume or file system (GB-month price x GB / 730 h), so every line is hourly.

const READ = '2026-12-03';
/** Best-known public price, not re-read on the date given (marked VERIFY in its source). */
const KNOWN = '2025-06-01';

function price(usd: number, asOf: string, source: string): HourlyPrice {
  return { usd, region: 'us-east-1', asOf, source };
}

const VPC_PRICING = 'https://aws.amazon.com/vpc/pricing/';

/** NAT gateway, per gateway-hour (data processing, $0.045/GB, is usage-based and not estimated). */
export const NAT_GATEWAY_HOURLY = price(
  0.045,
  INFRACOST_SNAPSHOT_DATE,
  infracostAwsGolden('nat_gateway_test', '2024-07-01', `"NAT gateway 730 hours $32.85"; ${VPC_PRICING}`),
);

/** A public IPv4 address (the NAT gateway's Elastic IP), per hour, charged since 2024-02-01. */
export const PUBLIC_IPV4_HOURLY = price(
  0.005,
  READ,
  `AWS VPC pricing, public IPv4 address hour (${VPC_PRICING}); as republished by cloudburn.io (2026)`,
);

/** An EKS cluster in standard support, per hour (extended support is $0.60). */
export const EKS_CLUSTER_HOURLY = price(
  0.1,
  INFRACOST_SNAPSHOT_DATE,
  infracostAwsGolden(
    'eks_cluster_test',
    '2025-07-07',
    '"EKS cluster 730 hours $73.00" (extended support $438.00); https://aws.amazon.com/eks/pricing/',
  ),
);

/** gp3 storage, per GB-month (the 3,000 IOPS and 125 MB/s baseline included). */
export const GP3_GB_MONTH_USD = 0.08;
const GP3_SOURCE = infracostAwsGolden(
  'ebs_volume_test',
  '2024-07-01',
  '"Storage (general purpose SSD, gp3) 40 GB $3.20", baseline IOPS and throughput included; https://aws.amazon.com/ebs/pricing/',
);

/** S3 Standard storage, per GB-month (first 50 TB). */
export const S3_STANDARD_GB_MONTH_USD = 0.023;
const S3_SOURCE = infracostAwsGolden(
  's3_bucket_test',
  '2024-07-01',
  '"Standard Storage 10,000 GB $230.00" (first 50 TB a month); https://aws.amazon.com/s3/pricing/',
);

/** FSx for Lustre PERSISTENT_2 SSD storage, per GB-month, by throughput tier (MB/s per TiB). */
export const FSX_LUSTRE_PERSISTENT_2_GB_MONTH_USD: Readonly<Record<number, number>> = {
  125: 0.145,
  250: 0.21,
  500: 0.34,
  1000: 0.6,
};
const FSX_SOURCE =
  'VERIFY: https://aws.amazon.com/fsx/lustre/pricing/ (PERSISTENT_2 SSD per GB-month by throughput tier; 125 MB/s/TiB = $0.145 as republished by c3x.dev); best-known public prices, not re-read';

/**
 * On-demand Linux prices of the general-purpose types a system node group is likely to use, as
 * listed in Karpenter's generated price table ({@link ec2OnDemandPrice}).
 */
const GENERAL_PURPOSE_HOURLY: Readonly<Record<string, number>> = {
  'm5.large': 0.096,
  'm5.xlarge': 0.192,
  'm5.2xlarge': 0.384,
  'm6i.large': 0.096,
  'm6i.xlarge': 0.192,
  'm6i.2xlarge': 0.384,
  'm7i.large': 0.1008,
  'm7i.xlarge': 0.2016,
  'm7i.2xlarge': 0.4032,
};

/** The on-demand price of a general-purpose instance type, or `undefined` when not catalogued. */
export function generalPurposeInstancePrice(instanceType: string): HourlyPrice | undefined {
  const usd = GENERAL_PURPOSE_HOURLY[instanceType];
  return usd === undefined ? undefined : ec2OnDemandPrice(usd);
}

/** Hourly price of one gp3 volume of `gib` GiB. */
export function gp3VolumeHourly(gib: number): HourlyPrice {
  return price((GP3_GB_MONTH_USD * gib) / HOURS_PER_MONTH, INFRACOST_SNAPSHOT_DATE, GP3_SOURCE);
}

/** Adds the NAT gateways of a VPC (gateway hour plus its Elastic IP) to the stack's estimate. */
export function addNatGatewayCost(scope: IConstruct, gateways: number): void {
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: 'NAT gateway',
    minQuantity: gateways,
    maxQuantity: gateways,
    unitPrice: NAT_GATEWAY_HOURLY,
    pricingModel: PricingModel.ON_DEMAND,
    assumption: 'data processed ($0.045/GB) and egress are usage-based and not included',
  });
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: 'public IPv4 address (NAT gateway Elastic IP)',
    minQuantity: gateways,
    maxQuantity: gateways,
    unitPrice: PUBLIC_IPV4_HOURLY,
    pricingModel: PricingModel.ON_DEMAND,
  });
}

/** Adds the EKS control plane fee. */
export function addEksClusterCost(scope: IConstruct): void {
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: 'EKS cluster (standard support)',
    minQuantity: 1,
    maxQuantity: 1,
    unitPrice: EKS_CLUSTER_HOURLY,
    pricingModel: PricingModel.ON_DEMAND,
  });
}

/**
 * Adds a non-GPU node group: its instances (or a warning `aws-no-price` when the type is not
 * catalogued) and one gp3 root volume per node.
 */
export function addSystemNodesCost(
  scope: IConstruct,
  instanceType: string,
  minNodes: number,
  maxNodes: number,
  rootVolumeGiB: number,
): void {
  const estimate = CostEstimate.of(scope);
  const p = generalPurposeInstancePrice(instanceType);
  if (p) {
    estimate.add({
      constructPath: scope.node.path,
      item: instanceType,
      minQuantity: minNodes,
      maxQuantity: maxNodes,
      unitPrice: p,
      pricingModel: PricingModel.ON_DEMAND,
    });
  } else {
    Warnings.add(
      scope,
      'aws-no-price',
      `No on-demand price is catalogued for the system node type ${instanceType}: the stack's cost estimate leaves its instances out.`,
    );
  }
  estimate.add({
    constructPath: scope.node.path,
    item: `gp3 root volume, ${rootVolumeGiB} GiB`,
    minQuantity: minNodes,
    maxQuantity: maxNodes,
    unitPrice: gp3VolumeHourly(rootVolumeGiB),
    billedPrice: { usd: GP3_GB_MONTH_USD, unit: 'GB-month', perQuantityPerMonth: rootVolumeGiB },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: `$${GP3_GB_MONTH_USD}/GB-month`,
  });
}

/** Adds an FSx for Lustre PERSISTENT_2 SSD file system of `capacityGiB` at `throughput` MB/s/TiB. */
export function addLustreCost(scope: IConstruct, capacityGiB: number, throughput: number): void {
  const perGb = FSX_LUSTRE_PERSISTENT_2_GB_MONTH_USD[throughput];
  if (perGb === undefined) {
    Warnings.add(
      scope,
      'aws-no-price',
      `No FSx for Lustre price is catalogued for ${throughput} MB/s/TiB: the stack's cost estimate leaves the file system out.`,
    );
    return;
  }
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: `FSx for Lustre PERSISTENT_2, ${capacityGiB} GiB at ${throughput} MB/s/TiB`,
    minQuantity: 1,
    maxQuantity: 1,
    unitPrice: price((perGb * capacityGiB) / HOURS_PER_MONTH, KNOWN, FSX_SOURCE),
    billedPrice: { usd: perGb, unit: 'GB-month', perQuantityPerMonth: capacityGiB },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: `$${perGb}/GB-month; backups and data transfer not included`,
  });
}

/**
 * An assumption line for an S3 bucket: the price of 1,000 GB stored, quantity 0 (what a bucket
 * holds is not known at synth time, so it adds nothing to the totals).
 */
export function addS3BucketAssumption(scope: IConstruct): void {
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: 'S3 Standard, per 1,000 GB stored',
    minQuantity: 0,
    maxQuantity: 0,
    unitPrice: price((S3_STANDARD_GB_MONTH_USD * 1000) / HOURS_PER_MONTH, INFRACOST_SNAPSHOT_DATE, S3_SOURCE),
    billedPrice: { usd: S3_STANDARD_GB_MONTH_USD, unit: 'GB-month stored' },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: `usage-based, not in the totals: $${S3_STANDARD_GB_MONTH_USD * 1000} per month per 1,000 GB stored, plus requests`,
  });
}

/**
 * Adds the gp3 volume each node boots with (`rootVolumeSizeGiB`: the root on AL2023, the
 * data volume on Bottlerocket; `ephemeralStorage.size` on EKS Auto Mode), one per node at the
 * group's minimum and maximum. Local NVMe instance store, RAID0-ed for containerd and the
 * kubelet, is part of the instance price. `note` is added to the line's assumption.
 */
export function addNodeVolumeCost(
  scope: IConstruct,
  volumeGiB: number,
  minNodes: number,
  maxNodes: number,
  options: { readonly raid0InstanceStore: boolean; readonly bottlerocket: boolean; readonly note?: string },
): void {
  const notes = [`$${GP3_GB_MONTH_USD}/GB-month, baseline 3,000 IOPS and 125 MB/s`];
  if (options.bottlerocket) notes.push("Bottlerocket's small OS volume not counted");
  if (options.raid0InstanceStore) notes.push('the RAID0 local NVMe instance store is in the instance price');
  if (options.note) notes.push(options.note);
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: `gp3 ${options.bottlerocket ? 'data' : 'root'} volume, ${volumeGiB} GiB`,
    minQuantity: minNodes,
    maxQuantity: maxNodes,
    unitPrice: gp3VolumeHourly(volumeGiB),
    billedPrice: { usd: GP3_GB_MONTH_USD, unit: 'GB-month', perQuantityPerMonth: volumeGiB },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: notes.join('; '),
  });
}

/**
 * Warns `aws-no-price` that the EKS Auto Mode management fee of a pool's nodes is not in the
 * estimate. Auto Mode bills it per instance-hour on top of the EC2 price, at a rate per instance
 * type (https://aws.amazon.com/eks/pricing/); no dated, citable machine-readable table of those
 * rates was found (not in Karpenter's generated EC2 table nor in infracost's golden outputs), so
 * the fee is named, not guessed.
 */
export function warnAutoModeFeeNotEstimated(scope: IConstruct, instanceType: string): void {
  Warnings.add(
    scope,
    'aws-no-price',
    `EKS Auto Mode bills a management fee per instance-hour of ${instanceType} on top of its EC2 price (rate per instance type: https://aws.amazon.com/eks/pricing/); ` +
      "no dated source for the rates was found, so the stack's cost estimate leaves the fee out.",
  );
}

/** A customer managed KMS key, per month ($1, prorated hourly). */
export const KMS_KEY_MONTHLY_USD = 1;
const KMS_SOURCE = infracostAwsGolden(
  'kms_key_test',
  '2024-07-01',
  '"Customer master key 1 months $1.00"; https://aws.amazon.com/kms/pricing/ (prorated hourly; each automatic rotation adds $1/month)',
);

/**
 * Adds a customer managed KMS key. The library turns yearly rotation on, and each rotation adds
 * $1/month: the line counts the first year.
 */
export function addKmsKeyCost(scope: IConstruct, purpose: string): void {
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: `KMS key (${purpose})`,
    minQuantity: 1,
    maxQuantity: 1,
    unitPrice: price(KMS_KEY_MONTHLY_USD / HOURS_PER_MONTH, INFRACOST_SNAPSHOT_DATE, KMS_SOURCE),
    billedPrice: { usd: KMS_KEY_MONTHLY_USD, unit: 'key-month', perQuantityPerMonth: 1 },
    pricingModel: PricingModel.ON_DEMAND,
    assumption:
      'first year: each yearly rotation adds $1/month; requests beyond the free 20,000 a month ($0.03 per 10,000) not included',
  });
}

/** A Secrets Manager secret, per month. */
export const SECRETS_MANAGER_SECRET_MONTHLY_USD = 0.4;
const SECRETS_SOURCE = infracostAwsGolden(
  'secretsmanager_secret_test',
  '2024-07-01',
  '"Secret 1 months $0.40"; https://aws.amazon.com/secrets-manager/pricing/',
);

/** Adds one Secrets Manager secret (for example an RDS-managed master user password). */
export function addSecretCost(scope: IConstruct, what: string): void {
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: `Secrets Manager secret (${what})`,
    minQuantity: 1,
    maxQuantity: 1,
    unitPrice: price(
      SECRETS_MANAGER_SECRET_MONTHLY_USD / HOURS_PER_MONTH,
      INFRACOST_SNAPSHOT_DATE,
      SECRETS_SOURCE,
    ),
    billedPrice: { usd: SECRETS_MANAGER_SECRET_MONTHLY_USD, unit: 'secret-month', perQuantityPerMonth: 1 },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: 'API calls ($0.05 per 10,000) not included',
  });
}

const RDS_PRICING = 'https://aws.amazon.com/rds/postgresql/pricing/';
/**
 * RDS for PostgreSQL on-demand prices by instance class, Single-AZ and Multi-AZ (one Multi-AZ
 * instance-hour bills the primary and its standby), as listed side by side in the cited table.
 * infracost's golden output @ 95ba4f49 has a Multi-AZ row for MySQL only (db.t4g.small $0.065/h
 * against $0.032/h Single-AZ), none for PostgreSQL: MySQL's rate is not used here.
 */
const RDS_POSTGRES_HOURLY: Readonly<Record<string, { readonly singleAz: number; readonly multiAz: number }>> =
  {
    'db.t4g.micro': { singleAz: 0.016, multiAz: 0.032 },
    'db.t4g.small': { singleAz: 0.032, multiAz: 0.064 },
    'db.t4g.medium': { singleAz: 0.065, multiAz: 0.13 },
  };
/** RDS gp3 storage, per GB-month (Single-AZ). */
export const RDS_GP3_GB_MONTH_USD = 0.115;
/** RDS backup storage beyond the free allowance (100% of the provisioned storage), per GB-month. */
export const RDS_BACKUP_GB_MONTH_USD = 0.095;

/**
 * The on-demand price of an RDS for PostgreSQL instance class, Single-AZ or Multi-AZ (primary and
 * standby together), or `undefined` when the class is not catalogued.
 */
export function rdsPostgresInstancePrice(instanceClass: string, multiAz = false): HourlyPrice | undefined {
  const row = RDS_POSTGRES_HOURLY[instanceClass];
  return row === undefined
    ? undefined
    : price(
        multiAz ? row.multiAz : row.singleAz,
        READ,
        `Amazon RDS for PostgreSQL on-demand, ${multiAz ? 'Multi-AZ (primary and standby)' : 'Single-AZ'} (${RDS_PRICING}); ` +
          'as republished by infratally.com, "AWS RDS pricing explained (2026)", us-east-1 t4g table',
      );
}

/**
 * Adds an RDS for PostgreSQL instance: the instance at its Single-AZ or Multi-AZ price (a warning
 * `aws-no-price` when the class is not catalogued) and its gp3 storage from the allocated size
 * (minimum) to the autoscaling limit (maximum), twice with Multi-AZ (the standby's copy).
 */
export function addRdsPostgresCost(
  scope: IConstruct,
  o: {
    readonly instanceClass: string;
    readonly multiAz: boolean;
    readonly allocatedGiB: number;
    readonly maxAllocatedGiB: number;
    readonly backupRetentionDays: number;
  },
): void {
  const estimate = CostEstimate.of(scope);
  const copies = o.multiAz ? 2 : 1;
  const az = o.multiAz ? 'Multi-AZ: primary and standby' : 'Single-AZ';
  const p = rdsPostgresInstancePrice(o.instanceClass, o.multiAz);
  if (p) {
    estimate.add({
      constructPath: scope.node.path,
      item: `RDS for PostgreSQL ${o.instanceClass}${o.multiAz ? ' (Multi-AZ)' : ''}`,
      minQuantity: 1,
      maxQuantity: 1,
      unitPrice: p,
      pricingModel: PricingModel.ON_DEMAND,
      assumption: az,
    });
  } else {
    Warnings.add(
      scope,
      'aws-no-price',
      `No RDS for PostgreSQL price is catalogued for ${o.instanceClass}: the stack's cost estimate leaves the instance out (its storage is priced).`,
    );
  }
  estimate.add({
    constructPath: scope.node.path,
    item: 'RDS gp3 storage, per GiB',
    minQuantity: o.allocatedGiB * copies,
    maxQuantity: o.maxAllocatedGiB * copies,
    unitPrice: price(
      RDS_GP3_GB_MONTH_USD / HOURS_PER_MONTH,
      READ,
      `Amazon RDS gp3 storage, $${RDS_GP3_GB_MONTH_USD} per GB-month (${RDS_PRICING}); as republished by usage.ai (June 2026)`,
    ),
    billedPrice: { usd: RDS_GP3_GB_MONTH_USD, unit: 'GB-month', perQuantityPerMonth: 1 },
    pricingModel: PricingModel.ON_DEMAND,
    assumption:
      `${o.multiAz ? `${az}, storage billed for both (infracost @ 95ba4f49 db_instance_test.golden: gp3 400 GB $46.00 Single-AZ, $92.00 Multi-AZ)` : az}; ` +
      `from the allocated size to the storage-autoscaling limit; automated backups (${o.backupRetentionDays} days) ` +
      `free up to the provisioned size, beyond it $${RDS_BACKUP_GB_MONTH_USD}/GB-month, not included`,
  });
}

const CLOUDWATCH_PRICING = 'https://aws.amazon.com/cloudwatch/pricing/';
/** CloudWatch Logs ingestion (Standard log class), per GB. */
export const CLOUDWATCH_LOGS_INGEST_GB_USD = 0.5;

/**
 * An assumption line for a CloudWatch log group: the price of 100 GB ingested, quantity 0 (how
 * much is logged is not known at synth time).
 */
export function addCloudWatchLogsAssumption(scope: IConstruct, what: string): void {
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: `CloudWatch Logs ingestion (${what}), per 100 GB`,
    minQuantity: 0,
    maxQuantity: 0,
    unitPrice: price(
      (CLOUDWATCH_LOGS_INGEST_GB_USD * 100) / HOURS_PER_MONTH,
      INFRACOST_SNAPSHOT_DATE,
      infracostAwsGolden(
        'cloudwatch_log_group_test',
        '2024-07-01',
        `"Data ingested ... $0.50 per GB" (Standard log class); ${CLOUDWATCH_PRICING}`,
      ),
    ),
    billedPrice: { usd: CLOUDWATCH_LOGS_INGEST_GB_USD, unit: 'GB ingested' },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: `usage-based, not in the totals: $${CLOUDWATCH_LOGS_INGEST_GB_USD * 100} per 100 GB ingested, plus storage ($0.03/GB-month) beyond the free 5 GB`,
  });
}

/** Amazon Managed Service for Prometheus, per 10 million samples ingested (first 2 billion a month). */
export const AMP_INGEST_PER_10M_SAMPLES_USD = 0.9;

/**
 * An assumption line for an Amazon Managed Service for Prometheus workspace: the price of
 * 1 billion samples ingested, quantity 0 (the series count is not known at synth time).
 */
export function addAmpIngestionAssumption(scope: IConstruct): void {
  const perBillion = AMP_INGEST_PER_10M_SAMPLES_USD * 100;
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: 'Managed Prometheus samples ingested, per billion',
    minQuantity: 0,
    maxQuantity: 0,
    unitPrice: price(
      perBillion / HOURS_PER_MONTH,
      KNOWN,
      'VERIFY: https://aws.amazon.com/prometheus/pricing/ ($0.90 per 10 million samples ingested, first 2 billion a month); best-known public price, not re-read',
    ),
    billedPrice: { usd: AMP_INGEST_PER_10M_SAMPLES_USD, unit: '10 million samples ingested' },
    pricingModel: PricingModel.ON_DEMAND,
    assumption:
      `usage-based, not in the totals: $${perBillion} per billion samples (one series scraped every 30 s is ~87,600 a month), ` +
      'plus storage and query samples; the free tier (40 million samples) not deducted',
  });
}

/** An interface VPC endpoint in one Availability Zone, per hour. */
export const INTERFACE_ENDPOINT_AZ_HOURLY = price(
  0.01,
  INFRACOST_SNAPSHOT_DATE,
  infracostAwsGolden(
    'vpc_endpoint_test',
    '2024-10-18',
    '"Endpoint (Interface) 730 hours $7.30" per subnet (Availability Zone); https://aws.amazon.com/privatelink/pricing/',
  ),
);

/**
 * Adds the interface VPC endpoints of a network: each endpoint is billed per hour in each
 * Availability Zone it has a subnet in. The S3 gateway endpoint is free.
 */
export function addInterfaceEndpointsCost(scope: IConstruct, endpoints: number, zones: number): void {
  if (endpoints === 0) return;
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: `interface VPC endpoint-AZ (${endpoints} endpoints x ${zones} AZs)`,
    minQuantity: endpoints * zones,
    maxQuantity: endpoints * zones,
    unitPrice: INTERFACE_ENDPOINT_AZ_HOURLY,
    pricingModel: PricingModel.ON_DEMAND,
    assumption: 'data processed ($0.01/GB, first PB) not included; the S3 gateway endpoint is free',
  });
}
