/**
 * What llm-d-router v0.10.0 (github.com/llm-d/llm-d-router tag v0.10.0, commit
 * 71f4f0999f95b96c49a9d0c4afbd18dfdb943c26), the endpoint picker the pinned charts run, accepts
 * in its `EndpointPickerConfig`, read from the tag for the parts the library writes:
 *
 * - the document is decoded strictly (`pkg/epp/config/loader/configloader.go`:
 *   `serializer.NewCodecFactory(scheme, serializer.EnableStrict)`): an unknown field at any level
 *   fails the picker's start. Fields are the json tags of `apix/config/v1alpha1/
 *   endpointpickerconfig_types.go` (`EndpointPickerConfig`, `PluginSpec`, `SchedulingProfile`,
 *   `SchedulingPlugin`, `FlowControlConfig`);
 * - each plugin's `parameters` go through `fwkplugin.StrictDecoder` (`DisallowUnknownFields`,
 *   `pkg/epp/framework/interface/plugin/registry.go`) into the plugin's parameter struct;
 * - a plugin `type` must be registered (`cmd/epp/runner/runner.go`, `fwkplugin.Register` calls);
 * - `featureGates` must be registered (`loader.RegisterFeatureGate` in runner.go: `flowControl`,
 *   `pkg/epp/flowcontrol/config.go`, and the HA non-leader datastore gate);
 * - `core-metrics-extractor`'s `defaultEngine` must name one of its engine configurations
 *   (`pkg/epp/framework/plugins/datalayer/extractor/metrics/factories.go` `defaultEngineConfigs`).
 *
 * Only the plugin types the library uses are listed (their registration line in runner.go);
 * a type the library starts to use must be looked up at the tag and added here.
 */

/** A JSON value's expected shape: a type, or an object of fields. */
export type Shape =
  | 'string'
  | 'bool'
  | 'number'
  | 'duration'
  | 'port'
  | { readonly oneOf: readonly string[] }
  | { readonly list: Shape }
  | { readonly fields: Readonly<Record<string, Shape>> };

/** The plugin types the library writes, with their parameter fields (json tags) at v0.10.0. */
export const PLUGINS: Readonly<
  Record<string, { readonly registered: string; readonly parameters: Readonly<Record<string, Shape>> }>
> = {
  // No parameters are written for the scorers; their factories' parameter structs are not listed.
  'queue-scorer': { registered: 'runner.go:625 queuedepth.QueueScorerType', parameters: {} },
  'kv-cache-utilization-scorer': {
    registered: 'runner.go:624 kvcacheutilization.KvCacheUtilizationScorerType',
    parameters: {},
  },
  'prefix-cache-scorer': { registered: 'runner.go:611 prefix.PrefixCacheScorerPluginType', parameters: {} },
  'lora-affinity-scorer': { registered: 'runner.go:627 loraaffinity.LoraAffinityScorerType', parameters: {} },
  'metrics-data-source': {
    registered: 'runner.go:692 sourcemetrics.MetricsDataSourceType',
    // pkg/epp/framework/plugins/datalayer/source/metrics/datasource.go metricsDatasourceParams;
    // the factory refuses a port outside 1-65535.
    parameters: {
      scheme: 'string',
      path: 'string',
      port: 'port',
      insecureSkipVerify: 'bool',
      caCertPath: 'string',
      clientCertPath: 'string',
      clientKeyPath: 'string',
      interval: 'string',
    },
  },
  'core-metrics-extractor': {
    registered: 'runner.go:693 extractormetrics.MetricsExtractorType',
    // factories.go modelServerExtractorParams (engineConfigs are not written by the library).
    parameters: {
      engineLabelKey: 'string',
      defaultEngine: { oneOf: ['vllm', 'sglang', 'trtllm-serve', 'triton-tensorrt-llm', 'triton'] },
    },
  },
};

/** Registered feature gates at v0.10.0 (the HA gate's name is not used by the library). */
export const FEATURE_GATES: readonly string[] = ['flowControl'];

