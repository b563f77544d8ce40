import { Writable } from 'node:stream';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';

/** Log lines a test server wrote, parsed. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

export interface TestServer {
  app: App;
  httpUrl: string;
  wsUrl: string;
  origin: string;
  /** `http://127.0.0.1:PORT/metrics` of the metrics listener, when `metricsPort` was set. */
  metricsUrl: string | undefined;
  logs: LogCapture;
  stop(): Promise<void>;
}

/** A real Switchboard instance on 127.0.0.1 and a free port, against the given Redis. */
export async function startTestServer(redisUrl: string | undefined, overrides: Partial<Config> = {}, options: AppOptions = {}): Promise<TestServer> {
  return startTestServerWith({ ...overrides, redisUrl }, options);
}

/**
 * A real Switchboard instance on 127.0.0.1 and a free port, with the test defaults below and then
 * `settings` (which say where Redis is: `redisUrl`, or `redisClusterNodes`). Tests start servers
 * through test/support/servers.ts, which calls this.
 */
export async function startTestServerWith(settings: Partial<Config>, options: AppOptions = {}): Promise<TestServer> {
  // No chat demo data unless a test asks for it: most tests want an empty database. Every test
  // signs up and in from 127.0.0.1, so the per-address sign-in and sign-up limits are off unless
  // a test sets them (test/integration/abuse-accounts.test.ts does).
  const config = {
    ...loadConfig({}),
    port: 0,
    host: '127.0.0.1',
    logLevel: 'info' as const,
    seedDemo: false,
    signInAttemptsPerAddressPerMinute: 0,
    signUpsPerAddressPerMinute: 0,
    ...settings,
  };
  const logs = new LogCapture();
  const app = createApp(config, createLogger(config, logs), options);
  const { port, metricsUrl } = await app.start();
  let stopped: Promise<void> | undefined;
  return {
    app,
    httpUrl: `http://127.0.0.1:${port}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    origin: `http://127.0.0.1:${port}`,
    metricsUrl,
    logs,
    // Once: a test may stop a server itself, and the bed stops it again at the end.
    stop: () => (stopped ??= app.stop()),
  };
}

