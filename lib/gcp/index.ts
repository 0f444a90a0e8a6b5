// Re-exports only; constructs live in private/.
export {};
