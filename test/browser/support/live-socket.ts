import type { Page, WebSocketRoute } from '@playwright/test';

/** Controls the page's socket.io connection (the api's live feed) from a test. */
export interface LiveSocketControl {
  /**
   * Closes the page's open live connections (the app sees a disconnect) and
   * refuses every reconnect attempt until `restore()`.
   */
  drop(): Promise<void>;
  /** Lets reconnect attempts through to the api again (socket.io retries within a few seconds). */
  restore(): void;
  /** Live connections that reached the api so far. */
  connections(): number;
  /** Reconnect attempts refused while dropped. */
  refused(): number;
  /** Resolves at the next connection that reaches the api (use after `restore()`). */
  nextConnection(timeoutMs?: number): Promise<void>;
}

interface Pair {
  page: WebSocketRoute;
  server: WebSocketRoute;
}

/**
 * Puts the page's socket.io websockets under the test's control. Call it before
 * the page opens the connection (before `goto` / signing in): only sockets opened
 * afterwards are routed.
 *
 * ```ts
 * const live = await controlLiveSocket(page);
 * await page.goto('/credentials');
 * await live.drop();      // the connection indicator says reconnecting
 * // … changes happen meanwhile …
 * live.restore();         // the page reconnects and catches up
 * ```
 */
export async function controlLiveSocket(page: Page): Promise<LiveSocketControl> {
  let dropped = false;
  let connections = 0;
  let refused = 0;
  const open = new Set<Pair>();
  const waiters = new Set<() => void>();

  await page.routeWebSocket(/\/socket\.io\//, (ws) => {
    if (dropped) {
      refused += 1;
      // The page's websocket opens (Playwright answers it) and at once gets a frame
      // engine.io cannot parse: its client treats that as a failed attempt
      // (connect_error) and retries with backoff, as when the server is unreachable.
      ws.send('x');
      void ws.close({ code: 1011, reason: 'dropped by the test' }).catch(() => undefined);
      return;
    }
    const server = ws.connectToServer();
    const pair: Pair = { page: ws, server };
    open.add(pair);
    connections += 1;
    // Forward closes both ways ourselves, so a dropped pair leaves the set.
    ws.onClose((code, reason) => {
      open.delete(pair);
      void server.close({ code, reason }).catch(() => undefined);
    });
    server.onClose((code, reason) => {
      open.delete(pair);
      void ws.close({ code, reason }).catch(() => undefined);
    });
    for (const resolve of waiters) {
      resolve();
    }
    waiters.clear();
  });

  return {
    async drop() {
      dropped = true;
      const pairs = [...open];
      open.clear();
      await Promise.all(
        pairs.map(async (pair) => {
          await pair.page.close({ code: 1001, reason: 'dropped by the test' }).catch(() => undefined);
          await pair.server.close().catch(() => undefined);
        }),
      );
    },
    restore() {
      dropped = false;
    },
    connections: () => connections,
    refused: () => refused,
    nextConnection(timeoutMs = 20_000) {
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(done);
          reject(new Error(`no live connection reached the api within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        waiters.add(done);
      });
    },
  };
}
