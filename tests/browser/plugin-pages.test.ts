// Browser test of the built plugin (dist/) in Chromium: a host page replaces Grafana's frontend,
// a node:http server replaces Grafana's server and plugin proxy, and the relay and receiver are real.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildCanonicalString, verifyRequest } from '../../src/relay/signing/api-auth.js';
import { testIds } from '../../src/components/testIds.js';
import { startRecordingReceiver, type RecordingReceiver } from '../helpers/recording-receiver.js';
import { startTestRelay, type TestRelay } from '../helpers/test-relay.js';
import { openBrowserSession, type BrowserSession } from './browser-session.js';
import { PROJECT_DIR, getHostBundle } from './host-bundle.js';
import { DIST_DIR, ensurePluginBuilt } from './plugin-build.js';
import { FONTS_PREFIX, ICONS_PREFIX, startPluginHost, type AppSettingsState, type PluginHost } from './plugin-host-server.js';

const SCREENSHOT_DIR = join(PROJECT_DIR, 'test-results', 'browser');
const ICONS_DIR = join(PROJECT_DIR, 'node_modules', '@grafana', 'ui', 'dist', 'public', 'img', 'icons');
const APP_URL = '/a/boro-webhook-app';
const PROFILE_UID = 'browser-receiver';

function settingsFor(relay: TestRelay, relayUrl = relay.baseUrl): AppSettingsState {
  return { enabled: true, pinned: true, jsonData: { relayUrl }, secureJsonData: { apiToken: relay.apiToken } };
}

/** Returns a loopback URL on which nothing listens, for a relay URL that cannot connect. */
async function closedLoopbackUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') {
    throw new Error('the probe server has no TCP address');
  }
  return `http://127.0.0.1:${address.port}`;
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}

/** The boot status that host-entry.tsx sets on the page's window. */
type HostStatus = { ready: true } | { ready: false; error: string };

/** Opens a page of the host and waits until the plugin has loaded, failing with the host's boot error. */
async function openHostPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  const handle = await page.waitForFunction(() => (globalThis as { __hostStatus?: HostStatus }).__hostStatus);
  const status = (await handle.jsonValue()) as HostStatus;
  if (!status.ready) {
    throw new Error(`the test host did not start: ${status.error}`);
  }
}

