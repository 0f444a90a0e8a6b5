import { IConstruct } from 'constructs';
import { CostEstimate, HOURS_PER_MONTH, HourlyPrice, PricingModel, Warnings } from '../../core';
import {
  CYCLENERD_PRICE_TABLE,
  CYCLENERD_PRICE_TABLE_DATE,
  INFRACOST_SNAPSHOT_DATE,
  infracostGoogleGolden,
} from './price-tables';

// Prices of what a Google Cloud stack runs besides its GPU nodes (issue 11 §4): Cloud NAT and its
// external IP, the GKE cluster fee, the system node pool and its boot disks, Cloud Storage.
// us-central1 list prices, on-demand. Per-GB-month prices become an hourly price of the whole
// disk (GB-month price x GB / 730 h), so every line is hourly.

const READ = '2026-12-03';
/** Best-known public price, not re-read on the date given. */
const KNOWN = '2025-06-01';

function price(usd: number, asOf: string, source: string): HourlyPrice {
  return { usd, region: 'us-central1', asOf, source };
}

const NAT_PRICING = 'https://cloud.google.com/nat/pricing';

/** Cloud NAT's uptime charge per VM the gateway serves, per hour (up to 32 VMs). */
export const CLOUD_NAT_VM_HOURLY_USD = 0.0014;
/** The VM count at which Cloud NAT's uptime charge stops growing. */
export const CLOUD_NAT_VM_CAP = 32;

/**
 * A Cloud NAT gateway serving {@link CLOUD_NAT_VM_CAP} or more VMs, per hour: $0.0014 per
 * VM-hour x 32 = $0.0448 (the charge is capped there).
 */
export const CLOUD_NAT_GATEWAY_HOURLY = price(
  0.0448,
  CYCLENERD_PRICE_TABLE_DATE,
  `${CYCLENERD_PRICE_TABLE}: compute.network.nat.gateway.cost.us-central1.hour (the SKU "Networking Cloud Nat Gateway Uptime" x 32, its cap); ` +
    infracostGoogleGolden(
      'compute_router_nat_test',
      '2024-07-01',
      '"Assigned VMs (first 32) 23,360 VM-hours $32.70" ($0.0014 per VM-hour)',
    ) +
    `; ${NAT_PRICING}`,
);

/** An external IP address used by a Cloud NAT gateway, per hour. */
export const CLOUD_NAT_IP_HOURLY = price(
  0.005,
  READ,
  `${NAT_PRICING} (static or ephemeral external IP address used by a NAT gateway)`,
);

/** The GKE cluster management fee (Standard and Autopilot), per cluster-hour. */
export const GKE_CLUSTER_HOURLY = price(
  0.1,
  INFRACOST_SNAPSHOT_DATE,
  infracostGoogleGolden(
    'container_cluster_test',
    '2026-07-01',
    '"Cluster management fee 730 hours $73.00"; https://cloud.google.com/kubernetes-engine/pricing',
  ),
);

/** Balanced persistent disk, per GB-month. */
export const PD_BALANCED_GB_MONTH_USD = 0.1;
const PD_SOURCE = `${CYCLENERD_PRICE_TABLE}: compute.storage.balanced.cost.us-central1.month; https://cloud.google.com/compute/disks-image-pricing`;

/** Cloud Storage Standard, per GB-month: a region, and a multi-region (`US`, `EU`, `ASIA`). */
export const GCS_STANDARD_GB_MONTH_USD = { region: 0.02, multiRegion: 0.026 } as const;
const GCS_SOURCE = `${CYCLENERD_PRICE_TABLE}: storage.bucket.standard.cost.us-central1.month and storage.bucket.standard-multi.cost.us-multi.month; https://cloud.google.com/storage/pricing`;

/**
 * On-demand prices of the general-purpose machine types a system pool is likely to use, as the
 * generated table lists them (to the micro-dollar).
 */
const GENERAL_PURPOSE_HOURLY: Readonly<Record<string, number>> = {
  'e2-standard-2': 0.067011,
  'e2-standard-4': 0.134023,
  'e2-standard-8': 0.268046,
  'n2-standard-2': 0.097118,
  'n2-standard-4': 0.194236,
  'n2-standard-8': 0.388472,
};

