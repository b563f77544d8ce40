import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { SUBSCRIBER_MISSED_EVENT } from './pubsub-hub.js';
import { afterDeadline } from './unavailable.js';

/**
 * How often the node of the classic subscriber is asked for its cluster bus links. A loss is
 * reported at most this much (plus one CLUSTER LINKS round trip) after the link came back.
 */
export const BUS_LINKS_CHECK_MS = 1000;

/** Options of {@link watchBusLinks}. */
export interface BusLinksOptions {
  /** The command client: its connection to the subscriber's node asks CLUSTER LINKS. */
  cluster: Cluster;
  /** The classic subscriber connection; gets {@link SUBSCRIBER_MISSED_EVENT} on a loss. */
  subscriber: Redis;
  /** The node the subscriber is on now (after natMap, as the cluster client's nodes name it). */
  currentNode: () => { host: string; port: number };
  logger: Logger;
  /** Longest wait for one CLUSTER LINKS answer; a check not answered in time is skipped. */
  timeoutMs: number;
  /** Default {@link BUS_LINKS_CHECK_MS}. */
  checkMs?: number;
}

/**
 * One inbound bus link as last seen: when the node made it, the last check that saw it, and
 * whether a check has since found it missing (reported once).
 */
interface SeenLink {
  created: number;
  aliveAt: number;
  missing: boolean;
}

/**
 * Classic PUBLISH on a cluster reaches the subscriber's node over the cluster bus, from the node
 * it was published on. When a bus link is dropped (the peer did not answer the bus PING for half
 * of `cluster-node-timeout`: a stalled node, a partition between nodes, a full link buffer) Redis
 * throws away what it would have sent on it until the link is made again, and nothing tells the
 * subscriber connection, which stayed up: measured on the test cluster, a node stalled for 1.9 s
 * lost 45 of 1,389 messages with no error anywhere. So the subscriber's node is asked for its
 * links every second (CLUSTER LINKS, Redis 7.0+); an inbound link made again since the last
 * check means messages from that peer may be lost, and the subscriber gets
 * {@link SUBSCRIBER_MISSED_EVENT}, which the hub turns into a gap for every topic
 * (storage-backed feeds re-read, `channel` subscribers get MISSED_MESSAGES). An inbound link
 * gone since the last check counts at once, not only once it is made again: a peer that died
 * (SIGKILL of a master, which its replica replaces) may have acknowledged a write whose PUBLISH
 * it had not yet sent on the bus, and it may never come back to make the link again. A peer
 * that restarted counts too: whether it published before it died cannot be told.
 * @returns the function that stops watching.
 */
export function watchBusLinks(options: BusLinksOptions): () => void {
  const { cluster, subscriber, logger, timeoutMs } = options;
  /** Inbound links of `seenOn` by peer node id; cleared whenever the subscriber connection is new. */
  let seen = new Map<string, SeenLink>();
  let seenOn = '';
  let connection = 0;
  let checking = false;
  let stopped = false;
  const onReady = () => {
    connection++;
    seen = new Map();
    // What the links are now, so that one made again before the next tick is seen as new.
    setImmediate(() => void check());
  };
  subscriber.on('ready', onReady);

  async function check(): Promise<void> {
    if (checking || stopped || subscriber.status !== 'ready' || cluster.status !== 'ready') return;
    const { host, port } = options.currentNode();
    const node = cluster.nodes('all').find((redis) => String(redis.options.host) === host && Number(redis.options.port) === port);
    if (!node) return;
    checking = true;
    const asked = connection;
    let cancel: (() => void) | undefined;
    try {
      const reply = await Promise.race([
        node.call('CLUSTER', 'LINKS'),
        new Promise<null>((resolve) => {
          cancel = afterDeadline(timeoutMs, () => resolve(null));
        }),
      ]);
      if (reply === null || stopped || asked !== connection || subscriber.status !== 'ready') return;
      const here = `${host}:${port}`;
      if (here !== seenOn) {
        seen = new Map();
        seenOn = here;
      }
      const now = Date.now();
      const links = inboundLinks(reply);
      let lostSince = Infinity;
      let remade = 0;
      let gone = 0;
      for (const [peer, created] of links) {
        const last = seen.get(peer);
        if (last && created !== last.created) {
          lostSince = Math.min(lostSince, last.aliveAt - BUS_LINKS_CHECK_MS);
          remade++;
        }
        seen.set(peer, { created, aliveAt: now, missing: false });
      }
      // A peer whose link is missing now keeps its old entry (when a link comes back, it is new),
      // reported once as gone.
      for (const [peer, last] of seen) {
        if (last.missing || links.has(peer)) continue;
        last.missing = true;
        lostSince = Math.min(lostSince, last.aliveAt - BUS_LINKS_CHECK_MS);
        gone++;
      }
      if (lostSince !== Infinity) {
        logger.warn({ node: here, remade, gone }, 'a cluster bus link into the pub/sub node was lost or made again: classic messages from its peer may be lost');
        subscriber.emit(SUBSCRIBER_MISSED_EVENT, lostSince);
      }
    } catch (error) {
      // Redis before 7.0, or a managed service that refuses CLUSTER LINKS: nothing to watch with.
      const message = error instanceof Error ? error.message : String(error);
      if (/unknown (sub)?command|NOPERM|not allowed|disabled/i.test(message)) {
        logger.info({ err: message }, 'CLUSTER LINKS is not available: bus link losses cannot be detected');
        stop();
      }
    } finally {
      cancel?.();
      checking = false;
    }
  }

  const timer = setInterval(() => void check(), options.checkMs ?? BUS_LINKS_CHECK_MS);
  timer.unref();
  if (subscriber.status === 'ready') setImmediate(() => void check());
  function stop(): void {
    stopped = true;
    clearInterval(timer);
    subscriber.off('ready', onReady);
  }
  return stop;
}

/**
 * Peer node id -> create time of its newest inbound link ("direction from"), from a CLUSTER LINKS
 * reply (one flat [name, value, ...] array per link).
 */
export function inboundLinks(reply: unknown): Map<string, number> {
  const links = new Map<string, number>();
  if (!Array.isArray(reply)) return links;
  for (const link of reply) {
    if (!Array.isArray(link)) continue;
    const fields = new Map<string, unknown>();
    for (let index = 0; index + 1 < link.length; index += 2) fields.set(String(link[index]), link[index + 1]);
    if (String(fields.get('direction')) !== 'from') continue;
    const peer = String(fields.get('node') ?? '');
    const created = Number(fields.get('create-time'));
    if (!peer || !Number.isFinite(created)) continue;
    links.set(peer, Math.max(created, links.get(peer) ?? 0));
  }
  return links;
}
