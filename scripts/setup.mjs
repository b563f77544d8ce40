#!/usr/bin/env node
// Makes a fresh machine ready for `npm start` / `npm test`: installs npm dependencies when they are
// missing or older than the lock file, and Debian's redis-server when it is needed and absent.
// Plain Node with no dependencies, because it runs before `npm install` has.
//
// Usage: node scripts/setup.mjs start|test
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const purpose = process.argv[2] ?? 'start';

function say(text) {
  process.stderr.write(`[setup] ${text}\n`);
}

function run(command, args) {
  say(`${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: process.env });
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

function fail(message) {
  say(message);
  process.exit(1);
}

ensureNodeModules();
if (purpose === 'test' || !process.env.REDIS_URL) ensureRedisServer();
if (purpose === 'test') ensureChromium();
