import { ValidationError } from '../../lib/core';
import { CLOUD_TRACE_AGENT_ROLE, GcpPrincipal, TraceExportGrant } from '../../lib/gcp';
import { onlyResource, synthJson } from '../util';
import { gcpStack } from './helpers';

const COLLECTOR = GcpPrincipal.kubernetesServiceAccount({
  projectNumber: '123456789012',
  project: 'acme-ml',
  namespace: 'observability',
  serviceAccount: 'otel-collector',
});

describe('TraceExportGrant', () => {
  test('grants Cloud Trace Agent to the collector’s Kubernetes service account', () => {
    const { stack } = gcpStack();
    new TraceExportGrant(stack, 'TraceExport', { project: 'acme-ml', principal: COLLECTOR });
    expect(onlyResource(synthJson(stack), 'google_project_iam_member')).toEqual({
      project: 'acme-ml',
      role: 'roles/cloudtrace.agent',
      member:
        'principal://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/acme-ml.svc.id.goog/subject/ns/observability/sa/otel-collector',
    });
    expect(CLOUD_TRACE_AGENT_ROLE).toBe('roles/cloudtrace.agent');
  });

  test('throws a ValidationError when the principal is not a GcpPrincipal', () => {
    const { stack } = gcpStack();
    expect(
      () =>
        new TraceExportGrant(stack, 'TraceExport', {
          project: 'acme-ml',
          principal: { member: 'user:a@example.com' } as unknown as GcpPrincipal,
        }),
    ).toThrow(ValidationError);
  });

  test('throws a ValidationError on an invalid project id', () => {
    const { stack } = gcpStack();
    expect(
      () => new TraceExportGrant(stack, 'TraceExport', { project: 'Acme', principal: COLLECTOR }),
    ).toThrow(/project/);
  });
});
