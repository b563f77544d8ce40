// Who holds what an idle subscriber costs: the objects of the second heap snapshot that the first
// did not have (snapshot ids are stable within one process), each attributed to its nearest
// retainer with a class name (Member, WsSink, WebSocket...) through the edges that lead to it.
// Retainers are followed by their first strong edge, so a shared object counts once, under one
// of its holders. Sizes are self sizes, divided by the subscribers.
//   npx tsx bench/heap-holders.ts <before.heapsnapshot> <after.heapsnapshot> <subscribers> [rows]
import { readFileSync } from 'node:fs';

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[]]; edge_fields: string[]; edge_types: [string[]] } };
  nodes: number[];
  edges: number[];
  strings: string[];
}

const [beforePath, afterPath, subscribersText, rowsText] = process.argv.slice(2);
if (!beforePath || !afterPath || !subscribersText) {
  process.stderr.write('usage: tsx bench/heap-holders.ts <before> <after> <subscribers> [rows]\n');
  process.exit(2);
}

function load(path: string): Snapshot {
  return JSON.parse(readFileSync(path, 'utf8')) as Snapshot;
}

const beforeIds = new Set<number>();
{
  const a = load(beforePath);
  const width = a.snapshot.meta.node_fields.length;
  const idAt = a.snapshot.meta.node_fields.indexOf('id');
  for (let i = 0; i < a.nodes.length; i += width) beforeIds.add(a.nodes[i + idAt]!);
}
const b = load(afterPath);
const meta = b.snapshot.meta;
const width = meta.node_fields.length;
const typeAt = meta.node_fields.indexOf('type');
const nameAt = meta.node_fields.indexOf('name');
const idAt = meta.node_fields.indexOf('id');
const sizeAt = meta.node_fields.indexOf('self_size');
const edgeCountAt = meta.node_fields.indexOf('edge_count');
const edgeWidth = meta.edge_fields.length;
const edgeTypeAt = meta.edge_fields.indexOf('type');
const edgeNameAt = meta.edge_fields.indexOf('name_or_index');
const edgeToAt = meta.edge_fields.indexOf('to_node');
const nodeTypes = meta.node_types[0];
const edgeTypes = meta.edge_types[0];
const count = b.nodes.length / width;

const label = (n: number) => {
  const type = nodeTypes[b.nodes[n * width + typeAt]!]!;
  if (type === 'object' || type === 'closure' || type === 'native') return `${type === 'closure' ? 'closure ' : ''}${b.strings[b.nodes[n * width + nameAt]!]!}`;
  return type;
};
const isNew = (n: number) => !beforeIds.has(b.nodes[n * width + idAt]!);
// Holders worth naming: classes, not plumbing.
const PLUMBING = new Set(['Object', 'Array', 'system / Context', 'Map', 'Set', 'Promise', 'array', 'hidden', 'code', 'string', 'concatenated string', 'sliced string', 'number', 'object shape', 'synthetic', 'closure native_bind']);
const named = (n: number) => {
  const text = label(n);
  if (PLUMBING.has(text)) return false;
  if (text.startsWith('closure ')) return false;
  return /^[A-Z]/.test(text) || text.startsWith('system /') === false;
};

// First strong retainer of each node (weak and shortcut edges skipped), with the edge's name.
const retainer = new Int32Array(count).fill(-1);
const retainerEdge: string[] = new Array(count);
let edge = 0;
for (let n = 0; n < count; n++) {
  const edges = b.nodes[n * width + edgeCountAt]!;
  for (let k = 0; k < edges; k++, edge += edgeWidth) {
    const type = edgeTypes[b.edges[edge + edgeTypeAt]!]!;
    if (type === 'weak' || type === 'shortcut') continue;
    const to = b.edges[edge + edgeToAt]! / width;
    if (retainer[to] !== -1) continue;
    // Prefer new retainers for new objects (what the subscribers added holds them).
    if (isNew(to) && !isNew(n)) continue;
    retainer[to] = n;
    const nameOrIndex = b.edges[edge + edgeNameAt]!;
    retainerEdge[to] = type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : type === 'context' ? `ctx:${b.strings[nameOrIndex]}` : String(b.strings[nameOrIndex]);
  }
}
// Second pass: new objects that only old objects retain.
edge = 0;
for (let n = 0; n < count; n++) {
  const edges = b.nodes[n * width + edgeCountAt]!;
  for (let k = 0; k < edges; k++, edge += edgeWidth) {
    const type = edgeTypes[b.edges[edge + edgeTypeAt]!]!;
    if (type === 'weak' || type === 'shortcut') continue;
    const to = b.edges[edge + edgeToAt]! / width;
    if (retainer[to] !== -1) continue;
    retainer[to] = n;
    const nameOrIndex = b.edges[edge + edgeNameAt]!;
    retainerEdge[to] = type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : type === 'context' ? `ctx:${b.strings[nameOrIndex]}` : String(b.strings[nameOrIndex]);
  }
}

const subscribers = Number(subscribersText);
const totals = new Map<string, { count: number; bytes: number }>();
let all = 0;
for (let n = 0; n < count; n++) {
  if (!isNew(n)) continue;
  const bytes = b.nodes[n * width + sizeAt]!;
  all += bytes;
  const path: string[] = [];
  let at = n;
  for (let depth = 0; depth < 8; depth++) {
    const up = retainer[at]!;
    if (up < 0) break;
    path.unshift(retainerEdge[at]!.slice(0, 30));
    at = up;
    if (named(at) || !isNew(at)) break;
  }
  const key = `${isNew(at) ? '' : 'old '}${label(at)} .${path.join('.')} -> ${label(n)}`;
  const total = totals.get(key) ?? { count: 0, bytes: 0 };
  total.count++;
  total.bytes += bytes;
  totals.set(key, total);
}
const rows = [...totals].sort((x, y) => y[1].bytes - x[1].bytes).slice(0, Number(rowsText ?? 60));
process.stdout.write(`new objects per subscriber: ${(all / subscribers / 1024).toFixed(2)} KiB\n`);
for (const [key, total] of rows) process.stdout.write(`${(total.bytes / subscribers).toFixed(0).padStart(6)} B ${(total.count / subscribers).toFixed(2).padStart(6)}  ${key}\n`);
