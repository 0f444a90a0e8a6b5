import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Construct } from 'constructs';
import { Validate } from '../core';
import { WorkloadRole } from './cluster';
import { IEksCluster } from './interfaces';

/**
 * The X-Ray actions the OpenTelemetry Collector's `awsxray` exporter calls: it uploads segments
 * (`PutTraceSegments`) and, with its default `telemetry` settings, its own telemetry records
 * (`PutTelemetryRecords`). X-Ray has no resource-level permissions for either, so the resource
 * is `*` (Service Authorization Reference, "Actions defined by AWS X-Ray").
 * @see https://github.com/open-telemetry/opentelemetry-collector-contrib/tree/main/exporter/awsxrayexporter
 */
export const XRAY_WRITE_ACTIONS: readonly string[] = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

/** Properties of a {@link TraceExportRole}. */
export interface TraceExportRoleProps {
  /** The cluster the collector runs in. */
  readonly cluster: IEksCluster;
  /**
   * Namespace of the collector (the k8s `TraceCollector`'s `namespace`).
   * @default 'observability'
   */
  readonly namespace?: string;
  /**
   * Service account of the collector (the k8s `TraceCollector`'s `releaseName`).
   * @default 'otel-collector'
   */
  readonly serviceAccount?: string;
}

/**
 * The EKS Pod Identity role of an in-cluster OpenTelemetry Collector that exports traces to AWS
 * X-Ray (`k8s.TraceBackend.awsXRay`): a {@link WorkloadRole} for the collector's service account
 * with an inline policy allowing only {@link XRAY_WRITE_ACTIONS}.
 *
 * @example
 * new TraceExportRole(stack, 'TraceExport', { cluster });
 * // in the workloads stack:
 * new k8s.TraceCollector(platform, 'Traces', { backends: [k8s.TraceBackend.awsXRay({ region: 'us-east-1' })] });
 */
export class TraceExportRole extends Construct {
  /** The role. */
  public readonly role: WorkloadRole;
  /** The X-Ray write policy. */
  public readonly policy: IamRolePolicy;

  constructor(scope: Construct, id: string, props: TraceExportRoleProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.object(this, 'cluster', props.cluster);
    this.role = new WorkloadRole(this, 'Role', props.cluster, {
      namespace: props.namespace ?? 'observability',
      serviceAccount: props.serviceAccount ?? 'otel-collector',
    });
    this.policy = new IamRolePolicy(this, 'XRayWrite', {
      role: this.role.roleName,
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: [...XRAY_WRITE_ACTIONS], Resource: '*' }],
      }),
    });
    this.node.defaultChild = this.policy;
  }
}
