// What each idle subscriber holds: the difference between two heap snapshots of one server (taken
// by bench/gc-preload.js with BENCH_HEAP_SNAPSHOTS=<dir>, before the subscribers and at rest),
// by object kind (V8's node type and constructor or closure name), divided by the subscribers.
//   BENCH_HEAP_SNAPSHOTS=/tmp/heap npm run bench -- --only rate-1k,chat-client-1k --server switchboard
//   npx tsx bench/heap-diff.ts /tmp/heap/<pid>-1.heapsnapshot /tmp/heap/<pid>-2.heapsnapshot 1000 [rows]
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** Count and self size per kind. */
function census(path: string): Map<string, { count: number; bytes: number }> {
  const data = JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
  const fields = data.snapshot.meta.node_fields;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const types = data.snapshot.meta.node_types[0];
  const kinds = new Map<string, { count: number; bytes: number }>();
  for (let i = 0; i < data.nodes.length; i += width) {
    const type = types[data.nodes[i + typeAt]!]!;
    let name = type === 'object' || type === 'closure' || type === 'native' ? data.strings[data.nodes[i + nameAt]!]! : '';
    // Strings and code are many distinct names: one row per type.
    if (name.length > 60) name = `${name.slice(0, 57)}...`;
    const key = `${type}:${name}`;
    const kind = kinds.get(key) ?? { count: 0, bytes: 0 };
    kind.count++;
    kind.bytes += data.nodes[i + sizeAt]!;
    kinds.set(key, kind);
  }
  return kinds;
}

const [beforePath, afterPath, subscribersText, rowsText] = process.argv.slice(2);
if (!beforePath || !afterPath || !subscribersText) {
  process.stderr.write('usage: tsx bench/heap-diff.ts <before.heapsnapshot> <after.heapsnapshot> <subscribers> [rows]\n');
  process.exit(2);
}
const subscribers = Number(subscribersText);
const before = census(beforePath);
const after = census(afterPath);
const rows: Array<{ key: string; count: number; bytes: number }> = [];
for (const [key, kind] of after) {
  const old = before.get(key) ?? { count: 0, bytes: 0 };
  rows.push({ key, count: (kind.count - old.count) / subscribers, bytes: (kind.bytes - old.bytes) / subscribers });
}
rows.sort((a, b) => b.bytes - a.bytes);
const total = rows.reduce((sum, row) => sum + row.bytes, 0);
process.stdout.write(`per subscriber: ${(total / 1024).toFixed(2)} KiB of V8 heap objects\n`);
process.stdout.write(`${'kind'.padEnd(64)} ${'objects'.padStart(9)} ${'bytes'.padStart(9)}\n`);
for (const row of rows.slice(0, Number(rowsText ?? 40))) {
  process.stdout.write(`${row.key.padEnd(64)} ${row.count.toFixed(2).padStart(9)} ${row.bytes.toFixed(0).padStart(9)}\n`);
}