/** The fields of the document and of the parts the library writes (json tags at v0.10.0). */
export const DOCUMENT: Shape = {
  fields: {
    apiVersion: { oneOf: ['llm-d.ai/v1alpha1'] },
    kind: { oneOf: ['EndpointPickerConfig'] },
    featureGates: { list: { oneOf: FEATURE_GATES } },
    plugins: { list: { fields: { name: 'string', type: 'string', parameters: { fields: {} } } } },
    schedulingProfiles: {
      list: {
        fields: { name: 'string', plugins: { list: { fields: { pluginRef: 'string', weight: 'number' } } } },
      },
    },
    flowControl: {
      // FlowControlConfig; only defaultRequestTTL (a metav1.Duration) is written.
      fields: { defaultRequestTTL: 'duration' },
    },
  },
};

/** Go `time.ParseDuration` (what metav1.Duration unmarshals with). */
const GO_DURATION = /^[-+]?(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+$|^0$/;

/** Problems of `value` against `shape` (plugin parameters are checked by {@link endpointPickerProblems}). */
function check(value: unknown, shape: Shape, path: string, out: string[]): void {
  if (shape === 'string') {
    if (typeof value !== 'string') out.push(`${path}: want a string, got ${JSON.stringify(value)}`);
  } else if (shape === 'bool') {
    if (typeof value !== 'boolean') out.push(`${path}: want a boolean, got ${JSON.stringify(value)}`);
  } else if (shape === 'number') {
    if (typeof value !== 'number') out.push(`${path}: want a number, got ${JSON.stringify(value)}`);
  } else if (shape === 'port') {
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 65535) {
      out.push(`${path}: want a port 1-65535, got ${JSON.stringify(value)}`);
    }
  } else if (shape === 'duration') {
    if (typeof value !== 'string' || !GO_DURATION.test(value))
      out.push(`${path}: want a Go duration, got ${JSON.stringify(value)}`);
  } else if ('oneOf' in shape) {
    if (typeof value !== 'string' || !shape.oneOf.includes(value)) {
      out.push(`${path}: ${JSON.stringify(value)} is not one of ${shape.oneOf.join(', ')}`);
    }
  } else if ('list' in shape) {
    if (!Array.isArray(value)) out.push(`${path}: want a list`);
    else value.forEach((v, i) => check(v, shape.list, `${path}[${i}]`, out));
  } else {
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      out.push(`${path}: want an object`);
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      const field = shape.fields[k];
      if (path.endsWith(']') && path.includes('.plugins[') && k === 'parameters') continue; // checked per type
      if (field === undefined) out.push(`${path}.${k}: unknown field (strict decoding)`);
      else check(v, field, `${path}.${k}`, out);
    }
  }
}

/** What the v0.10.0 endpoint picker would refuse in `config`. */
export function endpointPickerProblems(config: unknown): string[] {
  const out: string[] = [];
  check(config, DOCUMENT, '', out);
  const c = config as {
    plugins?: Array<{ name?: string; type?: string; parameters?: unknown }>;
    schedulingProfiles?: any[];
  };
  const names = new Set<string>();
  for (const [i, p] of (c.plugins ?? []).entries()) {
    const plugin = p.type === undefined ? undefined : PLUGINS[p.type];
    if (!plugin) {
      out.push(
        `.plugins[${i}].type: '${p.type}' is not a plugin type this table lists as registered at v0.10.0`,
      );
      continue;
    }
    names.add(p.name ?? p.type!); // unnamed: named after its type (pkg/epp/config/loader/defaults.go:110)
    if (p.parameters !== undefined)
      check(p.parameters, { fields: plugin.parameters }, `.plugins[${i}].parameters`, out);
  }
  for (const [i, profile] of (c.schedulingProfiles ?? []).entries()) {
    for (const [j, ref] of (profile.plugins ?? []).entries()) {
      if (!names.has(ref.pluginRef))
        out.push(`.schedulingProfiles[${i}].plugins[${j}].pluginRef: no plugin '${ref.pluginRef}'`);
    }
  }
  return out;
}
