import { IConstruct } from 'constructs';
import { Validate, ValidationError } from '../core';
import { InferenceEngineType } from './interfaces';

// ---------------------------------------------------------------------------------------------
// Endpoint picker scheduling
// ---------------------------------------------------------------------------------------------

/** Weights of the endpoint picker's scorers; a scorer with weight 0 is left out. */
export interface SchedulingProfileOptions {
  /**
   * `queue-scorer`: prefer pods with fewer waiting requests.
   * @default 2
   */
  readonly queueDepth?: number;
  /**
   * `kv-cache-utilization-scorer`: prefer pods with free KV cache.
   * @default 2
   */
  readonly kvCacheUtilization?: number;
  /**
   * `prefix-cache-scorer`: prefer pods that likely hold the prompt's prefix in cache.
   * @default 3
   */
  readonly prefixCacheAffinity?: number;
  /**
   * `lora-affinity-scorer`: prefer pods with the requested adapter loaded (added only when the
   * pool serves LoRA adapters).
   * @default 2
   */
  readonly loraAffinity?: number;
}

/**
 * The endpoint picker's scheduling profile, rendered as the `EndpointPickerConfig`
 * (`llm-d.ai/v1alpha1`) the pinned llm-d-router reads (fields from
 * `apix/config/v1alpha1/endpointpickerconfig_types.go` at v0.10.0). The default mirrors the
 * chart's own `default-plugins.yaml`: queue depth 2, KV-cache utilisation 2, prefix-cache
 * affinity 3; LoRA affinity is added when adapters are served.
 */
export class SchedulingProfile {
  /** Queue depth + KV-cache utilisation + prefix-cache affinity (+ LoRA affinity with adapters). */
  public static default(): SchedulingProfile {
    return new SchedulingProfile({});
  }

  /** Custom scorer weights. */
  public static of(options: SchedulingProfileOptions): SchedulingProfile {
    return new SchedulingProfile(options);
  }

  /** Scorer weights after defaults. */
  public readonly weights: Required<SchedulingProfileOptions>;

  private constructor(options: SchedulingProfileOptions) {
    this.weights = {
      queueDepth: options.queueDepth ?? 2,
      kvCacheUtilization: options.kvCacheUtilization ?? 2,
      prefixCacheAffinity: options.prefixCacheAffinity ?? 3,
      loraAffinity: options.loraAffinity ?? 2,
    };
  }

  /** Validates the weights: whole numbers from 0 to 100, at least one scorer on. */
  public validate(scope: IConstruct, prop: string): void {
    for (const [k, v] of Object.entries(this.weights)) {
      Validate.integer(scope, `${prop}.${k}`, v, { min: 0, max: 100 });
    }
    const w = this.weights;
    if (w.queueDepth + w.kvCacheUtilization + w.prefixCacheAffinity === 0) {
      throw new ValidationError(
        `'${prop}' turns every load scorer off (queueDepth, kvCacheUtilization and prefixCacheAffinity are 0): the picker ` +
          `would choose pods at random. Give at least one a weight above 0.`,
        scope,
      );
    }
  }

  /** The `EndpointPickerConfig` document. */
  public render(options: EndpointPickerRenderOptions): Record<string, unknown> {
    const w = this.weights;
    const scorers: Array<[string, number]> = [
      ['queue-scorer', w.queueDepth],
      ['kv-cache-utilization-scorer', w.kvCacheUtilization],
      ['prefix-cache-scorer', w.prefixCacheAffinity],
      ['lora-affinity-scorer', options.loraAdapters ? w.loraAffinity : 0],
    ];
    const active = scorers.filter(([, weight]) => weight > 0);
    const plugins: Array<Record<string, unknown>> = [
      ...active.map(([type]) => ({ type })),
      {
        type: 'metrics-data-source',
        // `port` overrides the target port (llm-d-router v0.10.0
        // pkg/epp/framework/plugins/datalayer/source/metrics/datasource.go).
        parameters: {
          scheme: 'http',
          path: '/metrics',
          insecureSkipVerify: true,
          ...(options.metricsPort !== undefined ? { port: options.metricsPort } : {}),
        },
      },
      options.engine === InferenceEngineType.VLLM
        ? { type: 'core-metrics-extractor' }
        : { type: 'core-metrics-extractor', parameters: { defaultEngine: options.engine } },
    ];
    const config: Record<string, unknown> = {
      apiVersion: 'llm-d.ai/v1alpha1',
      kind: 'EndpointPickerConfig',
    };
    if (options.flowControl) {
      config.featureGates = ['flowControl'];
    }
    config.plugins = plugins;
    config.schedulingProfiles = [
      { name: 'default', plugins: active.map(([type, weight]) => ({ pluginRef: type, weight })) },
    ];
    if (options.flowControl) {
      config.flowControl = { defaultRequestTTL: `${options.flowControl.requestTtlSeconds}s` };
    }
    return config;
  }
}

/** What {@link SchedulingProfile.render} needs to know about the pool. */
export interface EndpointPickerRenderOptions {
  /** The pool's engine. */
  readonly engine: InferenceEngineType;
  /**
   * The pods' metrics port, when it is not the pool's target port (`IInferenceBackend.metricsPort`).
   * @default - the target port
   */
  readonly metricsPort?: number;
  /** Whether the pool serves LoRA adapters. */
  readonly loraAdapters: boolean;
  /**
   * Flow control, when on.
   * @default - off
   */
  readonly flowControl?: FlowControlOptions;
}

/** Request buffering in the endpoint picker (llm-d-router flow control). */
export interface FlowControlOptions {
  /**
   * Longest a request waits in the picker's queue before it is shed with a retryable error
   * (`flowControl.defaultRequestTTL`; the picker's own default is 60 s, shorter than a model's
   * cold start). Must be below the route's request timeout.
   * @default 240
   */
  readonly requestTtlSeconds: number;
}
