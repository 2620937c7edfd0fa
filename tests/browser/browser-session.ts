import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Chromium from Debian's `chromium` package; CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  page: Page;
  /** Console errors, uncaught page errors and failed requests, in the order they happened. */
  consoleErrors: string[];
  /**
   * Runs one step of a flow, then saves `<NN>-<name>.png` in the screenshot dir. When the step throws, it
   * saves `<NN>-<name>-failed.png` and rethrows with the browser's console errors in the message.
   */
  step<T>(name: string, action: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface BrowserSessionOptions {
  screenshotDir: string;
  /** Number of the first step's screenshot, so that several tests can share one directory. */
  firstStep?: number;
  /** Failed loads of these URLs are expected (assets the host does not have) and not recorded as errors. */
  ignoredUrls?: RegExp;
}

function describeConsoleErrors(errors: string[]): string {
  if (errors.length === 0) {
    return 'the browser console has no errors';
  }
  return `browser console errors:\n${errors.map((line) => `  ${line}`).join('\n')}`;
}

/** Launches Chromium headless with a fresh profile directory and opens one page that records console errors. */
export async function openBrowserSession(options: BrowserSessionOptions): Promise<BrowserSession> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH`);
  }
  mkdirSync(options.screenshotDir, { recursive: true });
  const userDataDir = mkdtempSync(join(tmpdir(), 'boro-browser-test-'));

  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 1000 },
      timeout: 30_000,
    });
  } catch (error) {
    rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }

  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);

  const consoleErrors: string[] = [];
  const isIgnored = (url: string) => options.ignoredUrls?.test(url) === true;
  page.on('console', (message) => {
    if (message.type() === 'error' && !isIgnored(message.location().url)) {
      consoleErrors.push(`console.error: ${message.text()} (at ${message.location().url})`);
    }
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.stack ?? error.message}`));
  page.on('requestfailed', (request) => {
    // ERR_ABORTED is the browser cancelling a load (a navigation, an unmounted image), not a failed request.
    if (!isIgnored(request.url()) && request.failure()?.errorText !== 'net::ERR_ABORTED') {
      consoleErrors.push(`request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? 'unknown error'})`);
    }
  });

  let stepNumber = options.firstStep ?? 1;

  return {
    page,
    consoleErrors,
    async step(name, action) {
      const prefix = `${String(stepNumber).padStart(2, '0')}-${name}`;
      stepNumber += 1;
      try {
        const result = await action();
        // Moves the pointer off the page so that no hover tooltip covers the screenshot.
        await page.mouse.move(0, 0);
        await page.screenshot({ path: join(options.screenshotDir, `${prefix}.png`), fullPage: true, animations: 'disabled' });
        return result;
      } catch (error) {
        await page.screenshot({ path: join(options.screenshotDir, `${prefix}-failed.png`), fullPage: true }).catch(() => undefined);
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`step ${prefix} failed: ${message}\n${describeConsoleErrors(consoleErrors)}`, { cause: error });
      }
    },
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
