import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import type { ParkedSubscription } from '../live/engine.js';
import type { FrameSink, SharedPayload } from '../live/subscriber.js';

const FRAME_SUFFIX = Buffer.from('}');
const TEXT_FRAME = { binary: false };
const FIRST_FRAGMENTS = { binary: false, fin: false };
const LAST_FRAGMENT = { binary: false, fin: true };
/** Payloads from this size on are sent in fragments rather than copied into each member's frame. */
const FRAGMENT_ABOVE_BYTES = 16 * 1024;
/** What a replaying subscription may hold unsent before it reads its next page of history. */
const DRAINED_BELOW_BYTES = 64 * 1024;

/**
 * One graphql-transport-ws subscription as a frame sink of the live layer: each shared payload
 * goes out as `{"id":"<id>","type":"next","payload":<shared bytes>}`, the only part that
 * differs between members being the id. The transport still owns the protocol: it waits on
 * `parked` and sends `complete` (or `error`) when it ends.
 */
export class WsSink implements FrameSink {
  readonly transport = 'websocket' as const;
  parked: ParkedSubscription | null = null;
  /** `{"id":"<id>","type":"next","payload":` as bytes. */
  private readonly prefix: Buffer;

  constructor(
    private readonly socket: WebSocket,
    readonly netSocket: Socket,
    subscriptionId: string,
  ) {
    this.prefix = Buffer.from(`{"id":${JSON.stringify(subscriptionId)},"type":"next","payload":`);
  }

  get open(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  get bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  attach(parked: ParkedSubscription): void {
    this.parked = parked;
  }

  write(payload: SharedPayload): void {
    const { json } = payload;
    if (json.length < FRAGMENT_ABOVE_BYTES) {
      // One text frame from bytes: no UTF-8 re-encoding of the shared payload per member.
      this.socket.send(Buffer.concat([this.prefix, json, FRAME_SUFFIX], this.prefix.length + json.length + 1), TEXT_FRAME);
    } else {
      // A large payload is not copied per member: the message goes as three fragments, the
      // middle one the shared buffer itself.
      this.socket.send(this.prefix, FIRST_FRAGMENTS);
      this.socket.send(json, FIRST_FRAGMENTS);
      this.socket.send(FRAME_SUFFIX, LAST_FRAGMENT);
    }
  }

  async drained(): Promise<void> {
    while (this.open && this.bufferedBytes > DRAINED_BELOW_BYTES) {
      await new Promise<void>((resolve) => {
        if (this.netSocket.writableNeedDrain) {
          const wake = () => {
            this.netSocket.off('drain', wake);
            this.netSocket.off('close', wake);
            resolve();
          };
          this.netSocket.once('drain', wake);
          this.netSocket.once('close', wake);
        } else setImmediate(resolve);
      });
    }
  }

  finish(): void {
    // The transport sends `complete` or `error` when `parked` settles.
  }
}
