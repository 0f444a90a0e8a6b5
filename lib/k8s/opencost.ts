import { Release } from '@cdktf/provider-helm/lib/release';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { Construct } from 'constructs';
import { Accelerator, Validate, ValidationError, Warnings } from '../core';
import { IMonitoringStack } from './interfaces';
import type { GpuHourlyPrice } from './monitoring-stack';
import { PodSecurityLevel, podSecurityLabels } from './pod-security';
import { MANAGED_BY, assertDnsLabel, assertServiceName, toYaml } from './private/common';
import { addPinnedRelease } from './private/helm-release';
import { OPS_HELM_CHARTS } from './versions';

/**
 * OpenCost's own default list prices (`configs/default.json` of opencost/opencost, "Default
 * prices based on GCP us-central1"): USD per vCPU-hour and per GiB-hour of memory. Used for CPU
 * and memory when no price is given; GPU prices come from the library's catalogue instead.
 */
export const OPENCOST_DEFAULT_PRICES: OpenCostDefaultPrices = {
  cpuCoreHourlyUsd: 0.031611,
  memoryGiBHourlyUsd: 0.004237,
};

/** CPU and memory list prices (see {@link OPENCOST_DEFAULT_PRICES}). */
export interface OpenCostDefaultPrices {
  /** USD per vCPU-hour. */
  readonly cpuCoreHourlyUsd: number;
  /** USD per GiB-hour of memory. */
  readonly memoryGiBHourlyUsd: number;
}

/** Properties of an {@link OpenCost}. */
export interface OpenCostProps {
  /**
   * The monitoring stack: OpenCost queries its Prometheus and is scraped by it (a ServiceMonitor),
   * so the cost-allocation recording rules (`MonitoringStackProps.costAllocation`) see its
   * `node_*_hourly_cost` and `container_*_allocation` series.
   */
  readonly monitoring: IMonitoringStack;
  /**
   * Per-GPU list prices, for OpenCost's custom pricing (`GPU`): give the prices of the GPUs the
   * cluster runs, for example `[gpuHourlyPriceOf(shape)]` (the shape's on-demand
   * price divided by its GPUs, from core pricing). OpenCost's custom pricing has one GPU price for
   * the cluster: with several accelerators the highest is used (a warning says so); use a billing
   * export for per-instance prices.
   */
  readonly gpuHourlyPrices: GpuHourlyPrice[];
  /**
   * USD per vCPU-hour.
   * @default OPENCOST_DEFAULT_PRICES.cpuCoreHourlyUsd
   */
  readonly cpuCoreHourlyUsd?: number;
  /**
   * USD per GiB-hour of memory.
   * @default OPENCOST_DEFAULT_PRICES.memoryGiBHourlyUsd
   */
  readonly memoryGiBHourlyUsd?: number;
  /**
   * A Secret (in OpenCost's namespace) holding `cloud-integration.json`: the cloud billing export
   * OpenCost reads for Cloud Costs (AWS Cost and Usage Report through Athena, GCP billing export in
   * BigQuery), https://www.opencost.io/docs/configuration/#cloud-costs. Create it yourself: it
   * holds credentials or their references.
   * @default - no billing export: list prices only
   */
  readonly billingExportSecret?: string;
  /**
   * Namespace (created, Pod Security `restricted`).
   * @default 'opencost'
   */
  readonly namespace?: string;
  /**
   * Helm release name.
   * @default 'opencost'
   */
  readonly releaseName?: string;
  /**
   * Cluster id OpenCost labels its data with.
   * @default 'default-cluster'
   */
  readonly clusterId?: string;
}

/**
 * OpenCost (pinned chart) allocating the cluster's cost to pods, namespaces and labels, with
 * GPU-aware list prices: custom pricing whose GPU price comes from the library's catalogue
 * (core pricing) and whose CPU and memory prices default to OpenCost's own. It reads the
 * monitoring stack's Prometheus and exports `node_*_hourly_cost` and `container_*_allocation`,
 * which `MonitoringStackProps.costAllocation` turns into cost per model, namespace and team.
 *
 * The pod runs non-root with no capabilities and RuntimeDefault seccomp in a namespace that
 * enforces Pod Security `restricted`; the chart's web UI is off (use the Grafana dashboards or
 * port-forward the API on 9003).
 *
 * Allocation counts what pods reserve (whole GPUs while a pod runs): fractional GPUs (time
 * slicing, MIG) are billed whole (opencost #3828).
 *
 * @see https://www.opencost.io/docs/
 * @example
 * new OpenCost(platform, 'OpenCost', {
 *   monitoring,
 *   gpuHourlyPrices: [gpuHourlyPriceOf(shape)],
 * });
 */
