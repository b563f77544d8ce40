// The command-line programs that run next to the servers (`npm run worker`, `npm run consumer`), as
// child processes. Tests start them through test/support/servers.ts (`startCommand`), which points
// them at the bed's Redis and kills them with the bed.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A program of src/cli that works on Redis beside the servers. */
export type Command = 'worker' | 'consumer';

/** The log line each command writes once it is set up and about to wait for work. */
const READY: Record<Command, string> = {
  worker: '"msg":"worker started"',
  consumer: '"msg":"consumer started"',
};

/** A running command. */
export interface CommandProcess {
  child: ChildProcess;
  /** Its stdout, line by line (complete lines only): the jobs or entries it did. */
  lines: string[];
  /** Its stderr so far: the log, and what an `--exec` command writes there. */
  stderr(): string;
  /** Its exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /**
   * Resolves once stderr contains `text`. Rejects, with the output, when the process exits first.
   * No deadline of its own: a loaded machine only makes the line come later, and the test's
   * timeout still bounds the wait.
   */
  printed(text: string): Promise<void>;
  /** Resolves once it logged that it started (set up, about to wait for work); see {@link printed}. */
  ready(): Promise<void>;
  /** Whether it has logged that it started. */
  started(): boolean;
}

/**
 * Runs `src/cli/<command>.ts` as `npm run <command>` does, without npm in between. Its environment
 * is this process's without REDIS_URL and REDIS_CLUSTER_NODES (an outer setting must not leak in),
 * LOG_LEVEL=info, then `env`; a variable that `env` sets to `undefined` is removed.
 */
export function startCommand(command: Command, args: readonly string[], env: Record<string, string | undefined> = {}): CommandProcess {
  const merged: Record<string, string | undefined> = { ...process.env, REDIS_URL: undefined, REDIS_CLUSTER_NODES: undefined, LOG_LEVEL: 'info', ...env };
  const child = spawn(process.execPath, ['--import', 'tsx', `src/cli/${command}.ts`, ...args], {
    cwd: ROOT,
    env: Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined)),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let rest = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const watch of watchers) watch();
  });
  // 'close', not 'exit': by then stdout and stderr have been read to the end.
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  let done = false;
  void exited.then(() => {
    done = true;
    for (const watch of watchers) watch();
  });
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const watch = () => {
        if (stderr.includes(text)) {
          watchers.delete(watch);
          resolve();
        } else if (done) {
          watchers.delete(watch);
          reject(new Error(`${command} exited (${child.exitCode ?? child.signalCode}) before printing ${text}:\n${stderr}`));
        }
      };
      watchers.add(watch);
      watch();
    });
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    printed,
    ready: () => printed(READY[command]),
    started: () => stderr.includes(READY[command]),
  };
}
