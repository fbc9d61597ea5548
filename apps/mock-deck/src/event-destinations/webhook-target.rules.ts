/** What a webhook destination may point at and send: checked when it is saved, not at delivery. */
import { DeckError } from '../common/deck-error';

/** Hosts a webhook may never be sent to: cloud metadata endpoints (SSRF). */
const FORBIDDEN_HOSTS = [/^169\.254\./, /^\[?fd00:ec2::254\]?$/i, /^metadata\.google\.internal$/i];

/** An IPv4 address written as IPv6 (`[::ffff:a9fe:a9fe]` is 169.254.169.254); the URL parser leaves it in hex. */
const IPV4_MAPPED_HOST = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/i;

/** An HTTP header name (RFC 9110 token) and a value fetch can send (bytes, no CR, LF or NUL). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const HEADER_VALUE = /^[^\0\r\n\u0100-\uffff]*$/;

/** Headers that steer the HTTP transport itself: fetch refuses them or sends a broken request. */
const TRANSPORT_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'expect',
  'te',
  'trailer',
]);

/** Refuses cloud metadata addresses, however the host is written (SSRF). */
export function assertDeliverableUrl(url: string, field: string): void {
  let host = new URL(url).hostname;
  const mapped = IPV4_MAPPED_HOST.exec(host);
  if (mapped) {
    const [high, low] = [parseInt(mapped[1], 16), parseInt(mapped[2], 16)];
    host = [high >> 8, high & 255, low >> 8, low & 255].join('.');
  }
  if (FORBIDDEN_HOSTS.some((pattern) => pattern.test(host))) {
    throw new DeckError('input_invalid', 'Webhooks cannot be sent to a cloud metadata address.', field);
  }
}

/** Every delivery sends these headers, so refuse at once any that could never be sent. */
export function assertSendableHeaders(raw: string | null | undefined, field: string): void {
  if (typeof raw !== 'string') {
    return;
  }
  const parsed = JSON.parse(raw) as unknown;
  const sendable =
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.entries(parsed).every(
      ([name, value]) =>
        HEADER_NAME.test(name) &&
        !TRANSPORT_HEADERS.has(name.toLowerCase()) &&
        typeof value === 'string' &&
        HEADER_VALUE.test(value),
    );
  if (!sendable) {
    throw new DeckError(
      'input_invalid',
      '`custom_headers` must be a JSON-encoded object of HTTP header names and string values.',
      field,
    );
  }
}
