import { parse } from 'yaml';
import { EndpointPickerRenderOptions, InferenceEngineType, SchedulingProfile } from '../../lib/k8s';
import { endpointPickerProblems } from './endpoint-picker-config';
import { constructStacks, exampleStacks } from './fixtures';

// Every EndpointPickerConfig the examples and constructs hand to the endpoint picker (Helm value
// `pluginsCustomConfig` of the llm-d-router charts), checked against what llm-d-router v0.10.0
// accepts (endpoint-picker-config.ts: strict decoding, registered plugin types and feature gates,
// plugin parameter structs).

/** `[where, config]` for every EndpointPickerConfig in the Helm values of a stack. */
function configsOf(name: string, json: any): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const walk = (node: unknown, where: string): void => {
    if (Array.isArray(node)) return node.forEach((v, i) => walk(v, `${where}[${i}]`));
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'pluginsCustomConfig' && v && typeof v === 'object') {
        for (const [file, text] of Object.entries(v))
          out.push([`${where}.${k}.${file}`, parse(String(text))]);
      } else walk(v, `${where}.${k}`);
    }
  };
  for (const [id, r] of Object.entries<any>(json.resource?.helm_release ?? {})) {
    (r.values ?? []).forEach((v: string, i: number) =>
      walk(parse(v), `${name}: helm_release.${id}.values[${i}]`),
    );
  }
  return out;
}

const configs = [...exampleStacks(), ...constructStacks()].flatMap((s) => configsOf(s.name, s.json));

describe('EndpointPickerConfig against llm-d-router v0.10.0', () => {
  test('the checker refuses what the picker refuses', () => {
    const good = SchedulingProfile.default().render({
      engine: InferenceEngineType.VLLM,
      loraAdapters: false,
    });
    expect(endpointPickerProblems(good)).toEqual([]);
    expect(
      endpointPickerProblems({
        ...good,
        featureGates: ['flowcontrol'],
        scheduler: {},
        plugins: [
          { type: 'queue-scorer' },
          { type: 'metrics-data-source', parameters: { scheme: 'http', port: 70000, timeout: '1s' } },
          { type: 'core-metrics-extractor', parameters: { defaultEngine: 'vLLM' } },
          { type: 'least-queue-scorer' },
        ],
        schedulingProfiles: [
          { name: 'default', plugins: [{ pluginRef: 'kv-cache-utilization-scorer', weight: 2 }] },
        ],
      }),
    ).toEqual([
      '.featureGates[0]: "flowcontrol" is not one of flowControl',
      '.scheduler: unknown field (strict decoding)',
      '.plugins[1].parameters.port: want a port 1-65535, got 70000',
      '.plugins[1].parameters.timeout: unknown field (strict decoding)',
      '.plugins[2].parameters.defaultEngine: "vLLM" is not one of vllm, sglang, trtllm-serve, triton-tensorrt-llm, triton',
      ".plugins[3].type: 'least-queue-scorer' is not a plugin type this table lists as registered at v0.10.0",
      ".schedulingProfiles[0].plugins[0].pluginRef: no plugin 'kv-cache-utilization-scorer'",
    ]);
  });

  test('there are configurations to check (the gateway and the standalone chart)', () => {
    expect(configs.length).toBeGreaterThan(1);
  });

  test.each(configs)('%s', (_where, config) => {
    expect(endpointPickerProblems(config)).toEqual([]);
  });

  test.each<[string, EndpointPickerRenderOptions]>([
    ['vLLM', { engine: InferenceEngineType.VLLM, loraAdapters: true }],
    ['SGLang, metrics port', { engine: InferenceEngineType.SGLANG, loraAdapters: false, metricsPort: 9090 }],
    ['Triton + TensorRT-LLM', { engine: InferenceEngineType.TRITON_TENSORRT_LLM, loraAdapters: false }],
    [
      'flow control',
      { engine: InferenceEngineType.VLLM, loraAdapters: false, flowControl: { requestTtlSeconds: 30 } },
    ],
  ])('every render option path: %s', (_name, options) => {
    for (const profile of [
      SchedulingProfile.default(),
      SchedulingProfile.of({ queueDepth: 0, prefixCacheAffinity: 5 }),
    ]) {
      expect(endpointPickerProblems(profile.render(options))).toEqual([]);
    }
  });
});
