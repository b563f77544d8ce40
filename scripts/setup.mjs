#!/usr/bin/env node
// Makes a fresh machine ready for `npm start` / `npm test`: installs npm dependencies when they are
// missing or older than the lock file, Debian's redis-server when it is needed and absent, and
// builds the web client and the server (client/dist, dist/) when missing or older than their sources.
// Plain Node with no dependencies, because it runs before `npm install` has.
//
// Usage: node scripts/setup.mjs start|test|bench|client|worker
//   (bench: redis-server and the server build; client: only the web client build; worker: only
//   the server build, which `npm run worker` runs)
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const purpose = process.argv[2] ?? 'start';

function say(text) {
  process.stderr.write(`[setup] ${text}\n`);
}

function run(command, args, extraEnv = {}) {
  say(`${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return result.status === 0;
}

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

function ensureNodeModules() {
  const installedMarker = join(root, 'node_modules', '.package-lock.json');
  const lock = join(root, 'package-lock.json');
  if (!existsSync(installedMarker)) {
    const ok = existsSync(lock) ? run('npm', ['ci', '--no-audit', '--no-fund']) : run('npm', ['install', '--no-audit', '--no-fund']);
    if (!ok) fail('npm could not install the dependencies (see above).');
    return;
  }
  if (mtime(lock) > mtime(installedMarker) || mtime(join(root, 'package.json')) > mtime(installedMarker)) {
    if (!run('npm', ['install', '--no-audit', '--no-fund'])) fail('npm could not update the dependencies (see above).');
  }
}

/** The redis-server binary: REDIS_SERVER_BIN, then PATH, then Debian's location. */
function findRedisServer() {
  if (process.env.REDIS_SERVER_BIN) return existsSync(process.env.REDIS_SERVER_BIN) ? process.env.REDIS_SERVER_BIN : null;
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/bin', '/usr/local/bin', '/usr/sbin'])) {
    if (dir && existsSync(join(dir, 'redis-server'))) return join(dir, 'redis-server');
  }
  return null;
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Installs Debian packages as root; retries once after `apt-get update` (fresh machines have no lists). */
function aptInstall(packages) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env }).status === 0;
  say(`installing Debian packages: ${packages.join(' ')}`);
  if (install()) return true;
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  return install();
}

/** The browser for end-to-end tests: Debian's chromium, driven by playwright-core. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  if (!isRoot()) fail(`Chromium is not installed at ${CHROMIUM}: run \`sudo apt-get install chromium\` (or set CHROMIUM_PATH).`);
  if (!aptInstall(['chromium'])) fail('apt-get could not install chromium (see above).');
  if (!existsSync(CHROMIUM)) fail(`chromium was installed but is not at ${CHROMIUM}; set CHROMIUM_PATH.`);
}

function ensureRedisServer() {
  if (findRedisServer()) return;
  if (!isRoot()) {
    fail(
      'redis-server is not installed. Either install it (Debian/Ubuntu: `sudo apt-get install redis-server`) ' +
        'or point Switchboard at a running Redis with REDIS_URL=redis://host:6379.',
    );
  }
  say('redis-server is missing');
  if (!aptInstall(['redis-server'])) fail('apt-get could not install redis-server (see above).');
  if (!findRedisServer()) fail('redis-server was installed but is not on PATH.');
}

const CLIENT_DIR = join(root, 'client');
const CLIENT_DIST = join(CLIENT_DIR, 'dist');

/** The newest modification time of the files below `dir`, leaving out `skip` (the build output). */
function newestMtime(dir, skip) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path === skip) continue;
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path, skip) : mtime(path));
  }
  return newest;
}

/**
 * Builds the web client with `npm run build:client` (after the dependencies, which it needs) when
 * client/dist is missing or older than anything under client/ or the lock file.
 */
function ensureClientBuilt() {
  const built = mtime(join(CLIENT_DIST, 'index.html'));
  const sources = Math.max(newestMtime(CLIENT_DIR, CLIENT_DIST), mtime(join(root, 'package-lock.json')));
  if (built > 0 && built >= sources) return;
  say(built > 0 ? 'the web client is older than its sources: building it' : 'the web client is not built: building it');
  // A production build even when called from a test runner (vitest sets NODE_ENV=test, which
  // would give React's development build).
  if (!run('npm', ['run', 'build:client'], { NODE_ENV: 'production' })) fail('could not build the web client (see above).');
}

const SERVER_DIST = join(root, 'dist');

/**
 * Compiles the server (`npm run build`: tsc, src/ to dist/) when dist/main.js is missing or older
 * than anything under src/, the TypeScript configs or the lock file. `npm start` runs the build,
 * not the sources: no transpiler in the running server.
 */
function ensureServerBuilt() {
  const built = mtime(join(SERVER_DIST, 'main.js'));
  const sources = Math.max(
    newestMtime(join(root, 'src')),
    mtime(join(root, 'tsconfig.json')),
    mtime(join(root, 'tsconfig.build.json')),
    mtime(join(root, 'package-lock.json')),
  );
  if (built > 0 && built >= sources) return;
  say(built > 0 ? 'the server build is older than its sources: building it' : 'the server is not built: building it');
  // Files of deleted sources must not linger in the build.
  rmSync(SERVER_DIST, { recursive: true, force: true });
  if (!run('npm', ['run', 'build'])) fail('could not build the server (see above).');
}

function fail(message) {
  say(message);
  process.exit(1);
}

ensureNodeModules();
if (purpose === 'client') {
  ensureClientBuilt();
} else if (purpose === 'worker') {
  ensureServerBuilt();
} else if (purpose === 'bench') {
  ensureRedisServer();
  ensureServerBuilt();
} else {
  if (purpose === 'test' || !process.env.REDIS_URL) ensureRedisServer();
  if (purpose === 'test') ensureChromium();
  ensureClientBuilt();
  ensureServerBuilt();
}
