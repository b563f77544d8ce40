import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { SETTINGS, type SettingDescription, loadConfig } from '../../src/config.js';

/**
 * docs/operations.md's "Settings" tables against the schema in src/config.ts: the same variables,
 * each once; the default each row states is the schema's; a whole number's range and a choice's
 * words are the schema's; and the documented default, given explicitly, configures what leaving
 * the variable unset does. A setting added to src/config.ts fails here until it has its row.
 */
const PAGE = new URL('../../docs/operations.md', import.meta.url);

interface Row {
  env: string;
  defaultCell: string;
  accepts: string;
  line: number;
}

/** The rows `| \`NAME\` | default | accepts | meaning |` of the section `## Settings`. */
function settingsRows(markdown: string): Row[] {
  const lines = markdown.split('\n');
  const start = lines.indexOf('## Settings');
  if (start < 0) throw new Error('docs/operations.md has no "## Settings" section');
  const rows: Row[] = [];
  for (let index = start + 1; index < lines.length && !/^## /.test(lines[index] ?? ''); index += 1) {
    const match = /^\| `([A-Z][A-Z0-9_]*)` \|([^|]*)\|([^|]*)\|/.exec(lines[index] ?? '');
    if (match) rows.push({ env: match[1]!, defaultCell: match[2]!.trim(), accepts: match[3]!.trim(), line: index + 1 });
  }
  return rows;
}

/** The schema under `.default()`, `.prefault()` and `.optional()`. */
function unwrap(schema: z.ZodType): z.ZodType {
  let inner: z.ZodType = schema;
  while (inner instanceof z.ZodDefault || inner instanceof z.ZodPrefault || inner instanceof z.ZodOptional) {
    inner = inner.def.innerType as z.ZodType;
  }
  return inner;
}

/**
 * The default as the table writes it: `` `text` `` (the variable's text that gives it), `empty`
 * for an empty list or text, or `none` when the setting has no default.
 */
function documentedDefault({ env, schema }: SettingDescription): string {
  if (!(schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault)) return 'none';
  const value: unknown = schema.def.defaultValue;
  if (value === '') return 'empty';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return `\`${String(value)}\``;
  throw new Error(`${env}: give its default as the variable's text, with .prefault('…'), so that the table can state it`);
}

/** `min–max` for a whole-number setting (the `integer()` of src/config.ts), else undefined. */
function integerRange(schema: z.ZodType): string | undefined {
  const inner = unwrap(schema);
  if (!(inner instanceof z.ZodPipe) || !(inner.def.out instanceof z.ZodNumber)) return undefined;
  const number = inner.def.out;
  return `${number.minValue}–${number.maxValue}`;
}

/** The words an enum setting accepts (flags, `true`/`false`/…, are an enum behind a transform), else undefined. */
function enumOptions(schema: z.ZodType): string[] | undefined {
  let inner = unwrap(schema);
  if (inner instanceof z.ZodPipe && inner.def.in instanceof z.ZodEnum) inner = inner.def.in;
  return inner instanceof z.ZodEnum ? (inner.options as string[]) : undefined;
}

const FLAG_WORDS = ['true', 'false', '1', '0', 'yes', 'no'];

const rows = settingsRows(readFileSync(PAGE, 'utf8'));

describe('the settings table in docs/operations.md', () => {
  it('lists every setting of src/config.ts, and nothing else', () => {
    const documented = new Set(rows.map((row) => row.env));
    const missing = SETTINGS.map(({ env }) => env).filter((env) => !documented.has(env));
    const unknown = [...documented].filter((env) => !SETTINGS.some((setting) => setting.env === env));
    expect(missing, 'settings of src/config.ts without a row in docs/operations.md "## Settings"').toEqual([]);
    expect(unknown, 'rows of docs/operations.md "## Settings" that src/config.ts does not read').toEqual([]);
  });

  it('has one row per setting', () => {
    const twice = rows.filter((row, index) => rows.findIndex((other) => other.env === row.env) !== index);
    expect(twice.map((row) => `${row.env} (line ${row.line})`)).toEqual([]);
  });

  it.each(SETTINGS.map((setting) => [setting.env, setting] as const))('states the default of %s', (env, setting) => {
    const row = rows.find((candidate) => candidate.env === env);
    if (!row) return; // reported by the first test
    expect(row.defaultCell.startsWith(documentedDefault(setting)), `line ${row.line}: "${row.defaultCell}"`).toBe(true);
  });

  it.each(SETTINGS.map((setting) => [setting.env, setting] as const))('states the range of %s when it is a whole number', (env, setting) => {
    const row = rows.find((candidate) => candidate.env === env);
    const range = integerRange(setting.schema);
    if (!row || range === undefined) return;
    expect(row.accepts.startsWith(range), `line ${row.line}: "${row.accepts}"`).toBe(true);
  });

  it.each(SETTINGS.map((setting) => [setting.env, setting] as const))('states the words %s accepts when it is a choice', (env, setting) => {
    const row = rows.find((candidate) => candidate.env === env);
    const options = enumOptions(setting.schema);
    if (!row || options === undefined) return;
    if (options.length === FLAG_WORDS.length && options.every((word) => FLAG_WORDS.includes(word))) {
      expect(row.accepts, `line ${row.line}`).toBe('flag');
    } else {
      for (const option of options) expect(row.accepts, `line ${row.line}`).toContain(`\`${option}\``);
    }
  });

  it('states defaults that configure what an unset variable does', () => {
    const unset = loadConfig({}) as Record<string, unknown>;
    const wrong: string[] = [];
    for (const setting of SETTINGS) {
      const stated = documentedDefault(setting);
      if (stated === 'none') continue;
      const text = stated === 'empty' ? ' ' : stated.slice(1, -1);
      // ' ' is a non-empty value that a list reads as empty: the default is really parsed, not skipped.
      const explicit = loadConfig({ [setting.env]: text }) as Record<string, unknown>;
      if (JSON.stringify(explicit[setting.key]) !== JSON.stringify(unset[setting.key])) wrong.push(`${setting.env}=${text}`);
    }
    expect(wrong).toEqual([]);
  });

  it('states "none" only for settings that are unset by default (GraphiQL and the policy resolve to a value)', () => {
    const unset = loadConfig({}) as Record<string, unknown>;
    const resolved = new Set(['graphiql', 'policy', 'nodeEnv']);
    const valued = SETTINGS.filter((setting) => documentedDefault(setting) === 'none' && !resolved.has(setting.key))
      .filter((setting) => unset[setting.key] !== undefined)
      .map((setting) => setting.env);
    expect(valued).toEqual([]);
  });

  it('reads a table whose rows it can find (a renamed section would pass every test above vacuously)', () => {
    expect(rows.length).toBeGreaterThanOrEqual(SETTINGS.length);
  });
});
