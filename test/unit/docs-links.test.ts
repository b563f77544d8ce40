import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Every relative link of README.md and docs/*.md leads to a file that exists, and to a heading it has. */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Pages that other work streams write (the cluster, delivery and benchmark pages): linked from the
 * README before they land, checked like any other page once they exist.
 */
const PAGES_WRITTEN_ELSEWHERE = new Set(['docs/cluster.md', 'docs/delivery.md', 'docs/performance.md', 'docs/million-subscribers.md']);

const pages = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)];

/** The text outside fenced code blocks, so that `# comments` in shell examples are not headings. */
function prose(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (line.startsWith('```')) fenced = !fenced;
    return !fenced && !line.startsWith('```');
  });
}

/** GitHub's anchors for a page's headings: lower case, punctuation dropped, spaces to `-`, repeats numbered. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of prose(markdown)) {
    const match = /^#{1,6} (.*)$/.exec(line);
    if (!match) continue;
    const text = match[1]!.replace(/`/g, '').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

interface Link {
  page: string;
  target: string;
}

function links(page: string): Link[] {
  const found: Link[] = [];
  for (const line of prose(readFileSync(join(ROOT, page), 'utf8'))) {
    // Inline code may show link syntax without being a link.
    const text = line.replace(/`[^`]*`/g, '');
    for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = match[1]!;
      if (!/^[a-z]+:/.test(target)) found.push({ page, target });
    }
  }
  return found;
}

const allLinks = pages.flatMap(links);

/** Paths that builds and runs write, so that a fresh clone lacks them. */
const GENERATED = ['client/dist', 'test/artifacts/', 'bench/results/', 'dist/'];

/** Does the repository hold `path` (a file or folder; `*` in its last part matches any characters)? */
function repositoryHas(path: string): boolean {
  if (!path.includes('*')) return existsSync(join(ROOT, path));
  const folder = dirname(path);
  const pattern = new RegExp(`^${path.slice(folder.length + 1).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  return existsSync(join(ROOT, folder)) && readdirSync(join(ROOT, folder)).some((name) => pattern.test(name));
}

/** The repository paths a page names in inline code: `src/…`, `test/…`, `bench/…`, `client/…`, `scripts/…`. */
function namedPaths(page: string): string[] {
  const text = prose(readFileSync(join(ROOT, page), 'utf8')).join('\n');
  return [...text.matchAll(/`((?:src|test|bench|client|scripts)\/[^`\s]*)`/g)].map((match) => match[1]!);
}

describe('links between the README and docs/', () => {
  it('finds the links it checks', () => {
    expect(allLinks.length).toBeGreaterThan(20);
  });

  it.each(pages)('%s links only to files that exist, and to headings they have', (page) => {
    const broken: string[] = [];
    for (const { target } of links(page)) {
      const [path = '', anchor] = target.split('#');
      const file = path === '' ? join(ROOT, page) : join(dirname(join(ROOT, page)), path);
      const name = relative(ROOT, file);
      if (!existsSync(file)) {
        if (!PAGES_WRITTEN_ELSEWHERE.has(name)) broken.push(`${target}: no file ${name}`);
        continue;
      }
      if (anchor !== undefined && name.endsWith('.md') && !headingAnchors(readFileSync(file, 'utf8')).has(anchor)) {
        broken.push(`${target}: ${name} has no heading #${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(pages.filter((page) => !PAGES_WRITTEN_ELSEWHERE.has(page)))('%s names only source and test files that exist', (page) => {
    const missing = namedPaths(page).filter((path) => !GENERATED.some((prefix) => path.startsWith(prefix)) && !repositoryHas(path));
    expect(missing).toEqual([]);
  });

  it('computes anchors as GitHub does', () => {
    const anchors = headingAnchors('# A: b\n## Every core: WORKERS\n```sh\n# not a heading\n```\n## `jobs` and `dequeue`\n## Limits\n## Limits\n');
    expect([...anchors]).toEqual(['a-b', 'every-core-workers', 'jobs-and-dequeue', 'limits', 'limits-1']);
  });
});
