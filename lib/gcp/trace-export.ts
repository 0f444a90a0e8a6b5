import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { Construct } from 'constructs';
import { raiseDeferredDeprecations, Validate, ValidationError } from '../core';
import { GcpPrincipal } from './principal';

/**
 * The predefined role the OpenTelemetry Collector's `googlecloud` exporter needs to write spans:
 * Cloud Trace Agent (`cloudtrace.traces.patch`).
 * @see https://cloud.google.com/trace/docs/iam#roles
 */
export const CLOUD_TRACE_AGENT_ROLE = 'roles/cloudtrace.agent';

/** Properties of a {@link TraceExportGrant}. */
export interface TraceExportGrantProps {
  /** Project the traces are written to (the k8s `TraceBackend.googleCloudTrace` `project`). */
  readonly project: string;
  /**
   * The collector's identity: its Kubernetes service account through Workload Identity, for
   * example `GcpPrincipal.kubernetesServiceAccount({ ..., namespace: 'observability', serviceAccount: 'otel-collector' })`.
   */
  readonly principal: GcpPrincipal;
}

/**
 * Grants an in-cluster OpenTelemetry Collector (`k8s.TraceBackend.googleCloudTrace`) the Cloud
 * Trace Agent role on the project, through Workload Identity Federation for GKE (no Google
 * service account, no key).
 *
 * @example
 * new TraceExportGrant(stack, 'TraceExport', {
 *   project: 'acme-ml',
 *   principal: GcpPrincipal.kubernetesServiceAccount({
 *     projectNumber: '123456789012', project: 'acme-ml', namespace: 'observability', serviceAccount: 'otel-collector',
 *   }),
 * });
 */
export class TraceExportGrant extends Construct {
  /** The IAM member binding. */
  public readonly resource: ProjectIamMember;

  constructor(scope: Construct, id: string, props: TraceExportGrantProps) {
    super(scope, id);
    Validate.object(this, 'props', props);
    Validate.gcpProjectId(this, 'project', props.project);
    if (!(props.principal instanceof GcpPrincipal)) {
      throw new ValidationError(
        `'principal' must be a GcpPrincipal (GcpPrincipal.kubernetesServiceAccount(...) or GcpPrincipal.serviceAccount(...)).`,
        this,
        'type',
      );
    }
    raiseDeferredDeprecations(this, props.principal);
    this.resource = new ProjectIamMember(this, 'Resource', {
      project: props.project,
      role: CLOUD_TRACE_AGENT_ROLE,
      member: props.principal.member,
    });
    this.node.defaultChild = this.resource;
  }
}
