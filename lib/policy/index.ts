// Re-exports only.
export * from './rule';
export * from './rules';
export * from './report';
export * from './suppressions';
export * from './pack';
