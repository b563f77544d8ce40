import type { Socket } from 'node:net';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createFanoutEngine, type FanoutTarget } from '../../src/transport/fanout.js';

/** Just what the engine touches of a ws socket and of the TCP socket under it. */
function fakeSocket() {
  const sent: string[] = [];
  /** What happened on the TCP socket, in order: cork, uncork, and frames written while corked. */
  const log: string[] = [];
  let corks = 0;
  let writableLength = 0;
  const netSocket = {
    cork: () => (corks++, log.push('cork')),
    uncork: () => {
      corks--;
      log.push('uncork');
      if (corks === 0) writableLength = 0;
    },
    get writableLength() {
      return writableLength;
    },
  };
  const socket = {
    readyState: WebSocket.OPEN,
    bufferedAmount: 0,
    send: (data: Buffer) => {
      sent.push(String(data));
      log.push(corks > 0 ? 'frame (corked)' : 'frame');
      writableLength += data.length;
    },
  };
  return { sent, log, socket: socket as unknown as WebSocket, netSocket: netSocket as unknown as Socket };
}

describe('fan-out engine', () => {
  it('drops a group whose execution cannot keep up instead of queueing events without bound', async () => {
    const engine = createFanoutEngine({ maxBufferedBytes: 1024, maxPendingEvents: 3, logger: pino({ level: 'silent' }) });
    let emit: (event: number) => void = () => undefined;
    const dropped: string[] = [];
    let release: () => void = () => undefined;
    const { socket, netSocket, sent } = fakeSocket();
    const target: FanoutTarget = {
      socket,
      netSocket,
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
    const targets = sockets.map(({ socket, netSocket }, i): FanoutTarget => ({
      socket,
      netSocket,
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

  it('sends the frames of one turn of the event loop in one corked write per socket', async () => {
    const engine = createFanoutEngine({ maxBufferedBytes: 1 << 20, maxPendingEvents: 100, logger: pino({ level: 'silent' }) });
    let emit: (event: string) => void = () => undefined;
    const { socket, netSocket, sent, log } = fakeSocket();
    const target: FanoutTarget = { socket, netSocket, subscriptionId: 'a', groupKey: 'g', execute: (root) => ({ data: { echo: root } }), dropSlowConsumer: () => undefined };
    await engine.join<string>('s', async (push) => ((emit = push), () => undefined), target);
    for (const event of ['1', '2', '3']) emit(event);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(sent).toHaveLength(3);
    expect(log).toEqual(['cork', 'frame (corked)', 'frame (corked)', 'frame (corked)', 'uncork']);

    // A later turn corks again.
    emit('4');
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log.slice(5)).toEqual(['cork', 'frame (corked)', 'uncork']);
  });

  it('flushes a corked socket early once it holds 64 KiB, so corking never looks like a slow reader', async () => {
    // 100 KiB allowed in the socket: a turn of twelve 10 KiB events (120 KiB corked) would pass it.
    const engine = createFanoutEngine({ maxBufferedBytes: 100 * 1024, maxPendingEvents: 100, logger: pino({ level: 'silent' }) });
    let emit: (event: string) => void = () => undefined;
    const dropped: string[] = [];
    const { socket, netSocket, sent, log } = fakeSocket();
    Object.defineProperty(socket, 'bufferedAmount', { get: () => netSocket.writableLength });
    const target: FanoutTarget = {
      socket,
      netSocket,
      subscriptionId: 'a',
      groupKey: 'g',
      execute: (root) => ({ data: { echo: root } }),
      dropSlowConsumer: (reason) => dropped.push(reason),
    };
    await engine.join<string>('s', async (push) => ((emit = push), () => undefined), target);
    for (let i = 0; i < 12; i++) emit('x'.repeat(10 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(dropped).toEqual([]);
    expect(sent).toHaveLength(12);
    // Seven 10 KiB frames reach 64 KiB: flushed there, and the rest goes at the end of the turn.
    expect(log.filter((entry) => entry !== 'frame (corked)')).toEqual(['cork', 'uncork', 'cork', 'uncork']);
  });
});
