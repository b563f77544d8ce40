import type { Browser, BrowserContext, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR } from '../support/browser.js';
import { ensureClientBuilt } from '../support/client-build.js';
import { post, signUpUser } from '../support/graphql.js';
import { ME, SEND, SIGN_OUT } from '../support/operations.js';
import { useServers } from '../support/servers.js';
import { until as waitUntil } from '../support/wait.js';

// Two people in two real Chromium browsers (separate contexts: separate cookies, separate
// network), against a real server and Redis: ada signs up in the page, Pablo (a seed demo user)
// signs in. The tests run in order and build on each other, like one session.

const E2E_TIMEOUT_MS = 60_000;
const UI_TIMEOUT_MS = 10_000;
/** History written before the browsers come: more than one page (30), so that paging shows. */
const HISTORY_MESSAGES = 40;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

// The web client is built before the server starts, which serves it.
beforeAll(() => ensureClientBuilt(), 120_000);
const { server, launchBrowser } = useServers({ config: { seedDemo: true } });
let browser: Browser;
let adaContext: BrowserContext;
let pabloContext: BrowserContext;
let ada: Page;
let pablo: Page;
type Frame = { type?: string; payload?: { operationName?: string; variables?: Record<string, unknown> } };
/** Every frame Pablo's page sent on a WebSocket, parsed. */
const pabloFrames: Frame[] = [];
/** Every frame Pablo's page received, as text. */
const pabloReceived: string[] = [];
const pageErrors: string[] = [];

const screenshot = (page: Page, name: string) => page.screenshot({ path: new URL(name, ARTIFACTS_DIR).pathname });

beforeAll(async () => {
  const writer = await signUpUser(server.httpUrl, 'historian');
  for (let i = 1; i <= HISTORY_MESSAGES; i++) {
    const response = await post(server.httpUrl, SEND, { roomId: '0', text: `History ${i}` }, { token: writer.token });
    if (!response.body.data) throw new Error(`could not write history: ${JSON.stringify(response.body)}`);
  }
  browser = await launchBrowser();
  adaContext = await browser.newContext({ viewport: DESKTOP });
  pabloContext = await browser.newContext({ viewport: DESKTOP });
  ada = await adaContext.newPage();
  pablo = await pabloContext.newPage();
  for (const page of [ada, pablo]) page.on('pageerror', (error) => pageErrors.push(error.message));
  pablo.on('websocket', (socket) => {
    socket.on('framesent', (frame) => pabloFrames.push(JSON.parse(String(frame.payload)) as Frame));
    socket.on('framereceived', (frame) => pabloReceived.push(String(frame.payload)));
  });
}, 120_000);



/** Polls a condition in the test (not in the page) until it holds. */
const until = (condition: () => Promise<boolean>, what: string, timeoutMs = UI_TIMEOUT_MS) => waitUntil(condition, what, timeoutMs);

/** The message bubbles of the open room whose text is exactly `text`. */
const messages = (page: Page, text: string) => page.locator('.message .text').getByText(text, { exact: true });
const waitForMessage = (page: Page, text: string) => messages(page, text).first().waitFor({ timeout: UI_TIMEOUT_MS });
const connectionState = (page: Page) => page.locator('.connection').getAttribute('data-state');
const waitForState = (page: Page, states: string[]) =>
  until(async () => states.includes((await connectionState(page)) ?? ''), `connection state ${states.join(' or ')}`);
const room = (page: Page, name: string) => page.locator('.room', { has: page.locator('.room-name', { hasText: new RegExp(`^${name}`) }) });

/** Types into the send box and presses Enter, as a keyboard user does; waits until it shows. */
async function send(page: Page, text: string): Promise<void> {
  const box = page.locator('#composer');
  await box.fill(text);
  await box.press('Enter');
  await waitForMessage(page, text);
  await until(async () => (await box.inputValue()) === '', 'the send box to clear');
}

