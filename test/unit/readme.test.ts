import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The README is the front door: short, leading with the map, and pointing at every page of docs/. */
const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const DOCS = new URL('../../docs/', import.meta.url);

/** The hard limit on the README's size; the rest belongs in docs/. */
const MAX_README_BYTES = 16 * 1024;

const headings = README.split('\n').filter((line) => /^## /.test(line));

describe('README.md', () => {
  it(`stays under ${MAX_README_BYTES / 1024} KiB`, () => {
    expect(Buffer.byteLength(README, 'utf8')).toBeLessThan(MAX_README_BYTES);
  });

  it('leads with the map: what it is, the two commands, one subscription, how an event flows, the code', () => {
    expect(README.startsWith('# Switchboard\n\n')).toBe(true);
    expect(headings.slice(0, 4)).toEqual(['## Two commands', '## One subscription in two minutes', '## How an event flows', '## Map of the code']);
    const twoCommands = README.slice(README.indexOf('## Two commands'), README.indexOf('## One subscription'));
    expect(twoCommands).toMatch(/^npm start\b/m);
    expect(twoCommands).toMatch(/^npm test\b/m);
    const flow = README.slice(README.indexOf('## How an event flows'), README.indexOf('## Map of the code'));
    for (const step of ['Redis', 'hub', 'fan-out', 'socket']) expect(flow).toContain(step);
  });

  it('links every page of docs/, and the pages written alongside it', () => {
    const pages = readdirSync(DOCS).filter((name) => name.endsWith('.md'));
    const expected = new Set([...pages, 'operations.md', 'protocol.md', 'cluster.md', 'delivery.md', 'performance.md', 'million-subscribers.md']);
    const unlinked = [...expected].filter((page) => !README.includes(`](docs/${page})`));
    expect(unlinked).toEqual([]);
  });

  it('leaves the benchmark figures to docs/performance.md', () => {
    expect(headings).not.toContain('## Performance');
    expect(README).not.toMatch(/µs \/ delivery/);
  });
});
