import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds the web client (client/dist) when it is missing or older than its sources, as `npm test`
 * and `npm start` do, so that an end-to-end test run on its own tests the current code.
 */
export function ensureClientBuilt(): void {
  const result = spawnSync(process.execPath, ['scripts/setup.mjs', 'client'], { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('could not build the web client: `node scripts/setup.mjs client` failed (see above)');
}
