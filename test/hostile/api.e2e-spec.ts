import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import request from 'supertest';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';

import type { CredentialView, LinkView, Role } from '@app/contracts';
import { Transactor } from '@app/sqlite';

import { AppModule } from '../../apps/api/src/app.module';
import { AppModule as SandboxModule } from '../../apps/mock-deck/src/app.module';
import { WebhookDispatcher } from '../../apps/mock-deck/src/webhook-sender/webhook-dispatcher.service';
import { CatchUpService } from '../../apps/api/src/webhooks/catch-up.service';
import { ReceivedEventRow } from '../../apps/api/src/webhooks/received-event.entity';
import { ADMIN, loginAs, OperatorClient } from '../support/api-app';
import { addOperator, ConnectPair, startConnectPair, webhookSecret } from '../support/connect-flow';
import { changedTables, snapshot, Snapshot } from './db-snapshot';
import { apiShape, deckShape } from './error-shapes';
import {
  ClassExceptions,
  HostileRequest,
  INPUT_CLASSES,
  InputClass,
  InputClassId,
  nestedJson,
  problemsOf,
  routesFor,
  Target,
  uncoveredRoutes,
} from './hostile-inputs';
import { OpenApi, OpenApiDocument } from './openapi';
import { declaredRoutes, expectServedRoutes, Route, routeName, ServedException } from './route-table';
import {
  SANDBOX_CLASS_EXCEPTIONS,
  SANDBOX_FREE_FORM_BODIES,
  SandboxIds,
  sandboxExampleBodies,
  sandboxFixtures,
} from './sandbox-fixtures';

const HOUR_MS = '3600000';
const PASS_THROUGH = 'ALL /api/sandbox/*path';
const WEBHOOK = 'POST /webhooks/deck';
const KB = 1024;

/** Routes express serves that are not the api's own controllers, and why the suite leaves them out. */
const SERVED_EXCEPTIONS: ServedException[] = [
  { match: (r) => r.path.startsWith('/api/docs'), reason: 'Swagger UI and its OpenAPI document: static, no input' },
  {
    match: (r) => r.method === 'ALL' && r.path === '/{*path}',
    reason: 'Nest middleware bound to every path (request ids, logging, dashboard readiness), not a route',
  },
  {
    match: (r) => r.method === 'GET' && r.path.startsWith('/^'),
    reason: "the dashboard's static fallback (a regular expression route): serves index.html, takes no input",
  },
];

/** The api's codes for each class it refuses itself. */
const CODES: Target['codes'] = {
  nested: ['body_invalid'],
  nested_idempotent: ['body_invalid'],
  malformed: ['body_invalid'],
  string_body: ['body_invalid'],
  oversize: ['body_too_large'],
  form: ['body_invalid'],
  lone_surrogate: ['validation_failed'],
  null_fields: ['validation_failed'],
  proto_query: ['validation_failed'],
  bad_path_param: ['url_invalid'],
};

const API_ROUTES: Route[] = declaredRoutes(AppModule);
/** The pass-through and the webhook receiver get targets of their own below. */
const OWN_ROUTES = API_ROUTES.filter((route) => ![PASS_THROUGH, WEBHOOK].includes(routeName(route)));
const WEBHOOK_ROUTE = API_ROUTES.find((route) => routeName(route) === WEBHOOK);
if (!WEBHOOK_ROUTE) {
  throw new Error(`The api no longer declares ${WEBHOOK}: point this suite at Deck's webhook receiver again`);
}

/** The sandbox's control plane, as reached through the api's pass-through. */
const PASSED_ROUTES: Route[] = declaredRoutes(SandboxModule)
  .filter((route) => route.path.startsWith('/sandbox/'))
  .map((route) => ({
    ...route,
    path: `/api${route.path}`,
    hasBody: route.hasBody && !SANDBOX_FREE_FORM_BODIES[routeName(route)],
  }));
const PASSED_EXCEPTIONS: ClassExceptions = Object.fromEntries(
  Object.entries(SANDBOX_CLASS_EXCEPTIONS).map(([id, routes]) => [
    id,
    Object.fromEntries(
      Object.entries(routes).map(([name, reason]) => [name.replace(' /sandbox/', ' /api/sandbox/'), reason]),
    ),
  ]),
);