/** The on-demand price of a general-purpose machine type, or `undefined` when not catalogued. */
export function generalPurposeMachinePrice(machineType: string): HourlyPrice | undefined {
  const usd = GENERAL_PURPOSE_HOURLY[machineType];
  return usd === undefined
    ? undefined
    : price(
        usd,
        CYCLENERD_PRICE_TABLE_DATE,
        `${CYCLENERD_PRICE_TABLE}: compute.instance.<machine type>.cost.us-central1.hour; https://cloud.google.com/compute/vm-instance-pricing#general-purpose`,
      );
}

/** Adds a Cloud NAT gateway and its external IP (at least one with automatic allocation). */
export function addCloudNatCost(scope: IConstruct): void {
  const estimate = CostEstimate.of(scope);
  estimate.add({
    constructPath: scope.node.path,
    item: 'Cloud NAT gateway',
    minQuantity: 1,
    maxQuantity: 1,
    unitPrice: CLOUD_NAT_GATEWAY_HOURLY,
    pricingModel: PricingModel.ON_DEMAND,
    assumption:
      `assumes the gateway serves ${CLOUD_NAT_VM_CAP} or more VMs (nodes), where the charge is capped; ` +
      `with fewer it is $${CLOUD_NAT_VM_HOURLY_USD} per VM-hour; data processed ($0.045/GiB) and egress not included`,
  });
  estimate.add({
    constructPath: scope.node.path,
    item: 'external IP address (Cloud NAT)',
    minQuantity: 1,
    maxQuantity: 1,
    unitPrice: CLOUD_NAT_IP_HOURLY,
    pricingModel: PricingModel.ON_DEMAND,
    assumption: 'automatic allocation adds addresses as the VMs need ports; one is counted',
  });
}

/** Adds the GKE cluster management fee. */
export function addGkeClusterCost(scope: IConstruct): void {
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: 'GKE cluster management fee',
    minQuantity: 1,
    maxQuantity: 1,
    unitPrice: GKE_CLUSTER_HOURLY,
    pricingModel: PricingModel.ON_DEMAND,
    assumption: "the free tier's monthly credit (one cluster per billing account) is not deducted",
  });
}

/**
 * Adds a non-GPU node pool: its machines (or a warning `gcp-no-price` when the type is not
 * catalogued) and one pd-balanced boot disk per node.
 */
export function addSystemNodesCost(
  scope: IConstruct,
  machineType: string,
  minNodes: number,
  maxNodes: number,
  bootDiskGb: number,
  zones: string,
): void {
  const estimate = CostEstimate.of(scope);
  const p = generalPurposeMachinePrice(machineType);
  if (p) {
    estimate.add({
      constructPath: scope.node.path,
      item: machineType,
      minQuantity: minNodes,
      maxQuantity: maxNodes,
      unitPrice: p,
      pricingModel: PricingModel.ON_DEMAND,
      assumption: zones,
    });
  } else {
    Warnings.add(
      scope,
      'gcp-no-price',
      `No on-demand price is catalogued for the system pool's machine type ${machineType}: the stack's cost estimate leaves its machines out.`,
    );
  }
  estimate.add({
    constructPath: scope.node.path,
    item: `pd-balanced boot disk, ${bootDiskGb} GB`,
    minQuantity: minNodes,
    maxQuantity: maxNodes,
    unitPrice: price(
      (PD_BALANCED_GB_MONTH_USD * bootDiskGb) / HOURS_PER_MONTH,
      CYCLENERD_PRICE_TABLE_DATE,
      PD_SOURCE,
    ),
    billedPrice: { usd: PD_BALANCED_GB_MONTH_USD, unit: 'GB-month', perQuantityPerMonth: bootDiskGb },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: `$${PD_BALANCED_GB_MONTH_USD}/GB-month`,
  });
}

/**
 * An assumption line for a Cloud Storage bucket: the price of 1,000 GB stored, quantity 0 (what
 * a bucket holds is not known at synth time, so it adds nothing to the totals).
 */
export function addGcsBucketAssumption(scope: IConstruct, location: string): void {
  const multi = ['US', 'EU', 'ASIA'].includes(location.toUpperCase());
  const perGb = multi ? GCS_STANDARD_GB_MONTH_USD.multiRegion : GCS_STANDARD_GB_MONTH_USD.region;
  const per1000 = Math.round(perGb * 1000);
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: `Cloud Storage Standard (${multi ? 'multi-region' : 'region'}), per 1,000 GB stored`,
    minQuantity: 0,
    maxQuantity: 0,
    unitPrice: price(per1000 / HOURS_PER_MONTH, CYCLENERD_PRICE_TABLE_DATE, GCS_SOURCE),
    billedPrice: { usd: perGb, unit: 'GB-month stored' },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: `usage-based, not in the totals: $${per1000} per month per 1,000 GB stored, plus operations`,
  });
}

