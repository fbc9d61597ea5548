// Deck (the sandbox) as one organisation's API key sees it: JSON in and out, a 429 waited out
// (the sandbox allows an organisation so many requests per window), anything else not 2xx thrown.
const { delay } = require('./system');

function deckClient(sandboxURL, key) {
  return async function deck(method, path, body) {
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${sandboxURL}${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      if (response.status === 429 && attempt < 10) {
        await delay(1000 * Math.min(Number(response.headers.get('retry-after')) || 1, 10));
        continue;
      }
      if (!response.ok) {
        throw new Error(`${method} ${path} at the sandbox answered ${response.status}: ${text.slice(0, 300)}`);
      }
      return JSON.parse(text);
    }
  };
}

module.exports = { deckClient };
