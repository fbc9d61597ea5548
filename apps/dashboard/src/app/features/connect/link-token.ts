/** sessionStorage, so a reload of the tab still works once the fragment is gone; closing the tab forgets it. */
const STORAGE_KEY = 'deckhand.connect.link-token';

/**
 * Takes the connect link's token from the URL fragment (`#token=…`, which
 * browsers never send to a server), keeps it for reloads, and removes it from
 * the address bar so it is not bookmarked, shared or left in the history.
 */
export function takeLinkToken(win: Window): string | null {
  const fromUrl = new URLSearchParams(win.location.hash.replace(/^#/, '')).get('token');
  if (fromUrl) {
    try {
      win.sessionStorage.setItem(STORAGE_KEY, fromUrl);
    } catch {
      // Storage may be off (private modes); the token still works until a reload.
    }
    win.history.replaceState(win.history.state, '', win.location.pathname + win.location.search);
    return fromUrl;
  }
  try {
    return win.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The link is no longer good: a reload should not try it again. */
export function forgetLinkToken(win: Window): void {
  try {
    win.sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing kept.
  }
}

/** An Idempotency-Key; getRandomValues also works where randomUUID does not (plain http on a LAN address). */
export function newIdempotencyKey(win: Window): string {
  const bytes = win.crypto.getRandomValues(new Uint8Array(16));
  return `connect-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
