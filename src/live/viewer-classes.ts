import {
  type DocumentNode,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  Kind,
  TypeInfo,
  defaultFieldResolver,
  getNamedType,
  isInterfaceType,
  isObjectType,
  isUnionType,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/**
 * The field extension every field reachable from a shared subscription carries: what its value
 * depends on besides its parent and arguments. Set it with the helpers below
 * (`extensions: sameForEveryViewer`, `viewerClass((message, viewer) => ...)`, `eachViewer`).
 *
 * Fail-closed: a field without it is treated as {@link eachViewer} (one execution per viewer),
 * and `test/unit/live-viewer-classes.test.ts` fails while any such field is reachable from a
 * shared Subscription field.
 */
export const LIVE_EXTENSION = 'live';

/**
 * Maps a field's parent and a viewer (user id or null) to the viewer's class for that value: two
 * viewers in the same class see the same value. `mine` has two classes per message (the author,
 * everyone else): `(message, viewer) => message.fromId === viewer`.
 */
export type ViewerClassOf<Parent = never> = (parent: Parent, viewerId: string | null) => string | number | boolean | null;

/** The declaration itself (see {@link LIVE_EXTENSION}). */
export interface LiveFieldDeclaration {
  /** `none`: the same for every viewer; `each`: one class per viewer; a function: see {@link ViewerClassOf}. */
  viewer: 'none' | 'each' | ViewerClassOf;
  /**
   * Subscription fields only: `shared` (equal subscriptions share one execution per event) or
   * `per-subscriber` (a competing consumer, a per-client cursor: nothing to share).
   */
  delivery?: 'shared' | 'per-subscriber';
  /**
   * Subscription fields only: arguments that choose what a subscriber receives (a filter, a
   * resume cursor) but not how an event resolves. Subscribers differing only in these share a
   * group; each one's filter and replay stay its own.
   */
  subscriberArgs?: readonly string[];
}

/** Extensions of a field whose value is the same whoever asks. */
export const sameForEveryViewer = { [LIVE_EXTENSION]: { viewer: 'none' } satisfies LiveFieldDeclaration } as const;

/** Extensions of a field whose value may differ for every viewer (what an undeclared field is taken to be). */
export const eachViewer = { [LIVE_EXTENSION]: { viewer: 'each' } satisfies LiveFieldDeclaration } as const;

/** Extensions of a field whose value depends on the viewer only through `classOf`. */
export function viewerClass<Parent>(classOf: ViewerClassOf<Parent>): { [LIVE_EXTENSION]: LiveFieldDeclaration } {
  return { [LIVE_EXTENSION]: { viewer: classOf as ViewerClassOf } };
}

/** Extensions of a Subscription field (see {@link LiveFieldDeclaration}). */
export function liveSubscription(declaration: LiveFieldDeclaration): { [LIVE_EXTENSION]: LiveFieldDeclaration } {
  return { [LIVE_EXTENSION]: declaration };
}

/** The declaration of a field, or undefined when it has none. */
export function declarationOf(field: GraphQLField<unknown, unknown>): LiveFieldDeclaration | undefined {
  const value = field.extensions?.[LIVE_EXTENSION] as LiveFieldDeclaration | undefined;
  return value && (value.viewer === 'none' || value.viewer === 'each' || typeof value.viewer === 'function') ? value : undefined;
}

/**
 * Records, during one execution as a representative viewer, each viewer-classified value it
 * resolved and that viewer's class for it. Another viewer whose class matches every record would
 * get the same result (every other field it selects is the same for every viewer), so it is
 * given the same bytes.
 */
export class ViewerProbe {
  private readonly classes: Array<ViewerClassOf<unknown>> = [];
  private readonly parents: unknown[] = [];
  private readonly values: unknown[] = [];

  constructor(readonly viewerId: string | null) {}

  record(classOf: ViewerClassOf<unknown>, parent: unknown): void {
    this.classes.push(classOf);
    this.parents.push(parent);
    this.values.push(classOf(parent, this.viewerId));
  }

  /** Whether `viewerId` is in the representative's class for every value recorded. */
  matches(viewerId: string | null): boolean {
    if (viewerId === this.viewerId) return true;
    for (let i = 0; i < this.classes.length; i++) if (this.classes[i]!(this.parents[i], viewerId) !== this.values[i]) return false;
    return true;
  }
}

/** Where a probe sits in an execution's context value. */
export const VIEWER_PROBE = Symbol.for('switchboard.live.viewerProbe');

/** Puts `probe` into a context value (the transports' `Subscriber.execute` call this). */
export function withProbe<C extends object>(context: C, probe: ViewerProbe | null): C {
  if (probe) (context as Record<symbol, unknown>)[VIEWER_PROBE] = probe;
  return context;
}

const instrumented = new WeakSet<GraphQLSchema>();

/**
 * Wraps the resolver of every field declared with a class function so that, in an execution that
 * carries a {@link ViewerProbe}, it records the class of the value it resolves. Idempotent;
 * called once on the schema the server runs.
 */
export function instrumentViewerClasses(schema: GraphQLSchema): GraphQLSchema {
  if (instrumented.has(schema)) return schema;
  instrumented.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const declaration = declarationOf(field);
      if (!declaration || typeof declaration.viewer !== 'function') continue;
      const classOf = declaration.viewer as ViewerClassOf<unknown>;
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (parent, args, context, info) => {
        const probe = (context as Record<symbol, ViewerProbe | undefined> | null)?.[VIEWER_PROBE];
        probe?.record(classOf, parent);
        return resolve(parent, args, context, info);
      };
    }
  }
  return schema;
}

