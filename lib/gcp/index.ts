// Re-exports only; internals live in private/.
export * from './interfaces';
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
export * from './notification-channel';
export * from './budget-alarm';
export * from './trace-export';
export * from './team-budget-alarms';
export * from './log-management';
export * from './mlflow';