describe('the web client in two Chromium browsers', () => {
  it('serves the client at / with its cache headers, and leaves the API paths alone', async () => {
    const page = await fetch(`${server.origin}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await page.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.origin}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    // A client-side route gets the page; a missing asset does not.
    expect((await fetch(`${server.origin}/rooms/42`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await fetch(`${server.origin}/assets/missing-123.js`)).status).toBe(404);
    expect((await fetch(`${server.origin}/health`)).status).toBe(200);
    const graphql = await post(server.httpUrl, ME);
    expect(graphql.body).toEqual({ data: { me: null } });
  });

  it('signs up with the keyboard and signs in, showing the server’s errors', { timeout: E2E_TIMEOUT_MS }, async () => {
    await ada.goto(`${server.origin}/`);
    // Keyboard only: the username field has focus; Tab moves to the password, then to the buttons.
    await ada.getByLabel('Username').waitFor();
    expect(await ada.evaluate(() => document.activeElement?.id)).toBe('username');
    await ada.keyboard.type('ada');
    await ada.keyboard.press('Tab');
    await ada.keyboard.type('short');
    await ada.keyboard.press('Tab');
    await ada.keyboard.press('Tab');
    expect(await ada.evaluate(() => document.activeElement?.textContent)).toBe('Sign up');
    await ada.keyboard.press('Enter');
    const alert = ada.getByRole('alert');
    await alert.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await alert.textContent()).toMatch(/password/i);

    await ada.getByLabel('Password').fill('ada-password');
    await ada.getByLabel('Password').press('Enter'); // Enter signs in: the user does not exist yet.
    await until(async () => (await alert.textContent()) === 'Wrong username or password.', 'the sign-in error');
    await ada.getByRole('button', { name: 'Sign up' }).click();
    await waitForState(ada, ['connected']);
    expect(await ada.locator('.whoami').textContent()).toBe('Signed in as ada');

    await pablo.goto(`${server.origin}/`);
    await pablo.getByLabel('Username').fill('Pablo');
    await pablo.getByLabel('Password').fill('password123');
    await pablo.getByLabel('Password').press('Enter');
    await waitForState(pablo, ['connected']);

    // The session cookie is HttpOnly: a reload signs ada in again without the token in memory.
    expect((await adaContext.cookies()).find((cookie) => cookie.name === 'session')?.httpOnly).toBe(true);
    await ada.reload();
    await waitForState(ada, ['connected']);
    expect(await ada.locator('.whoami').textContent()).toBe('Signed in as ada');
  });

  it('shows each one the other online', { timeout: E2E_TIMEOUT_MS }, async () => {
    await pablo.locator('.online-list .person[data-online="true"]', { hasText: 'ada' }).waitFor({ timeout: UI_TIMEOUT_MS });
    await ada.locator('.online-list .person[data-online="true"]', { hasText: 'Pablo' }).waitFor({ timeout: UI_TIMEOUT_MS });
    // Rooms: General first on both sides; Pablo's private rooms of the seed follow.
    expect(await ada.locator('.room .room-name').first().textContent()).toBe('General');
    expect(await pablo.locator('.room .room-name').first().textContent()).toBe('General');
  });

  it('exchanges messages in General live, exactly as typed, each one’s own on the right', { timeout: E2E_TIMEOUT_MS }, async () => {
    const tricky = `<b>not bold</b> & &amp; &lt;script&gt; "quotes" 'single' <img src=x onerror=alert(1)>`;
    await send(ada, tricky);
    await waitForMessage(pablo, tricky);
    // Shown once, as typed: no markup was made of it and no entity was decoded or encoded.
    expect(await messages(pablo, tricky).count()).toBe(1);
    expect(await pablo.locator('.message .text b, .message .text img').count()).toBe(0);
    expect(await messages(pablo, tricky).first().evaluate((element) => element.textContent)).toBe(tricky);

    await send(pablo, 'Welcome, ada — ça va ✓');
    await waitForMessage(ada, 'Welcome, ada — ça va ✓');
    // Shift+Enter keeps a line break inside one message.
    const box = ada.locator('#composer');
    await box.fill('line one');
    await box.press('Shift+Enter');
    await box.pressSequentially('line two');
    await box.press('Enter');
    await waitForMessage(pablo, 'line one\nline two');

    const mine = (page: Page, text: string) => messages(page, text).first().evaluate((element) => element.closest('.message')!.classList.contains('mine'));
    expect(await mine(ada, tricky)).toBe(true);
    expect(await mine(pablo, tricky)).toBe(false);
    expect(await mine(pablo, 'Welcome, ada — ça va ✓')).toBe(true);
    expect(await mine(ada, 'Welcome, ada — ça va ✓')).toBe(false);
    // Right means right: ada's bubble ends at the pane's right edge, Pablo's starts at its left.
    const box1 = await messages(ada, tricky).first().locator('xpath=ancestor::li').boundingBox();
    const box2 = await messages(ada, 'Welcome, ada — ça va ✓').first().locator('xpath=ancestor::li').boundingBox();
    expect(box1!.x).toBeGreaterThan(box2!.x);
    // The rooms list shows General's last message and its time.
    const general = room(pablo, 'General');
    await until(async () => ((await general.locator('.room-preview').textContent()) ?? '').includes('line one'), 'General’s preview');
    expect(await general.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d\d-\d\dT/);
    await screenshot(ada, 'web-client-general.png');
  });

  it('pages backward through history with “Load older messages”', { timeout: E2E_TIMEOUT_MS }, async () => {
    // 5 seed messages, 40 written before, 4 new: the newest page (30) starts at “History 15”.
    await waitForMessage(pablo, 'History 40');
    expect(await messages(pablo, 'History 1').count()).toBe(0);
    expect(await messages(pablo, 'Hello!').count()).toBe(0);
    const older = pablo.getByRole('button', { name: 'Load older messages' });
    await older.click();
    await waitForMessage(pablo, 'History 1');
    await waitForMessage(pablo, 'Hello!');
    await pablo.getByText('This is the beginning of General.').waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await older.count()).toBe(0);
    for (let i = 1; i <= HISTORY_MESSAGES; i++) expect(await messages(pablo, `History ${i}`).count()).toBe(1);
    const order = await pablo.locator('.message .text').allTextContents();
    expect(order.indexOf('History 1')).toBeLessThan(order.indexOf('History 2'));
    expect(order.indexOf('History 40')).toBeLessThan(order.indexOf('Welcome, ada — ça va ✓'));
  });

  it('opens a private room from People; both see it, the other’s name and online dot, and talk live', { timeout: E2E_TIMEOUT_MS }, async () => {
    await ada.locator('.online-list .person', { hasText: 'Pablo' }).click();
    await until(async () => (await ada.locator('#pane-title').textContent()) === 'Pablo', 'ada’s private room with Pablo');
    await send(ada, 'psst, this is private');

    // Pablo did not open it: it arrives in his list (roomAdded), named after ada, with her dot on.
    const adaRoom = room(pablo, 'ada');
    await adaRoom.waitFor({ timeout: UI_TIMEOUT_MS });
    await until(async () => (await adaRoom.getAttribute('data-online')) === 'true', 'ada’s online dot');
    await until(async () => ((await adaRoom.locator('.room-preview').textContent()) ?? '').includes('psst, this is private'), 'the private preview');
    expect(await adaRoom.locator('.unseen-dot').count()).toBe(1);
    await adaRoom.click();
    await waitForMessage(pablo, 'psst, this is private');
    await send(pablo, 'private reply');
    await waitForMessage(ada, 'private reply');
    expect(await room(ada, 'Pablo').getAttribute('data-online')).toBe('true');
    // Private messages stay private: General shows none of them.
    await room(ada, 'General').click();
    await waitForMessage(ada, 'Welcome, ada — ça va ✓');
    expect(await messages(ada, 'private reply').count()).toBe(0);
  });

  it('resumes after the network drops: nothing missing, nothing twice, from the newest message it had', { timeout: E2E_TIMEOUT_MS }, async () => {
    // Pablo's newest message is his private reply: the feed must resume after it.
    const newestBefore = await messages(pablo, 'private reply').first().evaluate((element) => element.closest('li')!.dataset.messageId);
    expect(newestBefore).toMatch(/^\d{16}-[0-9a-f]{12}$/);
    // His page shows it from the mutation's answer; wait until the feed delivered it too.
    await until(async () => pabloReceived.some((frame) => frame.includes('"type":"next"') && frame.includes(newestBefore!)), 'the feed to deliver it');
    await room(pablo, 'General').click();
    await waitForMessage(pablo, 'Welcome, ada — ça va ✓');
    const framesBefore = pabloFrames.length;

    await pabloContext.setOffline(true);
    await waitForState(pablo, ['offline', 'reconnecting']);
    await screenshot(pablo, 'web-client-offline.png');

    const whileAway = ['General while away 1', 'General while away 2', 'General while away 3'];
    for (const text of whileAway) await send(ada, text);
    await room(ada, 'Pablo').click();
    await waitForMessage(ada, 'private reply');
    const privateWhileAway = ['Private while away 1', 'Private while away 2'];
    for (const text of privateWhileAway) await send(ada, text);
    // Really away: none of it reached Pablo.
    expect(await messages(pablo, 'General while away 1').count()).toBe(0);

    await pabloContext.setOffline(false);
    await waitForState(pablo, ['connected']);
    // A message sent after the reconnect comes after everything replayed, so once it is there any
    // duplicate of the replay would be there too.
    await send(ada, 'Back online?');
    await room(ada, 'General').click();
    await send(ada, 'General after the reconnect');
    await waitForMessage(pablo, 'General after the reconnect');
    for (const text of whileAway) expect(await messages(pablo, text).count(), text).toBe(1);
    const general = await pablo.locator('.message .text').allTextContents();
    expect(general.slice(-4)).toEqual([...whileAway, 'General after the reconnect']);
    await screenshot(pablo, 'web-client-desktop.png');

    const adaRoom = room(pablo, 'ada');
    await until(async () => ((await adaRoom.locator('.room-preview').textContent()) ?? '').includes('Back online?'), 'the private room’s preview');
    await adaRoom.click();
    await waitForMessage(pablo, 'Back online?');
    const privateRoom = await pablo.locator('.message .text').allTextContents();
    expect(privateRoom).toEqual(['psst, this is private', 'private reply', ...privateWhileAway, 'Back online?']);

    // The resubscription asked for what came after the newest message Pablo held.
    const resubscribed = pabloFrames.slice(framesBefore).filter((frame) => frame.type === 'subscribe' && frame.payload?.operationName === 'MessageAdded');
    expect(resubscribed.map((frame) => frame.payload?.variables?.after)).toEqual([newestBefore]);
    await screenshot(pablo, 'web-client-after-reconnect.png');
  });

  it('fits a phone: the list and the conversation take turns at 390 px, with nothing cut off', { timeout: E2E_TIMEOUT_MS }, async () => {
    await pablo.setViewportSize(PHONE);
    const overflow = () => pablo.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await waitForMessage(pablo, 'Back online?');
    expect(await overflow()).toBe(0);
    expect(await pablo.locator('.sidebar').isVisible()).toBe(false);
    expect(await pablo.locator('#composer').isVisible()).toBe(true);
    await screenshot(pablo, 'web-client-phone.png');

    await pablo.getByRole('button', { name: 'Rooms' }).click();
    await room(pablo, 'General').waitFor({ state: 'visible' });
    expect(await pablo.locator('.conversation').isVisible()).toBe(false);
    expect(await overflow()).toBe(0);
    await screenshot(pablo, 'web-client-phone-rooms.png');

    await room(pablo, 'General').click();
    await send(pablo, 'Sent from a phone');
    await waitForMessage(ada, 'Sent from a phone');
    expect(await overflow()).toBe(0);
  });

  it('signs out: back to the sign-in screen, and the other sees it offline', { timeout: E2E_TIMEOUT_MS }, async () => {
    await ada.getByRole('button', { name: 'Sign out' }).click();
    await ada.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect((await adaContext.cookies()).find((cookie) => cookie.name === 'session' && cookie.value !== '')).toBeUndefined();
    await pablo.getByRole('button', { name: 'Rooms' }).click();
    await until(async () => (await room(pablo, 'ada').getAttribute('data-online')) === 'false', 'ada’s dot to go grey');
  });

  it('goes back to signing in, saying why, when the session is ended elsewhere', { timeout: E2E_TIMEOUT_MS }, async () => {
    // Pablo's session, signed out from another device: the server closes his socket with 4403.
    const token = (await pabloContext.cookies()).find((cookie) => cookie.name === 'session')?.value;
    expect(token).toBeTruthy();
    expect((await post(server.httpUrl, SIGN_OUT, {}, { token })).body).toEqual({ data: { signOut: true } });
    await pablo.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await pablo.getByRole('alert').textContent()).toMatch(/session has ended/);
    expect(pageErrors).toEqual([]);
  });
});
