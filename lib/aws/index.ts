// Re-exports only.
export * from './instance-types';
export * from './efa';
export * from './roles';
export * from './network';
export * from './cluster';
export * from './node-repair';
export * from './training-node-group';
export * from './inference-node-group';
export { GpuAmiType, NODE_POOL_LABEL } from './private/node-group-common';
export * from './alert-topic';
export * from './checkpoint-store';
export * from './registry';
export * from './monitoring';
export * from './budget-alarm';
export * from './trace-export';
export * from './team-budget-alarms';
export * from './container-logs';
