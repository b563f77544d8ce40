import { GraphQLObjectType, GraphQLSchema, GraphQLString, Kind, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/graphql/schema.js';
import { analyseOperation, declarationOf, liveSubscription, sameForEveryViewer, unclassifiedFields } from '../../src/live/viewer-classes.js';

const schema = buildSchema();

const operationOf = (query: string) => parse(query).definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION) as OperationDefinitionNode;
const analyse = (query: string) => {
  const document = parse(query);
  return analyseOperation(schema, document.definitions[0] as OperationDefinitionNode, document.definitions.slice(1));
};

describe('viewer classes of the schema (fail-closed sharing)', () => {
  it('classifies every field reachable from a shared Subscription field, and every Subscription field', () => {
    // A field that reads the viewer and declares nothing would be taken as per-viewer; a new
    // field must say what it depends on (sameForEveryViewer, viewerClass(...), eachViewer).
    expect(unclassifiedFields(schema)).toEqual([]);
  });

  it('finds an unclassified field, however deep, and an undeclared Subscription field', () => {
    const Inner = new GraphQLObjectType({ name: 'Inner', fields: { secret: { type: GraphQLString } } });
    const Event = new GraphQLObjectType({
      name: 'Event',
      fields: { id: { type: GraphQLString, extensions: sameForEveryViewer }, inner: { type: Inner, extensions: sameForEveryViewer } },
    });
    const probe = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
      subscription: new GraphQLObjectType({
        name: 'Subscription',
        fields: {
          event: { type: Event, extensions: liveSubscription({ viewer: 'none', delivery: 'shared' }) },
          loose: { type: GraphQLString },
        },
      }),
    });
    expect(unclassifiedFields(probe)).toEqual(['Inner.secret', 'Subscription.loose']);
  });

  it('shares the web client\u2019s chat subscription: `mine` by class, `after` and `roomId` out of the key', () => {
    const web = analyse(`subscription OnMessage($after: String) { messageAdded(after: $after) { ...M } }
      fragment M on Message { id roomId text mine createdAt from { id username online } }`);
    expect(web).toMatchObject({ field: 'messageAdded', perViewer: false, classified: true });
    expect([...web.subscriberVariables]).toEqual(['after']);
    expect(analyse('subscription($r: ID) { messageAdded(roomId: $r) { id text } }')).toMatchObject({ perViewer: false, classified: false });
  });

  it('treats a field declared per viewer as such: roomAdded is one group per viewer', () => {
    expect(analyse('subscription { roomAdded { id name } }')).toMatchObject({ perViewer: true });
    expect(declarationOf(schema.getSubscriptionType()!.getFields().jobs!)?.delivery).toBe('per-subscriber');
  });

  it('keeps a variable in the key when it is used besides a subscriber argument', () => {
    const operation = operationOf('subscription($after: String) { events(stream: "s", after: $after) { id stream @include(if: true) } }');
    expect([...analyseOperation(schema, operation, []).subscriberVariables]).toEqual(['after']);
  });
});
