import { Inject, Injectable } from '@nestjs/common';

import { Transactor } from '@app/sqlite';

import { AuditService } from '../audit/audit.service';
import { Actor, actorLabel } from '../auth/request-actor';
import { ApiError } from '../common/api-error';
import { apiConfig, ApiConfig } from '../config/api.config';
import { DeckClient } from '../deck/deck-client.service';
import { WebhookRegistration } from '../webhooks/webhook-registration.service';

export const SANDBOX_ROUTE = '/api/sandbox';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SECRET_PATH = /\/sandbox\/event-destinations\/[^/]+\/secret\/?$/i;

export interface PassedThrough {
  status: number;
  body: unknown;
}

/**
 * Operators' way to the sandbox's control plane (`/sandbox/*`: clock,
 * scenarios, triggers, faults), with the api's own Deck key so it acts on the
 * same organisation. Only when Deck is the sandbox: real Deck has no such API.
 */
@Injectable()
export class SandboxService {
  private readonly resetListeners: (() => void)[] = [];

  constructor(
    private readonly deck: DeckClient,
    private readonly transactor: Transactor,
    private readonly audit: AuditService,
    private readonly registration: WebhookRegistration,
    @Inject(apiConfig.KEY) private readonly config: ApiConfig,
  ) {}

  /** Called after an operator reset the sandbox through the api: what was cached from it (ids) is gone. */
  onReset(listener: () => void): void {
    this.resetListeners.push(listener);
  }

  /** `originalUrl` is the request's own (`/api/sandbox/clock?x=1`); the rest after the prefix is forwarded. */
  async pass(actor: Actor, method: string, originalUrl: string, body: unknown): Promise<PassedThrough> {
    if (!this.config.deck.isSandbox) {
      throw new ApiError('route_not_found', `No route matches ${method} ${originalUrl.split('?')[0]}.`);
    }
    const target = this.target(originalUrl);
    if (SECRET_PATH.test(target.pathname)) {
      // Whoever holds a destination's signing secret can forge events the api trusts.
      throw new ApiError('forbidden', 'Webhook signing secrets are never shown through the console.');
    }
    const sendBody = !SAFE_METHODS.has(method) && body !== undefined && body !== null;
    let answer: PassedThrough;
    try {
      answer = await this.deck.raw(method, target.href, sendBody ? body : undefined);
    } catch {
      throw new ApiError('deck_unavailable', 'The sandbox is not answering right now.');
    }
    if (method === 'POST' && target.pathname.endsWith('/sandbox/reset') && answer.status < 300) {
      // A reset deletes our webhook destination and gives sources and tasks new ids: take them up again at once.
      this.resetListeners.forEach((listener) => listener());
      await this.registration.renew();
    }
    if (!SAFE_METHODS.has(method)) {
      await this.transactor.run((manager) =>
        this.audit.record(manager, actorLabel(actor), 'sandbox.request', null, {
          method,
          path: target.pathname,
          status: answer.status,
        }),
      );
    }
    return answer;
  }

  /** The sandbox URL for a request; normalised paths must stay inside the control plane (no `../v2`). */
  private target(originalUrl: string): URL {
    const base = this.config.deck.url.replace(/\/v2$/, '');
    const rest = originalUrl.slice(SANDBOX_ROUTE.length);
    const url = new URL(`${base}/sandbox${rest}`);
    const prefix = `${new URL(base).pathname.replace(/\/$/, '')}/sandbox/`;
    if (url.origin !== new URL(base).origin || !url.pathname.startsWith(prefix)) {
      throw new ApiError('route_not_found', 'Only the sandbox control plane (/sandbox/*) can be reached here.');
    }
    return url;
  }
}
