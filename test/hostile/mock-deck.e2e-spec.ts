import request from 'supertest';

import { AppModule } from '../../apps/mock-deck/src/app.module';
import { WebhookDispatcher } from '../../apps/mock-deck/src/webhook-sender/webhook-dispatcher.service';
import { deckClient, MockDeck, newApiKey, startMockDeck } from '../support/mock-deck-app';
import { snapshot } from './db-snapshot';
import { deckShape } from './error-shapes';
import { INPUT_CLASSES, InputClassId, problemsOf, routesFor, Target, uncoveredRoutes } from './hostile-inputs';
import { OpenApi, OpenApiDocument } from './openapi';
import { declaredRoutes, expectServedRoutes, Route, routeName, ServedException } from './route-table';
import {
  SANDBOX_CLASS_EXCEPTIONS,
  SANDBOX_FREE_FORM_BODIES,
  SandboxIds,
  sandboxExampleBodies,
  sandboxFixtures,
} from './sandbox-fixtures';

/** Routes express serves that are not the sandbox's own controllers, and why the suite leaves them out. */
const SERVED_EXCEPTIONS: ServedException[] = [
  { match: (r) => r.path.startsWith('/docs'), reason: 'Swagger UI and its OpenAPI document: static, no input' },
  {
    match: (r) => r.method === 'ALL' && r.path === '/{*path}',
    reason: 'Nest middleware bound to every path (request ids, logging), not a route of its own',
  },
];

/** Deck's codes for a body that is not a usable JSON object, and for one over the limit. */
const CODES: Target['codes'] = {
  nested: ['body_invalid'],
  nested_idempotent: ['body_invalid'],
  malformed: ['body_invalid'],
  string_body: ['body_invalid'],
  oversize: ['body_too_large'],
};

const ROUTES: Route[] = declaredRoutes(AppModule).map((route) =>
  SANDBOX_FREE_FORM_BODIES[routeName(route)] ? { ...route, hasBody: false } : route,
);

describe('Hostile input: every sandbox route', () => {
  let deck: MockDeck;
  let openApi: OpenApi;
  /** One organisation per input class, so a request wrongly accepted under one class cannot disturb another. */
  const orgs = new Map<InputClassId, { apiKey: string; ids: SandboxIds }>();

  beforeAll(async () => {
    // A high limit: the per-organisation throttle is not what is under test, and a 429 would hide the answer.
    deck = await startMockDeck({ MOCK_DECK_RATE_LIMIT: '5000' });
    openApi = new OpenApi((await request(deck.url).get('/docs/openapi.json').expect(200)).body as OpenApiDocument);
    // One at a time: the sandbox finishes ten organisations' runs later together than in turn.
    for (const inputClass of INPUT_CLASSES) {
      const client = deckClient(deck, newApiKey());
      orgs.set(inputClass.id, { apiKey: client.apiKey, ids: await sandboxFixtures(client) });
    }
    // Frozen, nothing falls due while a test watches the database; settled, nothing is still being written.
    await deckClient(deck).post('/sandbox/clock/freeze').expect(200);
    await settle();
  }, 60_000);

  afterAll(async () => {
    await deck?.close();
  });

  /** Due work done and every delivery under way finished (its attempt row written), then due work again. */
  async function settle(): Promise<void> {
    await deck.settle();
    await deck.app.get(WebhookDispatcher).drain();
    await deck.settle();
  }

  function target(id: InputClassId): Target {
    const org = orgs.get(id);
    if (!org) {
      throw new Error(`No organisation for ${id}`);
    }
    const bodies = sandboxExampleBodies(org.ids);
    return {
      openApi,
      bodyLimit: 1024 * 1024,
      shape: deckShape,
      codes: CODES,
      writeHeaders: { 'Idempotency-Key': `hostile-${id}-${Date.now()}` },
      pathOf: (route) =>
        route.path.replace(/[:*](\w+)/g, (_, name: string) => {
          const value = org.ids[name];
          if (!value) {
            throw new Error(`No fixture for :${name} (${routeName(route)}): create one in sandboxFixtures`);
          }
          return value;
        }),
      exampleBody: (route) => bodies[routeName(route)],
      send: (hostile) => {
        const req = request(deck.url)
          [hostile.method.toLowerCase() as 'get'](hostile.path)
          .set('Authorization', `Bearer ${org.apiKey}`)
          .set(hostile.headers);
        return hostile.body === undefined ? req : req.send(hostile.body);
      },
      // Nothing is left out: the sandbox keeps no request log, and a refused request must store no idempotency record.
      snapshot: () => snapshot(deck.app),
      settle,
    };
  }

  it('covers every route the running sandbox serves', () => {
    expectServedRoutes(deck.app, ROUTES, SERVED_EXCEPTIONS);
  });

  it('generates at least one input class for every route', () => {
    expect(uncoveredRoutes(ROUTES, SANDBOX_CLASS_EXCEPTIONS)).toEqual([]);
  });

  it.each(ROUTES.filter((r) => r.hasBody).map(routeName))('documents the body of %s', (name) => {
    const route = ROUTES.find((r) => routeName(r) === name) as Route;
    expect(openApi.bodySchema(route)?.properties).toBeDefined();
  });

  for (const inputClass of INPUT_CLASSES) {
    describe(inputClass.id, () => {
      for (const route of routesFor(inputClass, ROUTES, SANDBOX_CLASS_EXCEPTIONS)) {
        it(`${routeName(route)} ${inputClass.title}`, async () => {
          expect(await problemsOf(inputClass, route, target(inputClass.id))).toEqual([]);
        });
      }
    });
  }
});
