// Loaded into every benchmarked server (`node --expose-gc --import bench/gc-preload.ts ...`):
// SIGUSR2 runs a full garbage collection, so that the load generator reads the RSS of what is
// retained rather than of garbage that happens not to be collected yet. Same for every server.
process.on('SIGUSR2', () => {
  (globalThis as { gc?: () => void }).gc?.();
});
