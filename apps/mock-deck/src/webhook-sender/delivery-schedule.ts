/**
 * Deck retries a failed delivery 3 times with exponential backoff and then
 * switches the destination off (deck-api.md §8.1). The delays are sandbox time
 * after each failed attempt.
 */
export const RETRY_DELAYS_MS = [1_000, 2_000, 4_000] as const;

/** A 2xx within this long is a success; anything else is a failure. */
export const DELIVERY_TIMEOUT_MS = 5_000;

/** An attempt in flight holds its delivery this long (real time); after a crash it is retried. */
export const IN_FLIGHT_LEASE_MS = 30_000;