describe('Hostile input: every api route, and the sandbox control plane through the api', () => {
  const secret = webhookSecret();
  let pair: ConnectPair;
  let admin: OperatorClient;
  /** A session of its own for the logout route, so a logout wrongly taken ends no other test's session. */
  let loggingOut: OperatorClient;
  let linkToken: string;
  let apiOpenApi: OpenApi;
  let sandboxOpenApi: OpenApi;
  let ids: Record<string, string>;
  let sandboxIds: SandboxIds;

  beforeAll(async () => {
    pair = await startConnectPair({
      DECK_WEBHOOK_SECRET: secret,
      RECONCILE_INTERVAL_MS: HOUR_MS,
      DESTINATION_CHECK_INTERVAL_MS: HOUR_MS,
    });
    admin = await loginAs(pair.api);
    apiOpenApi = new OpenApi(
      (await request(pair.api.url).get('/api/docs/openapi.json').expect(200)).body as OpenApiDocument,
    );
    sandboxOpenApi = new OpenApi(
      (await request(pair.deck.url).get('/docs/openapi.json').expect(200)).body as OpenApiDocument,
      '/api',
    );
    const credential = (
      await admin
        .post('/api/credentials', {
          source_id: pair.sourceIds[0],
          username: 'user_good',
          password: 'hostile-1',
          external_id: 'hostile',
        })
        .expect(201)
    ).body as CredentialView;
    const operator = (
      await admin
        .post('/api/operators', { email: 'hostile@deckhand.test', password: 'hostile-passphrase-1', role: 'viewer' })
        .expect(201)
    ).body as { id: string };
    linkToken = ((await admin.post('/api/links', { external_id: 'hostile-link' }).expect(201)).body as LinkView).token;
    loggingOut = await addOperator(pair.api, 'viewer');
    sandboxIds = await sandboxFixtures(pair.sandbox);
    // Pulls the sandbox's events into the inbox, and waits out the catch-up that started with the app.
    await pair.api.app.get(CatchUpService).runNow();
    const event = await pair.api.app.get(DataSource).getRepository(ReceivedEventRow).findOneByOrFail({});
    ids = {
      credentials: credential.id,
      operators: operator.id,
      events: event.id,
      'task-runs': sandboxIds.run_id,
    };
    // Frozen, nothing falls due while a test watches the databases; settled, nothing is still being written.
    await pair.sandbox.post('/sandbox/clock/freeze').expect(200);
    await settle();
  }, 60_000);

  afterAll(async () => {
    await pair?.close();
  });

  /** The sandbox's due work and deliveries done (the api does nothing on its own: its timers are an hour away). */
  async function settle(): Promise<void> {
    await pair.deck.settle();
    await pair.deck.app.get(WebhookDispatcher).drain();
    await pair.deck.settle();
  }

  /** Both databases; `leaveOut` as in `snapshot`, for the api's. */
  async function bothDatabases(leaveOut: Record<string, string> = {}): Promise<Snapshot> {
    return { ...(await snapshot(pair.api.app, leaveOut)), ...prefixed(await snapshot(pair.deck.app)) };
  }

  function send(hostile: HostileRequest, as: 'admin' | 'logging out' | 'link' | 'nobody') {
    const method = hostile.method.toLowerCase() as 'get';
    const signedIn = as === 'logging out' ? loggingOut : admin;
    const req =
      as === 'admin' || as === 'logging out'
        ? signedIn.agent[method](hostile.path).set('X-XSRF-TOKEN', signedIn.xsrf)
        : as === 'link'
          ? request(pair.api.url)[method](hostile.path).set('X-Link-Token', linkToken)
          : request(pair.api.url)[method](hostile.path);
    req.set(hostile.headers);
    return hostile.body === undefined ? req : req.send(hostile.body);
  }

  /**
   * Who calls an api route: the connect page's own route as a connect page (operators get 404
   * there); login without a session and logout with a session of its own, so that one wrongly
   * accepted signs nobody else in or out; everything else as the admin.
   */
  function caller(path: string): Parameters<typeof send>[1] {
    if (path.startsWith('/api/links/current')) {
      return 'link';
    }
    if (path.startsWith('/api/auth/login')) {
      return 'nobody';
    }
    return path.startsWith('/api/auth/logout') ? 'logging out' : 'admin';
  }

  /** The api's own routes: the id a path names is picked by the resource it is under. */
  function apiTarget(): Target {
    return {
      openApi: apiOpenApi,
      bodyLimit: 64 * KB,
      shape: apiShape,
      codes: CODES,
      writeHeaders: { 'Idempotency-Key': `hostile-${randomBytes(8).toString('hex')}` },
      pathOf: (route) =>
        route.path.replace(/[:*](\w+)/g, () => {
          const resource = route.path.split('/')[2];
          const value = ids[resource];
          if (!value) {
            throw new Error(`No fixture for the id in ${routeName(route)}: add one for "${resource}" in beforeAll`);
          }
          return value;
        }),
      exampleBody: (route) => apiExampleBodies()[routeName(route)],
      send: (hostile) => send(hostile, caller(hostile.path)),
      snapshot: () => bothDatabases(),
      settle,
    };
  }

  /**
   * Unsigned, so not from Deck: refused with 401 before anything reads the body, except a body over
   * the receiver's own limit, which the parser refuses first.
   */
  function webhookTarget(): Target {
    return {
      openApi: apiOpenApi,
      bodyLimit: 256 * KB,
      shape: apiShape,
      codes: Object.fromEntries(
        INPUT_CLASSES.map((c) => [c.id, c.id === 'oversize' ? ['body_too_large'] : ['signature_invalid']]),
      ),
      statuses: Object.fromEntries(INPUT_CLASSES.map((c) => [c.id, c.id === 'oversize' ? 413 : 401])),
      writeHeaders: { 'Idempotency-Key': `hostile-${randomBytes(8).toString('hex')}` },
      pathOf: (route) => route.path,
      exampleBody: () => undefined,
      send: (hostile) => send(hostile, 'nobody'),
      snapshot: () => bothDatabases(),
      settle,
    };
  }

  /**
   * The pass-through: the api refuses what it can read as hostile before passing anything on
   * (its own shape); a null field is for the sandbox to refuse, passed back in the sandbox's envelope.
   */
  function passThroughTarget(id: InputClassId): Target {
    const bodies = sandboxExampleBodies(sandboxIds);
    const sandboxRefuses = id === 'null_fields';
    return {
      openApi: sandboxOpenApi,
      bodyLimit: 64 * KB,
      shape: sandboxRefuses ? deckShape : apiShape,
      codes: sandboxRefuses ? { null_fields: ['input_invalid', 'input_missing'] } : CODES,
      writeHeaders: { 'Idempotency-Key': `hostile-${randomBytes(8).toString('hex')}` },
      pathOf: (route) =>
        route.path.replace(/[:*](\w+)/g, (_, name: string) => {
          const value = sandboxIds[name];
          if (!value) {
            throw new Error(`No fixture for :${name} (${routeName(route)}): create one in sandboxFixtures`);
          }
          return value;
        }),
      exampleBody: (route) => bodies[routeName({ ...route, path: route.path.replace(/^\/api/, '') })],
      send: (hostile) => send(hostile, 'admin'),
      // A request the sandbox refused was still passed on, and the audit log records every write passed on.
      snapshot: () => bothDatabases(sandboxRefuses ? { audit_log: `action = 'sandbox.request'` } : {}),
      settle,
    };
  }

  function apiExampleBodies(): Record<string, Record<string, unknown>> {
    return {
      'POST /api/auth/login': { email: ADMIN.email, password: ADMIN.password },
      'POST /api/task-runs/:id/interaction': { input: { code: '123456' } },
      'POST /api/operators': { email: 'new-op@deckhand.test', password: 'long-enough-passphrase', role: 'viewer' },
      'PATCH /api/operators/:id': { role: 'operator', password: 'another-long-passphrase' },
      'POST /api/credentials': {
        source_id: pair.sourceIds[0],
        username: 'user_good',
        password: 'hostile-2',
        source_fields: { tenant: 't1' },
        external_id: 'hostile-2',
      },
      'PATCH /api/credentials/:id': { username: 'user_good', password: 'hostile-3', source_fields: { tenant: 't2' } },
      'POST /api/links': { external_id: 'hostile-link-2', source_id: pair.sourceIds[0] },
    };
  }

  it('covers every route the running api serves', () => {
    expectServedRoutes(pair.api.app, API_ROUTES, SERVED_EXCEPTIONS);
  });

  it('generates at least one input class for every route', () => {
    expect(uncoveredRoutes([...OWN_ROUTES, WEBHOOK_ROUTE, ...PASSED_ROUTES], PASSED_EXCEPTIONS)).toEqual([]);
  });

  it.each(OWN_ROUTES.filter((r) => r.hasBody).map(routeName))('documents the body of %s', (name) => {
    const route = OWN_ROUTES.find((r) => routeName(r) === name) as Route;
    expect(apiOpenApi.bodySchema(route)?.properties).toBeDefined();
  });

  for (const inputClass of INPUT_CLASSES) {
    describe(inputClass.id, () => {
      for (const route of routesFor(inputClass, OWN_ROUTES)) {
        it(`${routeName(route)} ${inputClass.title}`, async () => {
          expect(await problemsOf(inputClass, route, apiTarget())).toEqual([]);
        });
      }
    });
  }

  describe(`${WEBHOOK}, unsigned`, () => {
    for (const inputClass of classesFor(WEBHOOK_ROUTE)) {
      const what = inputClass.title.replace(/^refuses /, '').replace(/ with \d{3}$/, '');
      const title =
        inputClass.id === 'oversize'
          ? `${WEBHOOK} refuses ${what} with 413 (its own, larger limit)`
          : `${WEBHOOK} answers ${what}, unsigned, with 401 before reading it`;
      it(title, async () => {
        expect(await problemsOf(inputClass, WEBHOOK_ROUTE, webhookTarget())).toEqual([]);
      });
    }
  });

  describe(`${WEBHOOK}, validly signed but not an event it can apply`, () => {
    const poison: { name: string; contentType: string; body: string; note: RegExp }[] = [
      {
        name: 'an event whose data nests 10,000 levels',
        contentType: 'application/json',
        body: `{"id":"ID","object":"event","type":"credential.verified","created_at":"AT","data":${nestedJson(10_000)}}`,
        note: /nests deeper than \d+ levels/,
      },
      { name: 'malformed JSON', contentType: 'application/json', body: '{"id":"ID","type":', note: /not JSON/ },
      { name: 'a JSON string as the whole body', contentType: 'application/json', body: '"ID"', note: /./ },
      {
        name: 'a form-encoded body',
        contentType: 'application/x-www-form-urlencoded',
        body: 'id=ID&type=credential.verified',
        note: /not JSON/,
      },
    ];

    /** Signed as Deck signs: over the exact bytes, with a fresh timestamp per attempt. */
    function deliver(id: string, body: string, contentType: string): Promise<Response> {
      const at = new Date();
      return request(pair.api.url)
        .post('/webhooks/deck')
        .set({
          'Content-Type': contentType,
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
          'webhook-signature': new Webhook(secret).sign(id, at, body),
        })
        .send(body);
    }

    // 2xx, or Deck would retry and in the end switch the destination off over an event no retry can change.
    it.each(poison)('acknowledges $name with 200, keeps it held, and changes nothing else', async (c) => {
      const id = `evt_${randomBytes(12).toString('hex')}`;
      const body = c.body.replace('ID', id).replace('AT', new Date().toISOString());
      // Everything but this event's own inbox row must stay as it was.
      const others = { received_events: `id = '${id}'` };
      const before = await bothDatabases(others);

      const first = await deliver(id, body, c.contentType);
      expect(first.status).toBe(200);
      expect(first.body).toEqual({ received: true, duplicate: false, outcome: 'held' });
      // A redelivery (Deck retries on a lost answer) is counted, not taken again.
      const again = await deliver(id, body, c.contentType);
      expect(again.status).toBe(200);
      expect(again.body).toEqual({ received: true, duplicate: true, outcome: 'held' });

      const row = await pair.api.app
        .get(Transactor)
        .exclusive(() => pair.api.app.get(DataSource).getRepository(ReceivedEventRow).findOneBy({ id }));
      expect(row).toMatchObject({ id, outcome: 'held', via: 'webhook', duplicates: 1 });
      expect(row?.note).toMatch(c.note);
      await settle();
      expect(changedTables(before, await bothDatabases(others))).toEqual([]);
    });
  });

  describe(`${PASS_THROUGH} (the sandbox control plane through the api)`, () => {
    for (const inputClass of INPUT_CLASSES) {
      for (const route of routesFor(inputClass, PASSED_ROUTES, PASSED_EXCEPTIONS)) {
        it(`${routeName(route)} ${inputClass.title}`, async () => {
          expect(await problemsOf(inputClass, route, passThroughTarget(inputClass.id))).toEqual([]);
        });
      }
    }
  });

  describe(`${PASS_THROUGH}: a webhook signing secret is never passed on`, () => {
    /** Whoever reads it can sign events the api trusts; each spelling must be refused, never reach the secret. */
    const spellings = (id: string): Record<string, string> => ({
      plain: `/api/sandbox/event-destinations/${id}/secret`,
      'with a trailing slash': `/api/sandbox/event-destinations/${id}/secret/`,
      'in other case': `/api/sandbox/Event-Destinations/${id}/SECRET`,
      'with a query': `/api/sandbox/event-destinations/${id}/secret?reveal=1`,
      'with dot segments': `/api/sandbox/event-destinations/x/../${id}/./secret`,
      'with a percent-encoded letter': `/api/sandbox/event-destinations/${id}/%73ecret`,
      'with encoded slashes': `/api/sandbox/event-destinations%2F${id}%2Fsecret`,
      'with a double slash': `/api/sandbox/event-destinations/${id}//secret`,
    });
    let destinationSecret: string;
    /** Signed in once each: the login route allows few attempts a minute, and these only read. */
    const clients = new Map<Role, OperatorClient>();

    beforeAll(async () => {
      // The sandbox does show it to its own key holder: so a refusal below is the api's doing.
      const direct = await pair.sandbox.get(`/sandbox/event-destinations/${sandboxIds.destination_id}/secret`);
      expect(direct.status).toBe(200);
      destinationSecret = /whsec_[A-Za-z0-9+/=]+/.exec(JSON.stringify(direct.body))?.[0] ?? '';
      expect(destinationSecret).not.toBe('');
      clients.set('admin', admin);
      clients.set('operator', await addOperator(pair.api, 'operator'));
      clients.set('viewer', await addOperator(pair.api, 'viewer'));
    });

    /** The api's own refusal, or the sandbox's "no such route" passed back as it came. */
    type Shape = (res: Response) => string[];
    const forbidden: Shape = (res) => apiShape(res, ['forbidden']);
    const noRoute: Shape = (res) => deckShape(res, ['route_not_found']);

    /** Refused with `status` and `shape`, without the secret in the answer, and nothing changed. */
    async function expectRefused(role: Role, path: string, status: number, shape: Shape): Promise<void> {
      const client = clients.get(role) as OperatorClient;
      await settle();
      const before = await bothDatabases();
      const res = await client.get(path);
      expect(res.status).toBe(status);
      expect(res.text).not.toContain(destinationSecret);
      expect(res.text).not.toContain('whsec_');
      expect(shape(res)).toEqual([]);
      await settle();
      expect(changedTables(before, await bothDatabases())).toEqual([]);
    }

    it.each<Role>(['viewer', 'operator', 'admin'])('refuses a signed-in %s the plain path with 403', async (role) => {
      await expectRefused(role, spellings(sandboxIds.destination_id).plain, 403, forbidden);
    });

    it.each(['with a trailing slash', 'in other case', 'with a query', 'with dot segments'])(
      'refuses an operator the path spelt %s with 403',
      async (spelling) => {
        await expectRefused('operator', spellings(sandboxIds.destination_id)[spelling], 403, forbidden);
      },
    );

    // Passed on, as they name no secret to the api; the sandbox's router must not resolve them to it either.
    it.each(['with a percent-encoded letter', 'with encoded slashes', 'with a double slash'])(
      "answers an operator's path spelt %s with the sandbox's 404, not the secret",
      async (spelling) => {
        await expectRefused('operator', spellings(sandboxIds.destination_id)[spelling], 404, noRoute);
      },
    );
  });
});

/** The input classes for one route (the webhook receiver: bodies only, no query, no path parameters). */
function classesFor(route: Route): InputClass[] {
  return INPUT_CLASSES.filter((inputClass) => inputClass.applies(route));
}

/** The sandbox's tables, named apart from the api's (both have `credentials`, `task_runs`). */
function prefixed(tables: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tables).map(([name, value]) => [`sandbox.${name}`, value]));
}
