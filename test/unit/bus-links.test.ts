import { describe, expect, it } from 'vitest';
import { inboundLinks } from '../../src/redis/bus-links.js';

const link = (direction: string, node: string, created: number) => ['direction', direction, 'node', node, 'create-time', created, 'events', 'r', 'send-buffer-allocated', 0, 'send-buffer-used', 0];

describe('inboundLinks (CLUSTER LINKS)', () => {
  it('keeps the newest inbound link per peer and ignores outbound ones', () => {
    const reply = [link('to', 'a', 1), link('from', 'a', 5), link('from', 'b', 7), link('from', 'b', 9), link('to', 'c', 3)];
    expect(inboundLinks(reply)).toEqual(new Map([['a', 5], ['b', 9]]));
  });

  it('reads nothing from a reply it does not understand', () => {
    expect(inboundLinks('ERR')).toEqual(new Map());
    expect(inboundLinks([['direction', 'from'], 'x', ['node', 'a', 'create-time', 'soon', 'direction', 'from']])).toEqual(new Map());
  });
});