/** What sharing an operation allows, from the fields it selects. */
export interface OperationAnalysis {
  /** The root Subscription field. */
  field: string;
  /** Some selected field is undeclared or `each`: one group per viewer. */
  perViewer: boolean;
  /** Some selected field has a class function: executions are split by class with a probe. */
  classified: boolean;
  /** Variables used only as subscriber arguments of the root field: left out of the group key. */
  subscriberVariables: ReadonlySet<string>;
}

const analyses = new WeakMap<OperationDefinitionNode, OperationAnalysis>();

/**
 * Analyses a subscription operation once (cached per parsed operation: yoga caches parsing, so
 * one query string is one node). Fragments are followed.
 */
export function analyseOperation(schema: GraphQLSchema, operation: OperationDefinitionNode, fragments: DocumentNode['definitions']): OperationAnalysis {
  const cached = analyses.get(operation);
  if (cached) return cached;
  const root = operation.selectionSet.selections.find((selection) => selection.kind === Kind.FIELD);
  const rootName = root?.kind === Kind.FIELD ? root.name.value : 'unknown';
  const rootField = schema.getSubscriptionType()?.getFields()[rootName];
  const rootDeclaration = rootField ? declarationOf(rootField) : undefined;
  const subscriberArgs = new Set(rootDeclaration?.subscriberArgs ?? []);
  let perViewer = false;
  let classified = false;
  const inSubscriberArg = new Set<string>();
  const elsewhere = new Set<string>();
  const typeInfo = new TypeInfo(schema);
  const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...fragments.filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)] };
  let argumentOfRoot: string | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Field() {
        const field = typeInfo.getFieldDef();
        if (!field || field.name.startsWith('__')) return;
        const declaration = declarationOf(field);
        if (!declaration || declaration.viewer === 'each') perViewer = true;
        else if (typeof declaration.viewer === 'function') classified = true;
      },
      Argument: {
        enter(node, _key, _parent, _path, ancestors) {
          // The root field's arguments: their nearest ancestor node is the root field.
          argumentOfRoot = ancestors.at(-1) === root && subscriberArgs.has(node.name.value) ? node.name.value : null;
        },
        leave() {
          argumentOfRoot = null;
        },
      },
      Variable(node, _key, parent) {
        // Declarations in the operation's header are not uses.
        if (!Array.isArray(parent) && (parent as { kind?: string } | undefined)?.kind === Kind.VARIABLE_DEFINITION) return;
        (argumentOfRoot ? inSubscriberArg : elsewhere).add(node.name.value);
      },
    }),
  );
  const subscriberVariables = new Set([...inSubscriberArg].filter((name) => !elsewhere.has(name)));
  const analysis: OperationAnalysis = {
    field: rootName,
    perViewer,
    classified,
    subscriberVariables,
  };
  analyses.set(operation, analysis);
  return analysis;
}

/**
 * Every field reachable from the shared Subscription fields that declares nothing, as
 * `Type.field` (the schema test's check), and every Subscription field without a declaration.
 */
export function unclassifiedFields(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const subscription = schema.getSubscriptionType();
  if (!subscription) return missing;
  const seen = new Set<string>();
  const pending: string[] = [];
  for (const field of Object.values(subscription.getFields())) {
    const declaration = declarationOf(field);
    if (!declaration || !declaration.delivery) {
      missing.push(`${subscription.name}.${field.name}`);
      continue;
    }
    if (declaration.delivery === 'shared') pending.push(getNamedType(field.type).name);
  }
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const type = schema.getType(name);
    if (isUnionType(type)) pending.push(...type.getTypes().map((member) => member.name));
    if (isInterfaceType(type)) pending.push(...schema.getPossibleTypes(type).map((member) => member.name));
    if (!isObjectType(type) && !isInterfaceType(type)) continue;
    for (const field of Object.values(type.getFields())) {
      if (!declarationOf(field as GraphQLField<unknown, unknown>)) missing.push(`${type.name}.${field.name}`);
      pending.push(getNamedType(field.type).name);
    }
  }
  return missing.sort();
}
