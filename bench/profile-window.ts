// Where a benchmarked server spent its CPU during the measured window only: a .cpuprofile from
// BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=<dir>", cut from the last full GC that
// bench/gc-preload.js ran (the load generator's "at rest" reading, before the at-rest CPU window
// and the published messages): the `seconds` after it with the most deliveries (or, when that GC
// was not sampled, the `seconds` up to the last delivery),
// with self and total time per function.
//   npx tsx bench/profile-window.ts <file.cpuprofile> [seconds=5] [rows=40]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [path, secondsText, rowsText] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: tsx bench/profile-window.ts <file.cpuprofile> [seconds] [rows]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(path, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const label = (node: ProfileNode) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^.*\/(node_modules\/)?/, (match) => (match.includes('node_modules') ? 'nm:' : ''));
  return `${functionName || '(anonymous)'} ${file}:${lineNumber + 1}`;
};
const stackOf = (id: number) => {
  const stack: number[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(at);
  return stack;
};

let time = profile.startTime;
const times = profile.samples.map((_, i) => (time += profile.timeDeltas[i]!));
let start = -1;
profile.samples.forEach((id, i) => {
  if (stackOf(id).some((at) => byId.get(at)!.callFrame.url.includes('gc-preload'))) start = times[i]!;
});
const delivering = (id: number) => stackOf(id).some((at) => byId.get(at)!.callFrame.functionName === 'writeAll');
const seconds = Number(secondsText ?? 5);
if (start >= 0) {
  // The at-rest CPU window follows that reading, and its keepalive pings and presence refreshes
  // write too: the measured window is the `seconds` after the reading with the most deliveries
  // (its earliest start among those within 10 % of the most), not the first write after it.
  const writes = profile.samples.flatMap((id, i) => (times[i]! > start && delivering(id) ? [times[i]!] : []));
  let to = 0;
  const counts = writes.map((from, i) => {
    while (to < writes.length && writes[to]! <= from + seconds * 1e6) to += 1;
    return to - i;
  });
  const most = counts.reduce((a, b) => Math.max(a, b), 0);
  const first = counts.findIndex((count) => count >= most * 0.9);
  if (first >= 0) start = writes[first]!;
}
let end = start + seconds * 1e6;
if (start < 0) {
  // The GC was too quick to be sampled: the window that ends with the last delivery instead.
  profile.samples.forEach((id, i) => {
    if (delivering(id)) end = times[i]!;
  });
  start = end - seconds * 1e6;
}
const self = new Map<string, number>();
const total = new Map<string, number>();
let window = 0;
profile.samples.forEach((id, i) => {
  const at = times[i]!;
  if (at <= start || at > end) return;
  const delta = profile.timeDeltas[i + 1] ?? 0;
  window += delta;
  const node = byId.get(id)!;
  self.set(label(node), (self.get(label(node)) ?? 0) + delta);
  for (const name of new Set(stackOf(id).map((entry) => label(byId.get(entry)!)))) total.set(name, (total.get(name) ?? 0) + delta);
});
const rows = Number(rowsText ?? 40);
const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title} (of ${(window / 1000).toFixed(0)} ms sampled)\n`);
  for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, rows)) {
    process.stdout.write(`${((micros / window) * 100).toFixed(1).padStart(5)}% ${(micros / 1000).toFixed(0).padStart(6)} ms  ${name}\n`);
  }
};
print('self', self);
print('total', total);
