import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  optionalDependencies?: Record<string, string>;
}

/**
 * `npm ci` (what a fresh clone and CI run) refuses a lock file that lacks an entry for any
 * optional dependency, even one for another platform. A registry mirror that serves only this
 * platform's binaries makes `npm install` write such a lock silently (it happened with
 * @node-rs/bcrypt's per-platform packages), so check it here rather than in CI.
 */
describe('package-lock.json', () => {
  it('has an entry for every optional dependency of every package, as npm ci requires', () => {
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        // Resolved as Node does: next to the package first, then in each node_modules above it.
        const candidates: string[] = [];
        let base = path;
        for (;;) {
          candidates.push(`${base ? `${base}/` : ''}node_modules/${name}`);
          const cut = base.lastIndexOf('node_modules/');
          if (cut < 0) break;
          base = base.slice(0, cut).replace(/\/$/, '');
        }
        if (!candidates.some((candidate) => candidate in lock.packages)) missing.push(`${path || '(root)'} -> ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