export class OpenCost extends Construct {
  /** The Helm release. */
  public readonly resource: Release;
  /** Namespace. */
  public readonly namespace: string;
  /** The custom pricing OpenCost reads (hourly USD, as strings, OpenCost's format). */
  public readonly customPricing: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: OpenCostProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'monitoring', props.monitoring);
    const prices = Validate.array<GpuHourlyPrice>(this, 'gpuHourlyPrices', props.gpuHourlyPrices);
    if (prices.length === 0) {
      throw new ValidationError(
        `'gpuHourlyPrices' is empty: give the per-GPU price of the cluster's accelerators, for example [gpuHourlyPriceOf(shape)] with the GPU shape of your pool.`,
        this,
      );
    }
    prices.forEach((p, i) => {
      Validate.object(this, `gpuHourlyPrices[${i}]`, p);
      if (!(p.accelerator instanceof Accelerator)) {
        throw new ValidationError(
          `'gpuHourlyPrices[${i}].accelerator' must be an Accelerator.`,
          this,
          'type',
        );
      }
      Validate.object(this, `gpuHourlyPrices[${i}].price`, p.price);
      Validate.number(this, `gpuHourlyPrices[${i}].price.usd`, p.price.usd, {
        min: 0,
        exclusiveMin: true,
        max: 10000,
        reason: 'USD per GPU-hour',
      });
      // Both are written into the chart's custom pricing description.
      Validate.string(this, `gpuHourlyPrices[${i}].price.region`, p.price.region);
      Validate.string(this, `gpuHourlyPrices[${i}].price.asOf`, p.price.asOf);
    });
    const cpu = Validate.number(
      this,
      'cpuCoreHourlyUsd',
      props.cpuCoreHourlyUsd ?? OPENCOST_DEFAULT_PRICES.cpuCoreHourlyUsd,
      {
        min: 0,
        max: 100,
        reason: 'USD per vCPU-hour',
      },
    );
    const ram = Validate.number(
      this,
      'memoryGiBHourlyUsd',
      props.memoryGiBHourlyUsd ?? OPENCOST_DEFAULT_PRICES.memoryGiBHourlyUsd,
      { min: 0, max: 100, reason: 'USD per GiB-hour' },
    );
    const gpu = Math.max(...prices.map((p) => p.price.usd));
    const accelerators = [...new Set(prices.map((p) => p.accelerator.id))];
    if (accelerators.length > 1) {
      Warnings.add(
        this,
        'k8s-opencost-one-gpu-price',
        `OpenCost's custom pricing has one GPU price for the cluster; 'gpuHourlyPrices' lists ${accelerators.join(', ')}, so every GPU is priced at the highest, $${gpu}/h. Set 'billingExportSecret' for per-instance prices.`,
      );
    }
    this.namespace = props.namespace ?? 'opencost';
    assertDnsLabel(this, 'namespace', this.namespace);
    const release = props.releaseName ?? 'opencost';
    assertServiceName(this, 'releaseName', release, 53);
    const clusterId = Validate.string(this, 'clusterId', props.clusterId ?? 'default-cluster', {
      maxLength: 253,
    });
    if (props.billingExportSecret !== undefined) {
      Validate.k8sDnsSubdomain(this, 'billingExportSecret', props.billingExportSecret, {
        what: 'a Secret name',
      });
    }
    const decimal = (n: number) => String(Number(n.toPrecision(12)));
    this.customPricing = {
      description: `cdktf-ai-infra list prices: GPU ${prices.map((p) => `${p.accelerator.id} $${p.price.usd}/h (${p.price.region}, ${p.price.asOf})`).join('; ')}`,
      CPU: decimal(cpu),
      RAM: decimal(ram),
      GPU: decimal(gpu),
      // Spot prices: core's assumption (ASSUMED_SPOT_FRACTION_OF_ON_DEMAND) is not applied here;
      // OpenCost reads spot nodes from their labels and these fields.
      spotCPU: decimal(cpu),
      spotRAM: decimal(ram),
    };

    const ns = new NamespaceV1(this, 'Namespace', {
      metadata: {
        name: this.namespace,
        labels: { ...podSecurityLabels(PodSecurityLevel.RESTRICTED), ...MANAGED_BY },
      },
    });
    const m = props.monitoring;
    const values = {
      fullnameOverride: release,
      podSecurityContext: {
        runAsNonRoot: true,
        runAsUser: 1001,
        runAsGroup: 1001,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      opencost: {
        exporter: {
          defaultClusterId: clusterId,
          securityContext: {
            allowPrivilegeEscalation: false,
            runAsNonRoot: true,
            capabilities: { drop: ['ALL'] },
          },
        },
        customPricing: {
          enabled: true,
          createConfigmap: true,
          provider: 'custom',
          costModel: this.customPricing,
        },
        ...(props.billingExportSecret
          ? { cloudIntegrationSecret: props.billingExportSecret, cloudCost: { enabled: true } }
          : {}),
        metrics: {
          serviceMonitor: { enabled: true, additionalLabels: { ...m.selectorLabels } },
        },
        prometheus: {
          internal: {
            enabled: true,
            serviceName: `${m.releaseName}-prometheus`,
            namespaceName: m.namespace,
            port: 9090,
          },
        },
        ui: { enabled: false },
      },
    };
    this.resource = addPinnedRelease(this, {
      name: release,
      namespace: this.namespace,
      chart: OPS_HELM_CHARTS.openCost,
      values: toYaml(values),
      dependsOn: [ns],
    });
    this.node.defaultChild = this.resource;
  }
}
