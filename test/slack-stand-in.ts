/**
 * A local stand-in for Slack's side of outbound calls (response URLs and the Web API): an HTTP server that
 * records every request and answers as told, so tests can see exactly what the app sent, and prove what it
 * did not send.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The body parsed as JSON, or `undefined`. */
  json: unknown;
}

export interface StandInAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
}

/** How to answer a request: a reply, or `'hang'` to never answer (the socket is closed by `close()`). */
export type Responder = (request: RecordedRequest) => StandInAnswer | 'hang';

export interface SlackStandIn {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  readonly requests: RecordedRequest[];
  /** Answers requests to `path` with `responder` from now on; other paths get `{"ok":true}`. */
  answer(path: string, responder: Responder): void;
  /** Resolves once `count` requests have been recorded in all, with them. */
  received(count: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

const OK: StandInAnswer = { status: 200, headers: { 'Content-Type': 'application/json' }, body: '{"ok":true}' };

export async function startSlackStandIn(): Promise<SlackStandIn> {
  const requests: RecordedRequest[] = [];
  const responders = new Map<string, Responder>();
  const waiters: Array<{ count: number; resolve: (requests: RecordedRequest[]) => void }> = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: request.method ?? '',
        path: request.url ?? '',
        headers: request.headers,
        body,
        json: parseJson(body),
      };
      requests.push(recorded);
      for (const waiter of waiters.filter((candidate) => candidate.count <= requests.length)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve([...requests]);
      }
      const answer = (responders.get(recorded.path.split('?')[0] ?? '') ?? (() => OK))(recorded);
      if (answer === 'hang') return;
      response.writeHead(answer.status ?? 200, answer.headers ?? {});
      response.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    answer(path, responder) {
      responders.set(path, responder);
    },
    received(count) {
      if (requests.length >= count) return Promise.resolve([...requests]);
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
