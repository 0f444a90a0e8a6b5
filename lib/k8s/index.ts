// Re-exports only.
export * from './versions';
export * from './interfaces';
export * from './weights';
export * from './model-server';