const DISK_PRICING = 'https://cloud.google.com/compute/disks-image-pricing';
/** Boot disk prices per GB-month by disk type, us-central1, with their sources. */
const BOOT_DISK_GB_MONTH: Readonly<Record<string, { usd: number; asOf: string; source: string }>> = {
  'pd-balanced': { usd: PD_BALANCED_GB_MONTH_USD, asOf: CYCLENERD_PRICE_TABLE_DATE, source: PD_SOURCE },
  'pd-ssd': {
    usd: 0.17,
    asOf: READ,
    source: `${DISK_PRICING} (SSD Persistent Disk: "a 200 GB SSD Persistent Disk volume would cost $34.00 for the whole month", US)`,
  },
  'hyperdisk-balanced': {
    usd: 0.08,
    asOf: KNOWN,
    source: `VERIFY: ${DISK_PRICING} (Hyperdisk Balanced capacity per GiB-month; 3,000 IOPS and 140 MiB/s included); best-known public price, not re-read`,
  },
};

/** The price of a boot disk type per GB-month, or `undefined` when not catalogued. */
export function bootDiskGbMonthUsd(diskType: string): number | undefined {
  return BOOT_DISK_GB_MONTH[diskType]?.usd;
}

/**
 * Adds the boot disk of each node of a pool (`bootDiskSizeGiB` of the machine series' disk
 * type), at the pool's minimum and maximum node counts. Local SSDs that come with A3 and A2
 * Ultra machines are in the machine price.
 */
export function addNodeBootDiskCost(
  scope: IConstruct,
  diskType: string,
  diskGb: number,
  minNodes: number,
  maxNodes: number,
): void {
  const p = BOOT_DISK_GB_MONTH[diskType];
  if (!p) {
    Warnings.add(
      scope,
      'gcp-no-price',
      `No price is catalogued for the boot disk type ${diskType}: the stack's cost estimate leaves the boot disks out.`,
    );
    return;
  }
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: `${diskType} boot disk, ${diskGb} GB`,
    minQuantity: minNodes,
    maxQuantity: maxNodes,
    unitPrice: price((p.usd * diskGb) / HOURS_PER_MONTH, p.asOf, p.source),
    billedPrice: { usd: p.usd, unit: 'GB-month', perQuantityPerMonth: diskGb },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: `$${p.usd}/GB-month; local SSDs bundled with the machine type are in its price`,
  });
}

const CLOUD_SQL_PRICING = 'https://cloud.google.com/sql/pricing';
/** Cloud SQL for PostgreSQL, Enterprise edition, dedicated core: per vCPU-hour and per GB of memory-hour. */
export const CLOUD_SQL_ENTERPRISE = { vcpuHourUsd: 0.0413, memoryGbHourUsd: 0.007 } as const;
/** Cloud SQL SSD storage, per GB-month. */
export const CLOUD_SQL_SSD_GB_MONTH_USD = 0.17;

/**
 * Adds a Cloud SQL for PostgreSQL Enterprise edition instance of a `db-custom-<vCPUs>-<MB>` tier
 * (its vCPUs and memory; twice with high availability) and its SSD storage. A tier that is an
 * unresolved token adds only the storage, with a warning `gcp-no-price`.
 */
