import type { PageInfo } from '../paging/page-request.js';
import { builder } from './builder.js';

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
