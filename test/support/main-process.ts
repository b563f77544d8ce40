import { spawn, type ChildProcess } from 'node:child_process';

export interface MainProcess {
  child: ChildProcess;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
  exited: Promise<number | null>;
  output(): string;
}

/**
 * The environment of a server process: this process's, the test defaults, then `env`; a variable
 * that `env` sets to `undefined` is removed (e.g. `REDIS_URL: undefined` for the embedded Redis).
 */
function mainEnv(env: Record<string, string | undefined>): Record<string, string> {
  const merged: Record<string, string | undefined> = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_DEMO: 'false', ...env };
  return Object.fromEntries(Object.entries(merged).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** Spawns the server's build (`dist/main.js`, which `npm test` builds first, as `npm start` does). */
function spawnMain(env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, ['dist/main.js'], { env: mainEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  // Not left running (holding its port and Redis connections) when the test process ends first.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.off('exit', killOnExit));
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    // Could not be started at all: no 'exit' follows.
    child.on('error', (error) => {
      output += `\n${error.message}`;
      resolve(null);
    });
  });
  return { child, exited, output: () => output };
}

/**
 * Runs the server's build as `npm start` does, and resolves once it logs that it started.
 * Tests start it through test/support/servers.ts (`startMain`), which adds the bed's Redis and kills it at the end.
 * @throws when it exits first, or has not logged its URL within 20 s (it is killed, and has exited, first:
 * the caller never holds it, so nothing else would free its port and Redis connections).
 */
export async function startMain(env: Record<string, string | undefined>): Promise<MainProcess> {
  const { child, exited, output } = spawnMain(env);
  const url = await new Promise<string>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, 20_000);
    const check = () => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output());
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    // After a resolve this rejects nothing; after a timeout it rejects once the child is gone.
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(timedOut ? `main did not log its URL within 20 s (killed):\n${output()}` : `main exited with ${code}:\n${output()}`));
    });
  });
  return { child, url, exited, output };
}

/**
 * Runs the server's build until it exits by itself (a configuration it refuses), and resolves
 * with its exit code and everything it wrote (stdout, then stderr, as they came).
 * @throws when it is still running after 20 s (it is killed).
 */
export async function runMainToExit(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const { child, exited, output } = spawnMain(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const code = await exited;
  clearTimeout(timer);
  if (child.signalCode === 'SIGKILL') throw new Error(`main did not exit by itself within 20 s:\n${output()}`);
  return { code, output: output() };
}
