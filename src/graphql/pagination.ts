import type { ArgBuilder, ObjectRef } from '@pothos/core';
import type { PageInfo } from '../paging/page-request.js';
import { builder } from './builder.js';

type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

/** Relay's PageInfo object type, shared by every connection type. */
export const PageInfoRef = builder.objectRef<PageInfo>('PageInfo').implement({
  description: 'Where a page sits in its list (Relay cursor connections).',
  fields: (t) => ({
    hasNextPage: t.exposeBoolean('hasNextPage'),
    hasPreviousPage: t.exposeBoolean('hasPreviousPage'),
    startCursor: t.exposeString('startCursor', { nullable: true }),
    endCursor: t.exposeString('endCursor', { nullable: true }),
  }),
});

/** One item of a page with its cursor. */
export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page of a list as a Relay connection. */
export interface Connection<T> {
  edges: Array<Edge<T>>;
  pageInfo: PageInfo;
}

/** Options of {@link connectionRef}. */
export interface ConnectionOptions {
  /** Description of the `<Name>Connection` type. Default: none. */
  description?: string;
  /** Description of the edges' `cursor` field. Default: none. */
  cursorDescription?: string;
}

/**
 * Defines `<name>Connection { edges: [<name>Edge!]!, pageInfo: PageInfo! }` and
 * `<name>Edge { cursor: String!, node: <node>! }`, the Relay connection of `node`.
 * (@pothos/plugin-relay would do this too, but is not installed, and its connection types add
 * fields that would change the schema's contract.)
 */
export function connectionRef<T>(name: string, node: ObjectRef<Types, T>, options: ConnectionOptions = {}): ObjectRef<Types, Connection<T>> {
  const edge = builder.objectRef<Edge<T>>(`${name}Edge`).implement({
    fields: (t) => ({
      cursor: t.exposeString('cursor', { description: options.cursorDescription }),
      node: t.expose('node', { type: node }),
    }),
  });
  return builder.objectRef<Connection<T>>(`${name}Connection`).implement({
    description: options.description,
    fields: (t) => ({
      edges: t.field({ type: [edge], resolve: (connection) => connection.edges }),
      pageInfo: t.field({ type: PageInfoRef, resolve: (connection) => connection.pageInfo }),
    }),
  });
}

/** The four Relay arguments of a connection field: `args: { ...pageArgs(t.arg), ... }`. */
export const pageArgs = (arg: ArgBuilder<Types>) => ({ first: arg.int(), after: arg.string(), last: arg.int(), before: arg.string() });

/** A page read from storage (list order) as a connection; each item's cursor is `cursorOf(item)`. */
export function toConnection<T>(page: { items: readonly T[]; hasNextPage: boolean; hasPreviousPage: boolean }, cursorOf: (item: T) => string): Connection<T> {
  const edges = page.items.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
