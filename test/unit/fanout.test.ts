import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createFanoutEngine, type FanoutTarget } from '../../src/transport/fanout.js';

/** Just what the engine touches of a ws socket. */
function fakeSocket() {
  const sent: string[] = [];
  return {
    sent,
    socket: { readyState: WebSocket.OPEN, bufferedAmount: 0, send: (data: Buffer) => sent.push(String(data)) } as unknown as WebSocket,
  };
}

describe('fan-out engine', () => {
  it('drops a group whose execution cannot keep up instead of queueing events without bound', async () => {
    const engine = createFanoutEngine({ maxBufferedBytes: 1024, maxPendingEvents: 3, logger: pino({ level: 'silent' }) });
    let emit: (event: number) => void = () => undefined;
    const dropped: string[] = [];
    let release: () => void = () => undefined;
    const { socket, sent } = fakeSocket();
    const target: FanoutTarget = {
      socket,
      subscriptionId: 'a',
      groupKey: 'g',
      // The first execution hangs: everything after it waits.
      execute: (root) => new Promise((resolve) => (release = () => resolve({ data: { n: root } }))),
      dropSlowConsumer: (reason) => dropped.push(reason),
    };
    await engine.join<number>('source', async (push) => ((emit = push), () => undefined), target);
    for (let i = 0; i < 3; i++) emit(i);
    expect(dropped).toEqual([]);
    emit(3);
    expect(dropped).toEqual(['more than 3 events waiting to be executed']);
    await new Promise((resolve) => setTimeout(resolve, 0)); // the first execution has started
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent[0]).toBe('{"id":"a","type":"next","payload":{"data":{"n":0}}}');
  });

  it('writes each member its own id around one shared payload', async () => {
    const engine = createFanoutEngine({ maxBufferedBytes: 1024, maxPendingEvents: 10, logger: pino({ level: 'silent' }) });
    let emit: (event: string) => void = () => undefined;
    let executions = 0;
    const sockets = [fakeSocket(), fakeSocket()];
    const targets = sockets.map(({ socket }, i): FanoutTarget => ({
      socket,
      subscriptionId: `id-${i}`,
      groupKey: 'same',
      execute: (root) => (executions++, { data: { echo: root } }),
      dropSlowConsumer: () => undefined,
    }));
    for (const target of targets) await engine.join<string>('s', async (push) => ((emit = push), () => undefined), target);
    emit('hi');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(executions).toBe(1);
    expect(sockets.map(({ sent }) => sent)).toEqual([
      ['{"id":"id-0","type":"next","payload":{"data":{"echo":"hi"}}}'],
      ['{"id":"id-1","type":"next","payload":{"data":{"echo":"hi"}}}'],
    ]);
  });
});
