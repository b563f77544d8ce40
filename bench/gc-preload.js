// Loaded into every benchmarked server (`node --expose-gc --import ./bench/gc-preload.js ...`):
// SIGUSR2 runs a full, compacting garbage collection, so that the load generator reads the RSS
// of what is retained rather than of garbage not collected yet or of heap pages left half empty
// by it (what V8's memory reducer compacts by itself once a server has idled for a few seconds),
// and writes the heap figures after it to a file the load generator reads. Same for every
// server. Plain JavaScript, so that it loads without tsx into a server that runs without it.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapSpaceStatistics, setFlagsFromString, writeHeapSnapshot } from 'node:v8';

process.on('SIGUSR2', () => {
  setFlagsFromString('--compact-on-every-full-gc');
  globalThis.gc?.();
  setFlagsFromString('--no-compact-on-every-full-gc');
  const { heapUsed, heapTotal, external, arrayBuffers, rss } = process.memoryUsage();
  const spaces = Object.fromEntries(getHeapSpaceStatistics().map((space) => [space.space_name, { size: space.space_size, used: space.space_used_size }]));
  writeFileSync(join(tmpdir(), `switchboard-bench-heap-${process.pid}.json`), JSON.stringify({ heapUsed, heapTotal, external, arrayBuffers, rss, spaces }));
  // BENCH_HEAP_SNAPSHOTS=<dir>: also a heap snapshot each time (before and at rest), for
  // bench/heap-diff.ts to say what each subscriber holds. Taken after the figures above.
  const dir = process.env.BENCH_HEAP_SNAPSHOTS;
  if (dir) writeHeapSnapshot(join(dir, `${process.pid}-${++snapshots}.heapsnapshot`));
});
let snapshots = 0;
