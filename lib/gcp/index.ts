// Re-exports only; internals live in private/.
export * from './machine-types';
export * from './network';
export * from './node-pool-options';
export * from './cluster';
export * from './training-node-pool';
export * from './inference-node-pool';
export * from './principal';
export * from './checkpoint-bucket';
export * from './artifact-registry';
export * from './monitoring';
export * from './budget-alarm';
export * from './trace-export';
export * from './team-budget-alarms';
export * from './log-management';
