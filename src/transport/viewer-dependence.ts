import { type DocumentNode, type GraphQLSchema, TypeInfo, visit, visitWithTypeInfo } from 'graphql';

/**
 * Field extension that marks a field whose value depends on who asks (a private room's name is
 * the *other* member's). Results that select such a field are never shared between viewers.
 * Set it with `extensions: { [VIEWER_DEPENDENT]: true }` on the Pothos field.
 */
export const VIEWER_DEPENDENT = 'viewerDependent';

const cache = new WeakMap<DocumentNode, boolean>();

/**
 * Whether any field the document selects is marked {@link VIEWER_DEPENDENT}. Cached per parsed
 * document (yoga caches parsing, so one query string is one document).
 */
export function dependsOnViewer(schema: GraphQLSchema, document: DocumentNode): boolean {
  const cached = cache.get(document);
  if (cached !== undefined) return cached;
  const typeInfo = new TypeInfo(schema);
  let found = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        if (typeInfo.getFieldDef()?.extensions?.[VIEWER_DEPENDENT] === true) found = true;
      },
    }),
  );
  cache.set(document, found);
  return found;
}
