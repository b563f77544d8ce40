/**
 * Parsing of REDIS_CLUSTER_NODES and REDIS_CLUSTER_NAT_MAP. No ioredis here: config.ts uses it to
 * validate the environment before anything connects.
 */

/** Where and how to reach a Redis Cluster: the seeds, and what every node connection shares. */
export interface ClusterSeeds {
  /** The nodes tried first; the cluster's other nodes are learnt from them (CLUSTER SLOTS). */
  nodes: Array<{ host: string; port: number }>;
  /** `rediss://` seeds: every node connection uses TLS. */
  tls: boolean;
  /** ACL user of every node, from the seeds' URLs (one set of credentials for the cluster). */
  username: string | undefined;
  /** Password of every node, from the seeds' URLs. */
  password: string | undefined;
}

/**
 * Announced address (`host:port`, as CLUSTER SLOTS gives it) -> the address this process reaches
 * that node at: ioredis's `natMap`, for clusters behind NAT or in containers.
 */
export type ClusterNatMap = Record<string, { host: string; port: number }>;

/** A malformed REDIS_CLUSTER_NODES or REDIS_CLUSTER_NAT_MAP; the message says what was expected. */
export class ClusterSettingError extends Error {
  override name = 'ClusterSettingError';
}

const PORT = /^[0-9]{1,5}$/;

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * Reads `redis://[[user]:password@]host:port` (or `rediss://` for TLS) seeds separated by commas.
 * Every seed must use the same scheme and the same credentials: they are one cluster's nodes.
 * @throws ClusterSettingError naming the first bad entry and what was expected.
 */
export function parseClusterNodes(value: string): ClusterSeeds {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new ClusterSettingError('expected at least one redis://host:port seed');
  let scheme: string | undefined;
  let username: string | undefined;
  let password: string | undefined;
  const nodes = entries.map((entry, index) => {
    const url = /^rediss?:\/\//.test(entry) ? parseUrl(entry) : null;
    if (!url || !url.hostname || !PORT.test(url.port) || Number(url.port) === 0 || Number(url.port) > 65_535 || (url.pathname !== '' && url.pathname !== '/')) {
      throw new ClusterSettingError(`expected comma-separated redis://[:password@]host:port (or rediss://) seeds; got ${JSON.stringify(redactSeed(entry))}`);
    }
    const entryUser = url.username ? decodeURIComponent(url.username) : undefined;
    const entryPassword = url.password ? decodeURIComponent(url.password) : undefined;
    if (index === 0) {
      scheme = url.protocol;
      username = entryUser;
      password = entryPassword;
    } else if (url.protocol !== scheme || entryUser !== username || entryPassword !== password) {
      throw new ClusterSettingError(
        `expected every seed to use the same scheme and credentials (they are one cluster's nodes); ${JSON.stringify(redactSeed(entry))} differs from the first`,
      );
    }
    // IPv6 hosts come bracketed from URL; net.connect wants them bare.
    return { host: url.hostname.replace(/^\[(.*)\]$/, '$1'), port: Number(url.port) };
  });
  return { nodes, tls: scheme === 'rediss:', username, password };
}

/**
 * Reads `announcedHost:port=host:port` pairs separated by commas.
 * @throws ClusterSettingError naming the first bad pair.
 */
export function parseClusterNatMap(value: string): ClusterNatMap {
  const map: ClusterNatMap = {};
  for (const pair of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [from, to, ...rest] = pair.split('=');
    const target = to === undefined ? null : splitHostPort(to.trim());
    if (from === undefined || rest.length > 0 || !splitHostPort(from.trim()) || !target) {
      throw new ClusterSettingError(`expected comma-separated announcedHost:port=host:port pairs; got ${JSON.stringify(pair)}`);
    }
    map[from.trim()] = target;
  }
  return map;
}

function splitHostPort(text: string): { host: string; port: number } | null {
  const at = text.lastIndexOf(':');
  if (at <= 0) return null;
  const host = text.slice(0, at);
  const port = text.slice(at + 1);
  if (!PORT.test(port) || Number(port) === 0 || Number(port) > 65_535) return null;
  return { host, port: Number(port) };
}

/**
 * Seeds (one, or several comma-separated) without their passwords, for logs and error messages:
 * in each entry everything between `//` (or its start, when it has none) and its last `@` is
 * masked, the user name kept. A password may hold `/`, `@`, `:` or `=` unencoded.
 */
export function redactSeed(seed: string): string {
  return seed
    .split(',')
    .map((entry) => {
      const at = entry.lastIndexOf('@');
      if (at < 0) return entry;
      const slashes = entry.indexOf('//');
      const from = slashes >= 0 && slashes < at ? slashes + 2 : 0;
      const credentials = entry.slice(from, at);
      const colon = credentials.indexOf(':');
      return `${entry.slice(0, from)}${colon >= 0 ? `${credentials.slice(0, colon)}:***` : '***'}${entry.slice(at)}`;
    })
    .join(',');
}
