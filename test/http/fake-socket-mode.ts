/**
 * A local stand-in for Slack's side of Socket Mode, since Slack is not reachable from the tests: the Web API
 * method `apps.connections.open` (which hands out a WebSocket URL for an app-level token) and the WebSocket
 * behind it (RFC 6455, just enough of it: text, ping/pong and close frames, no extensions).
 * https://docs.slack.dev/apis/events-api/using-socket-mode
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

export interface FakeSocketMode {
  /** What to give the app as `slackApiUrl`. */
  readonly apiUrl: string;
  /** The app-level tokens `apps.connections.open` was called with. */
  readonly tokens: string[];
  /** Resolves when an app has connected and been sent `hello`. */
  connected(): Promise<void>;
  /** Sends an envelope to the connected app and resolves with its acknowledgement. */
  send(envelope: { envelope_id: string } & Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Resolves when the app has closed its connection. */
  closed(): Promise<void>;
  stop(): Promise<void>;
}

export async function startFakeSocketMode(options: {
  acceptToken: (token: string) => boolean;
}): Promise<FakeSocketMode> {
  const tokens: string[] = [];
  const waitingForAck = new Map<string, (ack: Record<string, unknown>) => void>();
  let socket: Socket | undefined;
  let onConnected: () => void = () => {};
  let onClosed: () => void = () => {};
  const connected = new Promise<void>((resolve) => {
    onConnected = resolve;
  });
  const closed = new Promise<void>((resolve) => {
    onClosed = resolve;
  });

  const server: Server = createServer((request, response) => {
    request.resume();
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    tokens.push(token);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    if (request.url !== '/api/apps.connections.open' || !options.acceptToken(token)) {
      response.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
      return;
    }
    const { port } = server.address() as AddressInfo;
    response.end(JSON.stringify({ ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=test` }));
  });

  server.on('upgrade', (request, upgraded: Socket) => {
    const key = String(request.headers['sec-websocket-key'] ?? '');
    const accept = createHash('sha1')
      .update(key + WEBSOCKET_GUID)
      .digest('base64');
    upgraded.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket = upgraded;
    let pending = Buffer.alloc(0);
    upgraded.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (let frame = readFrame(pending); frame !== undefined; frame = readFrame(pending)) {
        pending = pending.subarray(frame.length);
        if (frame.opcode === 0x1) {
          const message = JSON.parse(frame.payload.toString('utf8')) as Record<string, unknown>;
          const id = typeof message.envelope_id === 'string' ? message.envelope_id : '';
          waitingForAck.get(id)?.(message);
          waitingForAck.delete(id);
        } else if (frame.opcode === 0x8) {
          upgraded.end(encodeFrame(0x8, frame.payload.subarray(0, 2)));
        } else if (frame.opcode === 0x9) {
          upgraded.write(encodeFrame(0xa, frame.payload));
        }
      }
    });
    upgraded.on('close', () => onClosed());
    upgraded.on('error', () => {});
    upgraded.write(encodeFrame(0x1, Buffer.from(JSON.stringify({ type: 'hello', num_connections: 1 }))));
    onConnected();
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    tokens,
    connected: () => connected,
    closed: () => closed,
    send(envelope) {
      return new Promise((resolve, reject) => {
        if (socket === undefined) {
          reject(new Error('no app is connected'));
          return;
        }
        waitingForAck.set(envelope.envelope_id, resolve);
        socket.write(encodeFrame(0x1, Buffer.from(JSON.stringify(envelope))));
      });
    },
    async stop() {
      socket?.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One complete frame at the start of `buffer`, unmasked, or `undefined` if more bytes are needed. */
function readFrame(buffer: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (buffer.length < 2) return undefined;
  const first = buffer[0] ?? 0;
  const second = buffer[1] ?? 0;
  let offset = 2;
  let size = second & 0x7f;
  if (size === 126) {
    if (buffer.length < 4) return undefined;
    size = buffer.readUInt16BE(2);
    offset = 4;
  } else if (size === 127) {
    if (buffer.length < 10) return undefined;
    size = Number(buffer.readBigUInt64BE(2));
    offset = 10;
  }
  const masked = (second & 0x80) !== 0;
  const maskAt = offset;
  if (masked) offset += 4;
  if (buffer.length < offset + size) return undefined;
  const payload = Buffer.from(buffer.subarray(offset, offset + size));
  if (masked)
    for (let index = 0; index < size; index++)
      payload[index] = (payload[index] ?? 0) ^ (buffer[maskAt + (index % 4)] ?? 0);
  return { opcode: first & 0x0f, payload, length: offset + size };
}

/** A final, unmasked frame (servers do not mask). */
function encodeFrame(opcode: number, payload: Buffer): Buffer {
  let header: Buffer;
  if (payload.length < 126) {
    header = Buffer.from([0x80 | opcode, payload.length]);
  } else if (payload.length < 65_536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(payload.length, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(payload.length), 2);
  }
  return Buffer.concat([header, payload]);
}
