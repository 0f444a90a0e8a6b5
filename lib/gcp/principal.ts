import { deferDeprecation, renamedOption, Validate, ValidationError } from '../core';
import { unresolved } from './private/names';

/** Options of {@link GcpPrincipal.kubernetesServiceAccount}. */
export interface KubernetesServiceAccountPrincipalOptions {
  /** Project number (digits) of the cluster's project: the Workload Identity principal uses it. */
  readonly projectNumber: string;
  /**
   * Project id of the cluster's project (the pool is `<project>.svc.id.goog`). Required (or its
   * deprecated alias `projectId`).
   */
  readonly project?: string;
  /**
   * @deprecated renamed `project` (its name in every module); warns `deprecated-api` on the
   * construct the principal is granted by, removed in the next minor release
   */
  readonly projectId?: string;
  /**
   * The cluster's Workload Identity pool: pass `cluster.workloadIdentityPool` so the grant is
   * created after the cluster. The pool only exists once the project's first Workload Identity
   * cluster does; a grant applied before fails with "Identity Pool does not exist".
   * @default - `<project>.svc.id.goog`, with no ordering against the cluster
   */
  readonly workloadIdentityPool?: string;
  /** Kubernetes namespace. */
  readonly namespace: string;
  /** Kubernetes service account name. */
  readonly serviceAccount: string;
}

/**
 * An IAM member a construct can grant access to: a Kubernetes service account through Workload
 * Identity Federation for GKE (no Google service account needed), or a Google service account.
 *
 * @see https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity
 * @example
 * bucket.grantReadWrite(GcpPrincipal.kubernetesServiceAccount({
 *   projectNumber: '123456789012', project: 'my-project', namespace: 'training', serviceAccount: 'trainer',
 * }));
 */
export class GcpPrincipal {
  /**
   * A Kubernetes service account, as
   * `principal://iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/<project>.svc.id.goog/subject/ns/<ns>/sa/<ksa>`.
   */
  public static kubernetesServiceAccount(o: KubernetesServiceAccountPrincipalOptions): GcpPrincipal {
    const where = 'GcpPrincipal.kubernetesServiceAccount';
    Validate.object(undefined, `${where} options`, o);
    Validate.string(undefined, `${where} projectNumber`, o.projectNumber);
    const renamed = renamedOption(where, 'projectId', o.projectId, 'project', o.project);
    const project = Validate.gcpProjectId(undefined, `${where} project`, renamed.value);
    Validate.k8sDnsLabel(undefined, `${where} namespace`, o.namespace, { what: 'a namespace' });
    Validate.k8sDnsSubdomain(undefined, `${where} serviceAccount`, o.serviceAccount, {
      what: 'a service account name',
    });
    if (o.workloadIdentityPool !== undefined)
      Validate.string(undefined, `${where} workloadIdentityPool`, o.workloadIdentityPool);
    if (!unresolved(o.projectNumber) && !/^\d{6,20}$/.test(o.projectNumber)) {
      throw new ValidationError(
        `GcpPrincipal.kubernetesServiceAccount: 'projectNumber' ('${o.projectNumber}') must be the project number (digits, for example '123456789012'), not the project id.`,
      );
    }
    for (const [prop, v] of [
      ['namespace', o.namespace],
      ['serviceAccount', o.serviceAccount],
    ] as const) {
      if (!unresolved(v) && !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(v)) {
        throw new ValidationError(
          `GcpPrincipal.kubernetesServiceAccount: '${prop}' ('${v}') is not a Kubernetes name (lower case DNS label).`,
        );
      }
    }
    const pool = o.workloadIdentityPool ?? `${project}.svc.id.goog`;
    if (!unresolved(pool) && pool !== `${project}.svc.id.goog`) {
      throw new ValidationError(
        `GcpPrincipal.kubernetesServiceAccount: 'workloadIdentityPool' ('${pool}') is not the pool of 'project' ('${project}.svc.id.goog'): pass cluster.workloadIdentityPool of a cluster in that project.`,
      );
    }
    const principal = new GcpPrincipal(
      `principal://iam.googleapis.com/projects/${o.projectNumber}/locations/global/workloadIdentityPools/${pool}/subject/ns/${o.namespace}/sa/${o.serviceAccount}`,
    );
    deferDeprecation(principal, renamed.deprecation);
    return principal;
  }

  /** A Google service account by email. */
  public static serviceAccount(email: string): GcpPrincipal {
    Validate.email(undefined, 'GcpPrincipal.serviceAccount email', email);
    if (!unresolved(email) && !/^[^@\s]+@[^@\s]+\.iam\.gserviceaccount\.com$/.test(email)) {
      throw new ValidationError(
        `GcpPrincipal.serviceAccount: '${email}' is not a service account email (<name>@<project>.iam.gserviceaccount.com).`,
      );
    }
    return new GcpPrincipal(`serviceAccount:${email}`);
  }

  /** The IAM `member` string. */
  public readonly member: string;

  private constructor(member: string) {
    this.member = member;
  }
}
