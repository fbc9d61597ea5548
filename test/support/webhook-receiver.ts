import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

import { waitFor } from './mock-deck-app';

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  rawBody: string;
  /** Wall-clock ms when the receiver had the whole body. */
  receivedAt: number;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** How a path answers its `nth` request (1-based); `'hang'` never answers until released. */
export type Responder = (request: ReceivedRequest, nth: number) => Answer | 'hang';

export const answerOk: Responder = () => ({ status: 200, body: 'ok' });

export const answerStatus =
  (status: number, body = 'boom', headers: Record<string, string> = {}): Responder =>
  () => ({ status, body, headers });

/** Answers as a careful receiver does: 200 when the signature verifies with `secret`, else 401. */
export const answerVerifying =
  (secret: () => string): Responder =>
  (request) => {
    try {
      new Webhook(secret()).verify(request.rawBody, request.headers);
      return { status: 200, body: 'verified' };
    } catch (error: unknown) {
      return { status: 401, body: (error as Error).message };
    }
  };

/** A real HTTP server that records every request and answers per path, as a webhook receiver would. */
export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  private readonly responders = new Map<string, Responder>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly server: Server;
  private nextPath = 0;
  url = '';

  constructor() {
    this.server = createServer((req, res) => this.handle(req, res));
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A fresh path that answers as told; its requests are kept apart from other tests'. */
  endpoint(responder: Responder = answerOk): string {
    const path = `/hooks/${++this.nextPath}`;
    this.responders.set(path, responder);
    return path;
  }

  answer(path: string, responder: Responder): void {
    this.responders.set(path, responder);
  }

  to(path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Waits until `path` has at least `count` requests and returns them. */
  waitForRequests(path: string, count: number, timeoutMs = 5000): Promise<ReceivedRequest[]> {
    return waitFor(
      () => Promise.resolve(this.to(path).length >= count ? this.to(path) : undefined),
      timeoutMs,
      `${count} request(s) to ${path}`,
    );
  }

  release(status = 200): void {
    for (const res of this.hanging) {
      res.statusCode = status;
      res.end();
    }
    this.hanging.clear();
  }

  async close(): Promise<void> {
    this.release(503);
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : (value ?? '');
      }
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path,
        headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      this.requests.push(request);
      const answer = (this.responders.get(path) ?? answerStatus(404))(request, this.to(path).length);
      if (answer === 'hang') {
        this.hanging.add(res);
        return;
      }
      res.writeHead(answer.status, answer.headers ?? {});
      res.end(answer.body ?? '');
    });
  }
}
