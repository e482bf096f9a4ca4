/// <reference lib="webworker" />
import { clientsClaim } from 'workbox-core';
import { ExpirationPlugin } from 'workbox-expiration';
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkFirst } from 'workbox-strategies';
import { OFFLINE_CACHE, OFFLINE_COPY_HEADER, OFFLINE_READS } from './lib/offline';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: { url: string; revision: string | null }[] };

// The built files (their list and hashes are injected at build time): the app opens offline.
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// A new version takes over at once: the app shell holds no state a reload would lose.
self.skipWaiting();
clientsClaim();

const SERVER_PATHS = ['/api', '/mcp', '/ws', '/healthz', '/readyz', '/metrics'];
const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

// Client-side routes get the app shell; the server's own paths never do.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), {
    denylist: SERVER_PATHS.map((prefix) => new RegExp(`^${prefix}(?:/|$)`)),
  }),
);

// Network first, so online the answer is always fresh; offline, the last answer, marked as a copy.
registerRoute(
  ({ url, request }) =>
    request.method === 'GET' &&
    url.origin === self.location.origin &&
    OFFLINE_READS.some((prefix) => under(url.pathname, prefix)),
  new NetworkFirst({
    cacheName: OFFLINE_CACHE,
    networkTimeoutSeconds: 10,
    plugins: [
      new ExpirationPlugin({ maxEntries: 200 }),
      {
        cachedResponseWillBeUsed: async ({ cachedResponse }) => {
          if (!cachedResponse) return null;
          const headers = new Headers(cachedResponse.headers);
          headers.set(OFFLINE_COPY_HEADER, cachedResponse.headers.get('Date') ?? new Date(0).toUTCString());
          return new Response(await cachedResponse.blob(), { status: cachedResponse.status, headers });
        },
      },
    ],
  }),
);
