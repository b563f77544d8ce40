import type { Browser } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR } from '../support/browser.js';
import { post } from '../support/graphql.js';
import { PUBLISH } from '../support/operations.js';
import { useServers } from '../support/servers.js';
import { until } from '../support/wait.js';

const { redis, server, launchBrowser } = useServers();
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});

describe('GraphiQL in Chromium', () => {
  it('signs up (cookie) and runs a subscription over WebSocket that shows published messages', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));
    // The page is served with a Content-Security-Policy: nothing it needs may be refused.
    const refusals: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) refusals.push(message.text());
    });
    await page.goto(server.httpUrl);
    // Sign up from the page itself, so that the browser holds the HttpOnly session cookie.
    const token = await page.evaluate(async (url) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: 'mutation { signUp(username: "graphiql", password: "password123") { token } }' }),
      });
      const body = (await response.json()) as { data: { signUp: { token: string } } };
      return body.data.signUp.token;
    }, server.httpUrl);

    // What a person types into GraphiQL (and the sign-up above runs in the page): plain text.
    const query = 'subscription { channel(name: "graphiql-live") { channel message } }';
    await page.goto(`${server.httpUrl}?query=${encodeURIComponent(query)}`);
    await page.locator('.graphiql-execute-button').click();

    // Wait for the subscription to reach Redis, then publish from outside the browser.
    await until(async () => Number(((await redis.client.pubsub('NUMSUB', 'graphiql-live')) as [string, number])[1]) > 0, 'the subscription to reach Redis');
    await post(server.httpUrl, PUBLISH, { channel: 'graphiql-live', message: { hello: 'from the test' } }, { token });
    await page.getByText('from the test').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: new URL('graphiql-subscription.png', ARTIFACTS_DIR).pathname });
    expect(sockets.some((url) => url.endsWith('/graphql'))).toBe(true);
    expect(refusals).toEqual([]);
    await page.close();
  });
});
