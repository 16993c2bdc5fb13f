/**
 * Browser-test harness: the site built, served and opened in Chromium (scripts/chromium.ts, which
 * the benches use too), and what the tests' global set-up provides them.
 */
export * from '../../scripts/chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where the built site is served, e.g. http://127.0.0.1:40123/ */
    baseUrl: string;
    /** The built site's folder, for tests that serve it again with other headers. */
    siteDir: string;
  }
}
