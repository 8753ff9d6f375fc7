import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { brokenJson, defaultFaultMessage, DropCounter, type Fault, type FaultKind, type FaultRule, FaultState, STATUS_TEXT } from './faults.js';

/** What reached a mock: one HTTP request or one WebSocket connection (updated while it lives). */
export interface RecordedRequest {
  method: string;
  /** path without the query string, e.g. '/v1/chat/completions' */
  path: string;
  query: Record<string, string | string[]>;
  /** lower-cased header names, as Node gives them (authorization, x-api-key, …) */
  headers: IncomingHttpHeaders;
  /** parsed JSON body, or the fields of a multipart form (files as { filename, type, size }) */
  body?: unknown;
  /** bytes of audio received (uploaded file, raw body, or binary WebSocket frames) */
  audioBytes?: number;
  /** parsed JSON messages the client sent over a WebSocket */
  messages?: unknown[];
  /** the fault applied to this request or connection, if any */
  fault?: FaultKind;
}

export interface MockServer {
  readonly url: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  fail(rule: Fault | FaultRule): void;
  heal(): void;
  reset(): void;
  close(): Promise<void>;
}

export interface HttpContext {
  req: IncomingMessage;
  res: ServerResponse;
  record: RecordedRequest;
  /** the fault taken for this request (never stall/status/refuse: the base answers those) */
  fault: Fault | undefined;
  raw: Buffer;
  form?: FormData;
}

export interface MockHandlers {
  /** provider-shaped JSON error body for a `status` fault or a bad request */
  errorBody(status: number, message: string): unknown;
  request(ctx: HttpContext): Promise<void> | void;
  /** WebSocket upgrades; the provider decides which faults apply to a connection */
  upgrade?(req: IncomingMessage, socket: Duplex, head: Buffer, record: RecordedRequest): void;
  onClose?(): void;
}

const HOST = '127.0.0.1';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One loopback HTTP server with request recording, fault state and socket tracking. */
export class MockHttpServer implements MockServer {
  readonly requests: RecordedRequest[] = [];
  readonly faults = new FaultState();
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #port = 0;
  #closed = false;

  constructor(
    private readonly handlers: MockHandlers,
    private readonly urlSuffix: (origin: string) => string = (origin) => origin,
  ) {
    this.#server = createServer((req, res) => void this.#onRequest(req, res));
    this.#server.on('connection', (socket: Socket) => {
      if (this.faults.take((fault) => fault.kind === 'refuse')) return socket.resetAndDestroy();
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
    });
    this.#server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const record = recordOf(req);
      this.requests.push(record);
      if (handlers.upgrade) handlers.upgrade(req, socket, head, record);
      else rejectUpgrade(socket, 404, handlers.errorBody(404, `no WebSocket endpoint at ${record.path}`));
    });
    // a failed re-listen must not crash the test process; the next request simply fails
    this.#server.on('error', () => undefined);
  }

  async listen(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, HOST, () => {
        this.#server.off('error', reject);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  get port(): number {
    return this.#port;
  }

  get origin(): string {
    return `http://${HOST}:${this.#port}`;
  }

  get url(): string {
    return this.urlSuffix(this.origin);
  }

  fail(rule: Fault | FaultRule): void {
    const fault = this.faults.set(rule);
    if (fault.kind !== 'refuse') return this.#relisten();
    // an outage: pooled keep-alive sockets die with it, so the next request needs a new connection
    this.#destroySockets();
    if (this.faults.remaining !== Infinity) return this.#relisten(); // counted: reset connections
    if (this.#server.listening) this.#server.close();
  }

  heal(): void {
    this.faults.clear();
    this.#relisten();
  }

  /** Listen again on the same port after a `refuse` (bound synchronously; 'listening' follows). */
  #relisten(): void {
    if (!this.#server.listening && !this.#closed) this.#server.listen(this.#port, HOST);
  }

  reset(): void {
    this.heal();
    this.requests.length = 0;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.faults.clear();
    this.handlers.onClose?.();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#destroySockets();
    await closed;
  }

  #destroySockets(): void {
    for (const socket of this.#sockets) socket.destroy();
    this.#sockets.clear();
  }

  async #onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const record = recordOf(req);
    this.requests.push(record);
    try {
      const raw = await readBody(req);
      const parsed = await parseBody(req.headers['content-type'], raw);
      record.body = parsed.body;
      if (parsed.audioBytes !== undefined) record.audioBytes = parsed.audioBytes;
      const fault = this.faults.take();
      if (fault) record.fault = fault.kind;
      if (fault?.kind === 'stall') return; // the socket stays open until the client gives up or close()
      if (fault?.kind === 'status') {
        const headers: Record<string, string> = fault.retryAfterS === undefined ? {} : { 'retry-after': String(fault.retryAfterS) };
        sendJson(res, fault.status, this.handlers.errorBody(fault.status, fault.message ?? defaultFaultMessage(fault.status)), headers);
        return;
      }
      await this.handlers.request({ req, res, record, fault, raw, form: parsed.form });
    } catch (error) {
      if (!res.headersSent) sendJson(res, 400, this.handlers.errorBody(400, `mock server could not handle the request: ${String(error)}`));
      else res.destroy();
    }
  }
}