export function addCloudSqlPostgresCost(
  scope: IConstruct,
  o: { readonly tier: string; readonly highAvailability: boolean; readonly diskGb: number },
): void {
  const estimate = CostEstimate.of(scope);
  const copies = o.highAvailability ? 2 : 1;
  const ha = o.highAvailability ? 'high availability (REGIONAL): primary and standby' : 'zonal';
  const m = /^db-custom-(\d+)-(\d+)$/.exec(o.tier);
  if (m) {
    const vcpus = Number(m[1]);
    const memoryGb = Number(m[2]) / 1024;
    estimate.add({
      constructPath: scope.node.path,
      item: `Cloud SQL for PostgreSQL ${o.tier} (Enterprise)`,
      minQuantity: copies,
      maxQuantity: copies,
      unitPrice: price(
        vcpus * CLOUD_SQL_ENTERPRISE.vcpuHourUsd + memoryGb * CLOUD_SQL_ENTERPRISE.memoryGbHourUsd,
        INFRACOST_SNAPSHOT_DATE,
        infracostGoogleGolden(
          'sql_database_instance_test',
          '2024-07-01',
          `"vCPUs (96, regional) 70,080 hours $5,788.61" and "Memory (360 GB, regional) 360 GB $3,679.20", half of each zonal: ` +
            `$${CLOUD_SQL_ENTERPRISE.vcpuHourUsd} per vCPU-hour and $${CLOUD_SQL_ENTERPRISE.memoryGbHourUsd} per GB-hour (${CLOUD_SQL_PRICING})`,
        ),
      ),
      pricingModel: PricingModel.ON_DEMAND,
      assumption: `${vcpus} vCPU and ${memoryGb} GB memory; ${ha}`,
    });
  } else {
    Warnings.add(
      scope,
      'gcp-no-price',
      `The Cloud SQL tier ${o.tier} is not known at synth time: the stack's cost estimate leaves the instance out (its storage is priced).`,
    );
  }
  estimate.add({
    constructPath: scope.node.path,
    item: `Cloud SQL SSD storage, ${o.diskGb} GB`,
    minQuantity: copies,
    maxQuantity: copies,
    unitPrice: price(
      (CLOUD_SQL_SSD_GB_MONTH_USD * o.diskGb) / HOURS_PER_MONTH,
      INFRACOST_SNAPSHOT_DATE,
      infracostGoogleGolden(
        'sql_database_instance_test',
        '2024-07-01',
        `"Storage (SSD, zonal) 10 GB $1.70" (regional twice that); ${CLOUD_SQL_PRICING}`,
      ),
    ),
    billedPrice: { usd: CLOUD_SQL_SSD_GB_MONTH_USD, unit: 'GB-month', perQuantityPerMonth: o.diskGb },
    pricingModel: PricingModel.ON_DEMAND,
    assumption:
      `$${CLOUD_SQL_SSD_GB_MONTH_USD}/GB-month; ${ha}; automatic storage increases grow it; ` +
      'backups and point-in-time-recovery logs are billed as used, not included',
  });
}

const OBSERVABILITY_PRICING = 'https://cloud.google.com/stackdriver/pricing';
/** Cloud Logging storage (ingestion), per GiB, first 50 GiB per project and month free. */
export const CLOUD_LOGGING_GIB_USD = 0.5;
/** Managed Service for Prometheus, per million samples ingested (first 50 billion a month). */
export const MANAGED_PROMETHEUS_PER_MILLION_SAMPLES_USD = 0.15;

/**
 * An assumption line for Cloud Logging: the price of 100 GiB ingested into log buckets, quantity
 * 0 (what the cluster logs is not known at synth time).
 */
export function addCloudLoggingAssumption(scope: IConstruct): void {
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: 'Cloud Logging ingestion, per 100 GiB',
    minQuantity: 0,
    maxQuantity: 0,
    unitPrice: price(
      (CLOUD_LOGGING_GIB_USD * 100) / HOURS_PER_MONTH,
      READ,
      `${OBSERVABILITY_PRICING} (Cloud Logging storage $0.50/GiB, one-time, 30 days included; first 50 GiB per project and month free)`,
    ),
    billedPrice: { usd: CLOUD_LOGGING_GIB_USD, unit: 'GiB ingested' },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: `usage-based, not in the totals: $${CLOUD_LOGGING_GIB_USD * 100} per 100 GiB beyond the free 50 GiB per project, plus $0.01/GiB-month retained beyond 30 days`,
  });
}

/**
 * An assumption line for Managed Service for Prometheus: the price of 1 billion samples
 * ingested, quantity 0 (the series count is not known at synth time).
 */
export function addManagedPrometheusAssumption(scope: IConstruct): void {
  const perBillion = MANAGED_PROMETHEUS_PER_MILLION_SAMPLES_USD * 1000;
  CostEstimate.of(scope).add({
    constructPath: scope.node.path,
    item: 'Managed Service for Prometheus samples ingested, per billion',
    minQuantity: 0,
    maxQuantity: 0,
    unitPrice: price(
      perBillion / HOURS_PER_MONTH,
      READ,
      `${OBSERVABILITY_PRICING} (Managed Service for Prometheus $0.15 per million samples, first 50 billion a month)`,
    ),
    billedPrice: { usd: MANAGED_PROMETHEUS_PER_MILLION_SAMPLES_USD, unit: 'million samples ingested' },
    pricingModel: PricingModel.ON_DEMAND,
    assumption: `usage-based, not in the totals: $${perBillion} per billion samples (one series every 30 s is ~87,600 a month), GKE's DCGM and control-plane metrics included`,
  });
}