describe('plugin pages in Chromium', { timeout: 420_000 }, () => {
  let relay: TestRelay;
  let receiver: RecordingReceiver;
  let host: PluginHost;
  let session: BrowserSession;

  before(async () => {
    const buildMs = ensurePluginBuilt();
    const bundle = await getHostBundle();
    console.log(`plugin build ${buildMs} ms, host bundle ${bundle.buildMs} ms (0: reused)`);

    relay = await startTestRelay();
    receiver = await startRecordingReceiver();
    host = await startPluginHost({ distDir: DIST_DIR, hostBundleDir: bundle.dir, iconsDir: ICONS_DIR, settings: settingsFor(relay) });
    rmSync(SCREENSHOT_DIR, { recursive: true, force: true });
    session = await openBrowserSession({ screenshotDir: SCREENSHOT_DIR, ignoredUrls: new RegExp(`${FONTS_PREFIX}|${ICONS_PREFIX}`) });
  });

  after(async () => {
    await session?.close();
    await host?.close();
    await receiver?.close();
    await relay?.destroy();
  });

  it('proxy injects the API token', async () => {
    session.consoleErrors.length = 0;
    await openHostPage(session.page, `${host.url}${APP_URL}/profiles`);

    const response = await session.page.evaluate(async () => {
      const reply = await fetch('/api/plugin-proxy/boro-webhook-app/relay/api/v1/profiles?probe=proxy', {
        headers: { Authorization: 'Bearer a-token-the-browser-must-not-decide' },
      });
      return { status: reply.status, body: await reply.text() };
    });

    assert.equal(response.status, 200, response.body);
    assert.deepEqual(JSON.parse(response.body), { profiles: [] });
    const proxied = host.proxiedRequests.find((request) => request.relayPath === '/api/v1/profiles?probe=proxy');
    assert.equal(proxied?.browserSentAuthorization, true);
    assert.equal(proxied?.status, 200);
  });

  it('profile flow delivers a signed test', async () => {
    const { page, step } = session;
    session.consoleErrors.length = 0;
    host.settings.jsonData = { relayUrl: relay.baseUrl };

    await step('profiles-empty', async () => {
      await openHostPage(page, `${host.url}${APP_URL}`);
      await page.getByTestId(testIds.profiles.emptyState).waitFor();
      assert.equal(new URL(page.url()).pathname, `${APP_URL}/profiles`);
    });

    await step('new-profile', async () => {
      await page.getByTestId(testIds.profiles.newProfile).click();
      await page.getByTestId(testIds.profileEditor.container).waitFor();
      assert.equal(new URL(page.url()).pathname, `${APP_URL}/profiles/new`);
    });

    const secretKey = await step('profile-filled', async () => {
      await page.getByTestId(testIds.profileEditor.uid).fill(PROFILE_UID);
      await page.getByTestId(testIds.profileEditor.name).fill('Browser receiver');
      await page.getByTestId(testIds.profileEditor.url).fill(`${receiver.url}/boro?source=browser`);
      // Grafana's Switch lays its label over the checkbox, so the click lands on the label (force skips the hit check).
      await page.getByLabel('Sign requests').check({ force: true });

      await page.getByTestId(testIds.profileEditor.generateSecret).click();
      const generated = (await page.getByTestId(testIds.profileEditor.generatedSecret).textContent()) ?? '';

      await page.getByTestId(testIds.profileEditor.addHeader).click();
      await page.getByTestId(testIds.profileEditor.headerName(0)).fill('X-Env');
      await page.getByTestId(testIds.profileEditor.headerValue(0)).fill('browser');
      return generated.trim();
    });
    assert.match(secretKey, /^[0-9a-f]{64}$/);

    await step('profile-saved', async () => {
      await page.getByTestId(testIds.profileEditor.save).click();
      await page.waitForURL(`**${APP_URL}/profiles/${PROFILE_UID}`);
      await page.getByTestId(testIds.profileEditor.saveResult).getByText('Profile saved').waitFor();
    });

    const testResult = await step('test-delivered', async () => {
      await page.getByTestId(testIds.profileEditor.sendTest).click();
      const result = page.getByTestId(testIds.profileEditor.testResult);
      await result.getByText(/Test message delivered: HTTP 200/).waitFor();
      // The result scrolls inside its alert; this brings the canonical string into the screenshot.
      await result.getByText(/^Canonical string/).scrollIntoViewIfNeeded();
      return (await result.textContent()) ?? '';
    });

    const [request] = await receiver.waitForRequests(1);
    assert.ok(request);
    const verification = verifyRequest({
      method: request.method,
      requestUri: request.url,
      headers: request.headers,
      body: request.body,
      secretKey,
      secretKeyEncoding: 'text',
    });
    assert.deepEqual(verification, { ok: true, accessId: PROFILE_UID });
    assert.equal(request.url, '/boro?source=browser');
    assert.equal(headerText(request.headers['x-env']), 'browser');

    const canonical = buildCanonicalString({
      method: request.method,
      contentType: headerText(request.headers['content-type']) ?? '',
      contentSha256: headerText(request.headers['x-authorization-content-sha256']) ?? '',
      requestUri: request.url,
      date: headerText(request.headers.date) ?? '',
    });
    assert.ok(testResult.includes(canonical), `the page shows no canonical string '${canonical}'`);
    assert.ok(!testResult.includes(secretKey), 'the test result shows the secret key');

    await step('profiles-list', async () => {
      await page.getByRole('link', { name: 'Back to profiles' }).click();
      const row = page.getByRole('row').filter({ has: page.getByTestId(testIds.profiles.row(PROFILE_UID)) });
      await row.getByText('Signed', { exact: true }).waitFor();
      await row.getByText('Delivered').waitFor();
    });

    const [delivery] = (await relay.api('GET', `/api/v1/deliveries?profile=${PROFILE_UID}`)).body.deliveries as Array<{ id: number }>;
    assert.ok(delivery, 'the relay lists no delivery of the test message');

    await step('deliveries', async () => {
      const row = page.getByRole('row').filter({ has: page.getByTestId(testIds.profiles.row(PROFILE_UID)) });
      await row.getByRole('link', { name: 'Deliveries' }).click();
      await page.getByTestId(testIds.deliveries.row(delivery.id)).waitFor();
    });

    await step('delivery-drawer', async () => {
      await page.getByTestId(testIds.deliveries.details(delivery.id)).click();
      const drawer = page.getByTestId(testIds.deliveries.drawer);
      await drawer.getByTestId(testIds.deliveries.message).getByText('"sequenceId": 0').waitFor();
      await drawer.getByTestId(testIds.deliveries.attempts).getByText('200').first().waitFor();
    });

    const html = await page.content();
    assert.ok(!html.includes(secretKey), 'the secret key is still in the page after leaving the editor');
    assert.ok(!html.includes(relay.apiToken), 'the page holds the relay API token');
    assert.deepEqual(
      host.proxiedRequests.filter((proxied) => proxied.status >= 400),
      [],
      'a relay call through the proxy failed',
    );
    assert.deepEqual(session.consoleErrors, []);
  });

  it('config page saves relay URL', async () => {
    const { page, step } = session;
    session.consoleErrors.length = 0;
    host.settings.jsonData = { relayUrl: await closedLoopbackUrl() };
    const configUrl = `${host.url}/plugins/boro-webhook-app`;

    await step('config-unreachable', async () => {
      await openHostPage(page, configUrl);
      await page.getByTestId(testIds.appConfig.testConnection).click();
      await page.getByTestId(testIds.appConfig.connectionResult).getByText('Relay unreachable').waitFor();
    });
    // Chromium logs the proxy's 502 as a console error; it is the expected outcome of this step.
    assert.equal(session.consoleErrors.length, 1, session.consoleErrors.join('\n'));
    assert.match(session.consoleErrors[0] ?? '', /502 \(Bad Gateway\).*\/relay\/healthz/);
    session.consoleErrors.length = 0;

    await step('config-saved', async () => {
      await page.getByTestId(testIds.appConfig.relayUrl).fill(relay.baseUrl);
      await page.getByTestId(testIds.appConfig.save).click();
      await page.getByTestId(testIds.appConfig.saveResult).getByText('Settings saved').waitFor();
    });
    assert.equal(host.settings.jsonData.relayUrl, relay.baseUrl);
    assert.equal(host.settings.secureJsonData.apiToken, relay.apiToken);

    await step('config-connected', async () => {
      await openHostPage(page, configUrl);
      assert.equal(await page.getByTestId(testIds.appConfig.relayUrl).inputValue(), relay.baseUrl);
      await page.getByTestId(testIds.appConfig.testConnection).click();
      await page.getByTestId(testIds.appConfig.connectionResult).getByText(/^Connected to relay/).waitFor();
    });
    assert.ok(!(await page.content()).includes(relay.apiToken), 'the config page holds the relay API token');
    assert.deepEqual(session.consoleErrors, []);
  });
});
