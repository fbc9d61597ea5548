import request, { Response } from 'supertest';

import type { DeckEvent, DeckEventDelivery, DeckEventDestination, DeckList, SandboxDeliveryAttempt } from '@app/deck';

import { DeckClient, MockDeck, waitFor } from './mock-deck-app';

/** `PUT /sandbox/event-destinations/:id/faults` (deckClient has no `put`). */
export function putFaults(
  deck: Pick<MockDeck, 'url'>,
  client: DeckClient,
  destinationId: string,
  body: unknown,
): Promise<Response> {
  return request(deck.url)
    .put(`/sandbox/event-destinations/${destinationId}/faults`)
    .set('Authorization', `Bearer ${client.apiKey}`)
    .send(body as object);
}

/** A webhook destination to `url`, subscribed to `events` (credential.created by default, so runs add no noise). */
export async function createWebhookDestination(
  client: DeckClient,
  url: string,
  events: string[] = ['credential.created'],
): Promise<DeckEventDestination & { webhook: { url: string; secret: string } }> {
  const res = await client.post('/v2/event-destinations', { name: `Receiver ${url}`, events, webhook: { url } });
  expect(res.status).toBe(201);
  return res.body as DeckEventDestination & { webhook: { url: string; secret: string } };
}

/** A destination's attempts log, oldest first (the endpoint pages newest first). */
export async function attemptsOf(client: DeckClient, destinationId: string): Promise<SandboxDeliveryAttempt[]> {
  const res = await client.get(`/sandbox/event-destinations/${destinationId}/attempts?limit=100`).expect(200);
  return (res.body as DeckList<SandboxDeliveryAttempt>).data.reverse();
}

/** Waits until the log holds at least `count` attempts to the destination. */
export function waitForAttempts(
  client: DeckClient,
  destinationId: string,
  count: number,
  timeoutMs = 5000,
): Promise<SandboxDeliveryAttempt[]> {
  return waitFor(
    async () => {
      const attempts = await attemptsOf(client, destinationId);
      return attempts.length >= count ? attempts : undefined;
    },
    timeoutMs,
    `${count} logged attempt(s) to ${destinationId}`,
  );
}

export async function deliveriesOf(client: DeckClient, destinationId: string): Promise<DeckEventDelivery[]> {
  const res = await client.get(`/v2/event-destinations/${destinationId}/event-deliveries?limit=100`).expect(200);
  return (res.body as DeckList<DeckEventDelivery>).data;
}

export function waitForDelivery(
  client: DeckClient,
  destinationId: string,
  accept: (delivery: DeckEventDelivery) => boolean,
  what: string,
): Promise<DeckEventDelivery> {
  return waitFor(async () => (await deliveriesOf(client, destinationId)).find(accept), 5000, what);
}

export async function eventsOfType(client: DeckClient, type: string): Promise<DeckEvent[]> {
  return ((await client.get(`/v2/events?type=${type}&limit=100`).expect(200)).body as DeckList<DeckEvent>).data;
}

/** Moves a frozen sandbox clock and lets everything that fell due start. */
export async function advance(deck: MockDeck, ms: number): Promise<void> {
  deck.clock.advance(ms);
  await deck.settle();
}

/** Gives background sends a moment, for checks that nothing more happened. */
export function pause(ms = 120): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
