import { Testing } from 'cdktf';
import { build } from '../../examples/gcp-inference/main';
import { resourcesOf } from '../util';

describe('examples/gcp-inference', () => {
  const app = Testing.app();
  const [stack] = build(app);
  const json = JSON.parse(Testing.synth(stack, true));
  const pools = Object.values(resourcesOf(json, 'google_container_node_pool')) as any[];
  const byName = (n: string) => pools.find((p) => p.name === n)!;

  test('matches the snapshot', () => {
    expect(json).toMatchSnapshot();
  });

  test('the L4 pools run g2 and scale from zero', () => {
    for (const n of ['l4-awq', 'l4-int8']) {
      expect(byName(n).node_config.guest_accelerator[0].type).toBe('nvidia-l4');
      expect(byName(n).autoscaling.total_min_node_count).toBe(0);
    }
  });

  test('the 70B FP8 pool runs H100 on Spot with location policy ANY', () => {
    const h = byName('h100-fp8');
    expect(h.node_config.machine_type).toMatch(/^a3-highgpu-/);
    expect(h.node_config.spot).toBe(true);
    expect(h.autoscaling.location_policy).toBe('ANY');
  });

  test('the registry mirrors Docker Hub, GHCR and NGC', () => {
    const remotes = (Object.values(resourcesOf(json, 'google_artifact_registry_repository')) as any[]).filter(
      (r) => r.mode === 'REMOTE_REPOSITORY',
    );
    expect(remotes.map((r) => r.repository_id).sort()).toEqual([
      'serving-docker-hub',
      'serving-ghcr',
      'serving-nvcr',
    ]);
  });

  test('alert policies query vLLM metrics with the __name__ selector', () => {
    const queries = (Object.values(resourcesOf(json, 'google_monitoring_alert_policy')) as any[]).map(
      (p) => p.conditions[0].condition_prometheus_query_language.query as string,
    );
    expect(queries.some((q) => q.includes('{__name__="vllm:num_requests_waiting", namespace="llm"}'))).toBe(
      true,
    );
  });
});
