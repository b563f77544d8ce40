import { availableParallelism } from 'node:os';
import { hash as bcryptHash, verify as bcryptVerify } from '@node-rs/bcrypt';
import { AppError, ErrorCode } from '../errors/app-error.js';

/**
 * Password hashing and checking with bcrypt (@node-rs/bcrypt: native, on libuv's thread pool, so
 * the event loop never runs a hash), a bounded number at once and a bounded queue behind them: a
 * storm of sign-ups or sign-ins waits its turn, or is refused, instead of starving everything else.
 */
export interface PasswordHasher {
  /**
   * A bcrypt hash (`$2b$`, the configured cost) of the password.
   * @throws AppError RATE_LIMITED (`retryAfterSeconds`) when the queue is full.
   */
  hash(password: string): Promise<string>;
  /**
   * Whether the password matches a stored bcrypt hash (`$2a$`, `$2b$` or `$2y$`, as the seed demo's
   * Python bcrypt and bcryptjs write them). A malformed hash (another client wrote it) is false.
   * @throws AppError RATE_LIMITED (`retryAfterSeconds`) when the queue is full.
   */
  verify(password: string, hash: string): Promise<boolean>;
  /** Counters, for tests and metrics. */
  readonly stats: PasswordHasherStats;
  /** Hashes and checks that may run at once (the setting, or its default when 0). */
  readonly concurrency: number;
}

/** What a {@link PasswordHasher} has done, since it was made. */
export interface PasswordHasherStats {
  /** Hashes computed (`hash`). */
  hashes: number;
  /** Checks computed (`verify`). */
  verifications: number;
  /** Refused because the queue was full. */
  refused: number;
  /** Running now. */
  readonly running: number;
  /** Waiting for a slot now. */
  readonly waiting: number;
}

/** Options of {@link createPasswordHasher}. */
export interface PasswordHasherOptions {
  /** bcrypt cost (log2 rounds) of new hashes. */
  cost: number;
  /** Hashes and checks running at once (PASSWORD_HASH_CONCURRENCY); 0: {@link defaultHashConcurrency}. */
  concurrency: number;
  /** Processes of this server on the machine (WORKERS), for the default concurrency. Default 1. */
  workers?: number;
  /** Hashes and checks waiting beyond those; more are refused (PASSWORD_HASH_QUEUE_LIMIT). */
  queueLimit: number;
  /** Called with `password_hash_queue` each time the queue is full (the `switchboard_denials_total` metric). */
  onRefused?: (kind: string) => void;
}

/**
 * Hashes at once when PASSWORD_HASH_CONCURRENCY is 0: one less than the CPU cores (the event loop
 * keeps one), shared among the `workers` processes of WORKERS=N, at least 1, and at most one less
 * than libuv's thread pool (4 threads unless UV_THREADPOOL_SIZE says otherwise), so that file and
 * DNS work keep a thread.
 */
export function defaultHashConcurrency(workers = 1): number {
  const pool = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return Math.max(1, Math.min(Math.floor((availableParallelism() - 1) / Math.max(1, workers)), pool - 1));
}

/** Makes the hasher of one process: its slots and queue are in memory, FIFO. */
export function createPasswordHasher(options: PasswordHasherOptions): PasswordHasher {
  const { cost, queueLimit } = options;
  const concurrency = options.concurrency > 0 ? options.concurrency : defaultHashConcurrency(options.workers);
  let running = 0;
  const waiting: Array<() => void> = [];
  const stats = {
    hashes: 0,
    verifications: 0,
    refused: 0,
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  };

  async function withSlot<T>(work: () => Promise<T>): Promise<T> {
    if (running >= concurrency) {
      if (waiting.length >= queueLimit) {
        stats.refused++;
        options.onRefused?.('password_hash_queue');
        throw new AppError(
          ErrorCode.RateLimited,
          `The server is busy checking passwords (${waiting.length} waiting, PASSWORD_HASH_QUEUE_LIMIT); try again in a second.`,
          { retryAfterSeconds: 1, setting: 'PASSWORD_HASH_QUEUE_LIMIT' },
        );
      }
      // The slot is handed over by the one that finishes, so `running` never dips in between.
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      running++;
    }
    try {
      return await work();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  }

  return {
    stats,
    concurrency,
    hash: (password) =>
      withSlot(() => {
        stats.hashes++;
        return bcryptHash(password, { cost });
      }),
    verify: (password, hash) =>
      withSlot(() => {
        stats.verifications++;
        return bcryptVerify(password, hash);
      }),
  };
}
