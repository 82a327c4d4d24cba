// fhirclient's browser build reads `window.fetch` once, when it is evaluated
// (lib/lib.js: `const { fetch } = window`), so a test cannot swap window.fetch later.
// Import this module BEFORE anything that imports fhirclient: it installs a window.fetch
// that forwards to the handler a test sets, and to the real fetch otherwise.
import { fakeServer } from '../source/fake-fhir-server.js';
import type { FakeServer, Route } from '../source/fake-fhir-server.js';

export const realFetch: typeof fetch = window.fetch.bind(window);
let handler: typeof fetch | undefined;

window.fetch = ((input: RequestInfo | URL, init?: RequestInit) => (handler ?? realFetch)(input, init)) as typeof fetch;

/**
 * Serves the `*.example.test` hosts from a fake server for the rest of the test (anything
 * else goes to the real fetch); `restoreFetch()` in afterEach undoes it.
 */
export function installFakeServer(route: Route): FakeServer {
  const server = fakeServer(route);
  handler = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    return new URL(url).hostname.endsWith('.example.test') ? server.fetch(input, init) : realFetch(input, init);
  }) as typeof fetch;
  return server;
}

export function restoreFetch(): void {
  handler = undefined;
}
