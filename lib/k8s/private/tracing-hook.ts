import { IConstruct } from 'constructs';
import { Validate, Warnings } from '../../core';
import type { IServingEngine } from '../engines/engine';
import type { ITraceCollector } from '../interfaces';
import type { PodEnvVar } from '../pod-spec';
import { otelEnv } from '../tracing';

/** The tracing props of a model server. */
export interface TracingProps {
  readonly tracing?: ITraceCollector;
  readonly detailedTraces?: boolean;
}

/** Who the spans come from. */
export interface TracedWorkload {
  /** `service.name` of the spans. */
  readonly serviceName: string;
  /** Namespace (`k8s.namespace.name`). */
  readonly namespace: string;
  /** Deployment name (`k8s.deployment.name`). */
  readonly deploymentName: string;
}

/** What tracing adds to an engine container. */
export interface EngineTracingBinding {
  readonly args: string[];
  readonly env: PodEnvVar[];
}

/**
 * The engine's trace arguments and the OpenTelemetry environment of a model server, or nothing
 * without `tracing`. An engine with no trace export gets nothing and a warning.
 */
export function engineTracing(
  scope: IConstruct,
  engine: IServingEngine,
  props: TracingProps,
  workload: TracedWorkload,
): EngineTracingBinding {
  if (props.detailedTraces !== undefined) Validate.boolean(scope, 'detailedTraces', props.detailedTraces);
  if (props.tracing === undefined) {
    if (props.detailedTraces) {
      Warnings.add(
        scope,
        'k8s-detailed-traces-without-tracing',
        `'detailedTraces' is set but 'tracing' is not: no traces are exported. Pass a TraceCollector as 'tracing'.`,
      );
    }
    return { args: [], env: [] };
  }
  if (!engine.tracing) {
    Warnings.add(
      scope,
      'k8s-engine-without-tracing',
      `'tracing' is set but the ${engine.displayName} engine exports no OpenTelemetry traces through this library: the server is not traced.`,
    );
    return { args: [], env: [] };
  }
  const env = otelEnv(scope, props.tracing, {
    serviceName: workload.serviceName,
    protocol: 'grpc',
    resourceAttributes: {
      'k8s.namespace.name': workload.namespace,
      'k8s.deployment.name': workload.deploymentName,
    },
  });
  return {
    args: [
      ...engine.tracing.args(props.tracing.otlpGrpcEndpoint),
      ...(props.detailedTraces ? engine.tracing.detailedArgs : []),
    ],
    env,
  };
}
