import { TraceExportRole, XRAY_WRITE_ACTIONS } from '../../lib/aws';
import { ValidationError } from '../../lib/core';
import { resourcesOf, synthJson } from '../util';
import { clusterStack } from './util';

describe('TraceExportRole', () => {
  test('binds a Pod Identity role to the collector’s default service account', () => {
    const { stack, cluster } = clusterStack();
    new TraceExportRole(stack, 'TraceExport', { cluster });
    const json = synthJson(stack);
    const assoc = Object.values(resourcesOf(json, 'aws_eks_pod_identity_association')).find((a: any) =>
      String(a.role_arn).includes('TraceExport'),
    ) as any;
    expect(assoc).toMatchObject({ namespace: 'observability', service_account: 'otel-collector' });
  });

  test('allows only the X-Ray write actions (least privilege)', () => {
    const { stack, cluster } = clusterStack();
    const r = new TraceExportRole(stack, 'TraceExport', {
      cluster,
      namespace: 'otel',
      serviceAccount: 'traces',
    });
    const json = synthJson(stack);
    const policy: any = Object.entries(resourcesOf(json, 'aws_iam_role_policy')).find(([k]) =>
      k.includes('TraceExport'),
    )![1];
    expect(JSON.parse(policy.policy)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], Resource: '*' },
      ],
    });
    expect(XRAY_WRITE_ACTIONS).toHaveLength(2);
    expect(r.node.defaultChild).toBe(r.policy);
  });

  test('throws a ValidationError on an invalid namespace', () => {
    const { stack, cluster } = clusterStack();
    expect(() => new TraceExportRole(stack, 'TraceExport', { cluster, namespace: 'Otel' })).toThrow(
      ValidationError,
    );
  });
});
