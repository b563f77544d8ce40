// Loaded into every benchmarked server (`node --expose-gc --import ./bench/gc-preload.js ...`):
// SIGUSR2 runs a full garbage collection, so that the load generator reads the RSS of what is
// retained rather than of garbage that happens not to be collected yet, and writes the heap
// figures after it to a file the load generator reads. Same for every server. Plain JavaScript, so
// that it loads without tsx into a server that runs without it.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.on('SIGUSR2', () => {
  globalThis.gc?.();
  const { heapUsed, external, arrayBuffers } = process.memoryUsage();
  writeFileSync(join(tmpdir(), `switchboard-bench-heap-${process.pid}.json`), JSON.stringify({ heapUsed, external, arrayBuffers }));
});