function recordOf(req: IncomingMessage): RecordedRequest {
  const url = new URL(req.url ?? '/', `http://${HOST}`);
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  return { method: req.method ?? 'GET', path: url.pathname, query, headers: { ...req.headers } };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of req) parts.push(part as Buffer);
  return Buffer.concat(parts);
}

interface ParsedBody {
  body?: unknown;
  audioBytes?: number;
  form?: FormData;
}

async function parseBody(contentType: string | undefined, raw: Buffer): Promise<ParsedBody> {
  if (raw.length === 0) return {};
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    // the WHATWG Request parses multipart for us
    const form = await new Request(`http://${HOST}/`, { method: 'POST', headers: { 'content-type': contentType! }, body: new Uint8Array(raw) }).formData();
    const fields: Record<string, unknown> = {};
    let audioBytes = 0;
    form.forEach((value, name) => {
      if (typeof value === 'string') fields[name] = value;
      else {
        fields[name] = { filename: value.name, type: value.type, size: value.size };
        audioBytes += value.size;
      }
    });
    return { body: fields, audioBytes, form };
  }
  if (type.startsWith('audio/') || type === 'application/octet-stream') return { audioBytes: raw.length };
  const text = raw.toString('utf8');
  try {
    return { body: JSON.parse(text) };
  } catch {
    return { body: text };
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Reply to a WebSocket upgrade request with a plain HTTP error (and provider headers) and close the socket. */
export function rejectUpgrade(socket: Duplex, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nContent-Type: application/json\r\n${extra}` +
      `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}

export interface OutputChunk {
  data: string | Buffer;
  /** false for framing that carries no output (e.g. OpenAI's role-only first frame) */
  counted: boolean;
}

/**
 * Write a response body chunk by chunk. A `drop` fault delivers N counted chunks, waits until
 * the last one is flushed to the socket, then destroys the connection (so the client really
 * receives them); `afterChunks: 0` cuts before anything is sent.
 */
export async function writeChunks(res: ServerResponse, chunks: OutputChunk[], fault: Fault | undefined, delayMs = 0): Promise<void> {
  const drop = DropCounter.for(fault);
  if (drop.exhausted) {
    res.destroy();
    return;
  }
  for (const [index, chunk] of chunks.entries()) {
    if (res.destroyed) return;
    if (index > 0 && delayMs > 0) await sleep(delayMs);
    if (res.destroyed) return;
    if (chunk.counted && drop.count()) {
      res.write(chunk.data, () => setImmediate(() => res.destroy()));
      return;
    }
    res.write(chunk.data);
  }
  res.end();
}

/** A complete (non-streamed) body; a `drop` fault counts its two halves as the chunks. */
export async function sendWhole(ctx: HttpContext, body: string | Buffer, contentType: string): Promise<void> {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  ctx.res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length });
  if (ctx.fault?.kind !== 'drop') {
    ctx.res.end(bytes);
    return;
  }
  const half = Math.ceil(bytes.length / 2);
  await writeChunks(ctx.res, [bytes.subarray(0, half), bytes.subarray(half)].map((data) => ({ data, counted: true })), ctx.fault);
}

/** A single JSON body; `malformed` cuts the JSON short (see sendWhole for `drop`). */
export async function sendWholeJson(ctx: HttpContext, value: unknown): Promise<void> {
  const text = ctx.fault?.kind === 'malformed' ? brokenJson(value) : JSON.stringify(value);
  await sendWhole(ctx, text, 'application/json');
}
