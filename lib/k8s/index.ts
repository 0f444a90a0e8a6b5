// Re-exports only.
export * from './versions';
export * from './interfaces';
export * from './pod-spec';
export * from './pod-security';
export * from './weights';
export * from './engines';
export * from './metrics-collection';
export * from './model-server';
export * from './gpu-platform';
export * from './monitoring-stack';
export * from './training-job';
export * from './training-queues';
export * from './gke-device-networks';
export * from './lora';
export * from './inference-gateway';
export * from './tracing';
export * from './opencost';
