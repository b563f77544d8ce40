import type { Browser, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { queueKeys } from '../../src/redis/keys.js';
import { ARTIFACTS_DIR } from '../support/browser.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { postData, subscription, wsClient } from '../support/graphql.js';
import { CHANNEL, DEQUEUE, ENQUEUE } from '../support/operations.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

// The operations console at /ops in a real Chromium, against a real server and Redis: an admin
// signs in as in the chat, the charts move with the stats subscription, and a retry from the
// console moves a dead job back to its queue.

const UI_TIMEOUT_MS = 15_000;
const PASSWORD = 'password123';

// The web client is built before the server starts, which serves it.
beforeAll(() => ensureClientBuilt(), 120_000);
// Stats every 300 ms so the charts move quickly; one attempt so a job dies fast.
const {
  redis,
  server,
  users: [admin, user],
  launchBrowser,
} = useServers({
  config: { statsIntervalMs: 300, jobMaxAttempts: 1, jobVisibilityTimeoutMs: 200 },
  users: [{ name: 'opsadmin', roles: ['admin'] }, 'opsuser'],
});
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
}, 120_000);

async function signIn(target: Page, username: string): Promise<void> {
  await target.goto(server.origin + '/ops');
  await target.getByLabel('Username').fill(username);
  await target.getByLabel('Password').fill(PASSWORD);
  await target.getByRole('button', { name: 'Sign in' }).click();
}

const latest = (chart: string, series: string) => page.locator(`[data-chart="${chart}"] [data-series="${series}"] [data-latest]`).textContent();

describe('the operations console', () => {
  it('is served at /ops and tells a non-admin who can grant the role', async () => {
    const context = await browser.newContext();
    const other = await context.newPage();
    await signIn(other, user.username);
    await other.getByRole('heading', { name: 'Admins only' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await other.getByText(`npm run roles -- grant ${user.username} admin`).count()).toBe(1);
    await context.close();
  });

  it('signs an admin in and charts the stats subscription as it pushes', async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 1100 } });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, admin.username);
    await page.getByRole('heading', { name: 'Switchboard operations' }).waitFor({ timeout: UI_TIMEOUT_MS });
    // Samples keep coming: the chart grows.
    await until(async () => Number(await page.locator('[data-chart="Connections"]').getAttribute('data-points')) >= 2, 'two samples', UI_TIMEOUT_MS);
    const before = Number(await latest('Connections', 'WebSockets'));
    expect(before).toBeGreaterThanOrEqual(1);
    const line = await page.locator('[data-chart="Connections"] polyline').first().getAttribute('points');

    // Two more clients connect and subscribe; a channel gets traffic: the charts follow.
    const clients = [wsClient(server.wsUrl, user.token, { lazy: false }), wsClient(server.wsUrl, user.token, { lazy: false })];
    const subs = clients.map((client) => subscription(client, CHANNEL, { name: 'ops.news' }));
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'ops.news')) as [string, number])[1]) === 1, 'subscribed');
    await until(async () => Number(await latest('Connections', 'WebSockets')) === before + 2, 'the WebSockets line to show two more', UI_TIMEOUT_MS);
    await until(async () => Number(await latest('Subscriptions', 'subscriptions')) >= 3, 'the subscriptions line to follow', UI_TIMEOUT_MS);
    expect(await page.locator('[data-chart="Connections"] polyline').first().getAttribute('points')).not.toBe(line);
    const publisher = setInterval(() => void redis.client.publish('ops.news', '"tick"'), 50);
    try {
      await until(async () => Number(await latest('Deliveries/s', 'deliveries/s')) > 0, 'deliveries per second above 0', UI_TIMEOUT_MS);
    } finally {
      clearInterval(publisher);
    }
    // The channel is listed with its Redis subscriber (this one instance).
    await page.locator('[data-channel="ops.news"]').waitFor({ timeout: UI_TIMEOUT_MS });
    subs.forEach((sub) => sub.dispose());
    await Promise.all(clients.map((client) => client.dispose()));
  });

  it('shows a stream with its groups, lag and pending entries', async () => {
    for (let i = 0; i < 4; i++) await redis.client.xadd('orders', '*', 'n', String(i));
    await redis.client.xgroup('CREATE', 'orders', 'billing', '0');
    await redis.client.xreadgroup('GROUP', 'billing', 'worker-1', 'COUNT', '1', 'STREAMS', 'orders', '>');
    await page.getByLabel('Watch a stream').fill('orders');
    await page.getByLabel('Watch a stream').press('Enter');
    const group = page.locator('[data-stream="orders"] [data-group="billing"]');
    await group.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await group.locator('[data-field="lag"]').textContent()).toBe('3');
    expect(await group.locator('[data-field="pending"]').textContent()).toBe('1');
    expect(await group.textContent()).toContain('worker-1 (1 pending');
  });

  it('retries a dead job from the console: it really moves back to its queue', async () => {
    // Jobs taken and never acknowledged die (one attempt).
    const ids: string[] = [];
    for (const to of ['ada', 'grace', 'linus']) {
      ids.push((await postData(server.httpUrl, ENQUEUE, { q: 'mail', p: { to } }, user.token)).enqueue.id);
      await postData(server.httpUrl, DEQUEUE, { q: 'mail' }, user.token);
    }
    await until(async () => (await redis.client.llen(queueKeys('mail').dead)) === 3, 'the jobs to die');
    const [retried, ...others] = ids as [string, ...string[]];

    await page.getByLabel('Watch a queue').fill('mail');
    await page.getByLabel('Watch a queue').press('Enter');
    const card = page.locator('[data-queue="mail"]');
    const row = card.locator(`[data-job-id="${retried}"]`);
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await card.locator('[data-count="dead"]').textContent()).toBe('3');
    await until(async () => Number(await card.locator('[data-chart="mail: jobs"]').getAttribute('data-points')) >= 3, 'three readings of the queue', UI_TIMEOUT_MS);
    await screenshot('ops-console.png');

    await row.getByRole('button', { name: `Retry job ${retried}` }).click();
    await card.getByText('1 job(s) moved back to mail.').waitFor({ timeout: UI_TIMEOUT_MS });
    // In Redis: out of the dead letters, back in the queue with attempts 0; the others stay dead.
    expect((await redis.client.lrange(queueKeys('mail').dead, 0, -1)).map((text) => (JSON.parse(text) as { id: string }).id).sort()).toEqual([...others].sort());
    expect((await redis.client.lrange('mail', 0, -1)).map((text) => JSON.parse(text) as unknown)).toEqual([
      { switchboard: 'job/1', id: retried, attempts: 0, payload: { to: 'ada' } },
    ]);
    await until(async () => (await card.locator('[data-count="waiting"]').textContent()) === '1', 'the console to show it waiting', UI_TIMEOUT_MS);
    expect(await card.locator('[data-count="dead"]').textContent()).toBe('2');
    await card.locator(`[data-job-id="${retried}"]`).waitFor({ state: 'detached', timeout: UI_TIMEOUT_MS });
    expect(pageErrors).toEqual([]);
  });
});

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: new URL(name, ARTIFACTS_DIR).pathname, fullPage: true });
}
