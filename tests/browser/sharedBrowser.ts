import { afterAll, afterEach, beforeEach, expect } from 'vitest';
import { launchBrowser, sinceNow, type BrowserSession } from './harness.ts';

const VIEWPORT = { width: 1280, height: 900 };

/**
 * One Chromium for a file's tests, launched by the first test that needs it (without Chromium
 * every test then fails with the launch error, how to install it, rather than being skipped as a
 * failing beforeAll would make them). Each test starts at 1280 x 900 (on `openEach`, if given,
 * freshly loaded), so it runs alone with -t, and answers for its own console and requests.
 * Returns the session as the current test sees it.
 */
export function useSharedBrowser(baseUrl: string, o: { prepare?(s: BrowserSession): Promise<unknown>; openEach?: string } = {}): BrowserSession {
  let launched: Promise<BrowserSession> | undefined;
  let current: BrowserSession | undefined;
  let since: ReturnType<typeof sinceNow>;

  beforeEach(async () => {
    launched ??= launchBrowser(baseUrl, VIEWPORT).then(async (s) => {
      await o.prepare?.(s);
      return s;
    });
    current = await launched;
    await current.page.setViewportSize(VIEWPORT);
    if (o.openEach) await current.page.goto(o.openEach);
    since = sinceNow(current);
  });

  afterEach(() => {
    expect(since()).toEqual({ problems: [], offsite: [] });
  });

  afterAll(async () => {
    const session = await launched?.catch(() => undefined);
    await session?.close();
  });

  // the tests hold this one object; it reads through to the session launched for them
  return new Proxy({} as BrowserSession, {
    get: (_, key) => {
      if (!current) throw new Error('the shared browser is only there inside a test');
      return Reflect.get(current, key);
    },
  });
}
