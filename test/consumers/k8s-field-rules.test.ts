import { fieldRuleProblems } from './k8s-field-rules';

const pod = (container: Record<string, unknown>, volumes: unknown[] = []) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'llama-3.1-8b', namespace: 'llm', labels: { 'app.kubernetes.io/name': 'vllm' } },
  spec: { template: { spec: { containers: [{ name: 'vllm', ...container }], volumes } } },
});

describe('API server field rules beyond the OpenAPI', () => {
  test('accepts valid names, labels, ports, quantities and env names', () => {
    expect(
      fieldRuleProblems(
        pod(
          {
            ports: [{ name: 'http', containerPort: 8000 }],
            env: [{ name: 'HF_HOME', value: '/models' }],
            resources: { limits: { 'nvidia.com/gpu': '8', memory: '512Gi', 'hugepages-2Mi': '5210Mi' } },
          },
          [{ name: 'model-cache', emptyDir: {} }],
        ),
      ),
    ).toEqual([]);
  });

  test.each([
    [
      'an object name with upper case',
      { metadata: { name: 'Llama' } },
      /\/metadata\/name: 'Llama' must be a DNS-1123 subdomain/,
    ],
    ['a Service name starting with a digit', { kind: 'Service', metadata: { name: '8b-vllm' } }, /DNS-1035/],
    [
      'a label value longer than 63',
      { metadata: { name: 'x', labels: { a: 'v'.repeat(64) } } },
      /label value/,
    ],
    ['a label key with two slashes', { metadata: { name: 'x', labels: { 'a/b/c': 'v' } } }, /at most one \//],
  ])('rejects %s', (_name, override, message) => {
    expect(fieldRuleProblems({ ...pod({}), ...override })).toEqual([expect.stringMatching(message)]);
  });

  test('rejects a port name longer than 15 characters, a bad quantity and a bad env name', () => {
    expect(
      fieldRuleProblems(
        pod({
          ports: [{ name: 'metrics-endpoint', containerPort: 8002 }],
          env: [{ name: '1BAD', value: 'x' }],
          resources: { requests: { memory: '2 Gi' } },
        }),
      ),
    ).toEqual([
      expect.stringMatching(/ports\/0\/name: 'metrics-endpoint' a port name must be an IANA_SVC_NAME/),
      expect.stringMatching(/env\/0\/name: '1BAD'/),
      expect.stringMatching(/resources\/requests\/memory: '2 Gi' is not a Kubernetes quantity/),
    ]);
  });

  test('skips values Terraform resolves at apply time, and Prometheus rule labels', () => {
    expect(
      fieldRuleProblems({
        apiVersion: 'monitoring.coreos.com/v1',
        kind: 'PrometheusRule',
        metadata: { name: '${var.name}' },
        spec: {
          groups: [
            { name: 'g', rules: [{ alert: 'A', expr: 'up', labels: { summary: 'any text / at all' } }] },
          ],
        },
      }),
    ).toEqual([]);
  });
});
