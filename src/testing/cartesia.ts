import { WebSocketServer } from 'ws';
import { pcmToWav } from './audio.js';
import { encodeTone, TtsConnection } from './cartesia-ws.js';
import { brokenJson } from './faults.js';
import { type HttpContext, type MockServer, MockHttpServer, rejectUpgrade, sendJson, sendWhole, writeChunks } from './server.js';

export interface MockCartesiaOptions {
  /** audio produced per character of transcript, default 10 ms */
  msPerChar?: number;
  /** audio per `chunk` message, default 100 ms */
  chunkMs?: number;
  /** pause between chunk messages, default 0 */
  chunkDelayMs?: number;
}

export type MockCartesia = MockServer & { baseUrl: string };

/**
 * Cartesia's TTS: WebSocket /tts/websocket (what cartesia.TTS.stream() uses) and POST /tts/bytes.
 * A handshake `stall` hangs the upgrade; every other fault applies to the next generation context
 * (`status` answers it with an error frame {type:'error', error, status_code, done:true, context_id}).
 */
export async function startMockCartesia(opts: MockCartesiaOptions = {}): Promise<MockCartesia> {
  const tts = { msPerChar: opts.msPerChar ?? 10, chunkMs: opts.chunkMs ?? 100, chunkDelayMs: opts.chunkDelayMs ?? 0 };
  const wss = new WebSocketServer({ noServer: true });
  const server: MockHttpServer = new MockHttpServer({
    errorBody: cartesiaErrorBody,
    request: (ctx) => bytes(ctx, tts),
    upgrade(req, socket, head, record) {
      if (record.path !== '/tts/websocket') return rejectUpgrade(socket, 404, cartesiaErrorBody(404, `no WebSocket endpoint at ${record.path}`));
      const stall = server.faults.take((fault) => fault.kind === 'stall');
      if (stall) {
        record.fault = stall.kind;
        return; // the client's handshake times out
      }
      wss.handleUpgrade(req, socket, head, (ws) => new TtsConnection(ws, record, server.faults, tts));
    },
    onClose() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  });
  await server.listen();
  return Object.defineProperty(server, 'baseUrl', { get: () => server.url, enumerable: true }) as MockHttpServer & { baseUrl: string };
}

export function cartesiaErrorBody(status: number, message: string): unknown {
  return { error: message, status_code: status };
}

interface BytesBody {
  transcript?: unknown;
  model_id?: unknown;
  output_format?: { container?: string; encoding?: string; sample_rate?: number };
}

/** POST /tts/bytes: raw or wav audio sized to the transcript. */
async function bytes(ctx: HttpContext, tts: { msPerChar: number; chunkMs: number; chunkDelayMs: number }): Promise<void> {
  if (ctx.req.method !== 'POST' || ctx.record.path !== '/tts/bytes') {
    sendJson(ctx.res, 404, cartesiaErrorBody(404, `no endpoint at ${ctx.req.method} ${ctx.record.path}`));
    return;
  }
  const body = (ctx.record.body ?? {}) as BytesBody;
  const format = body.output_format ?? {};
  const sampleRate = Number(format.sample_rate);
  const container = format.container ?? 'raw';
  const encoding = format.encoding ?? 'pcm_s16le';
  if (typeof body.transcript !== 'string' || typeof body.model_id !== 'string') {
    sendJson(ctx.res, 400, cartesiaErrorBody(400, "'model_id' and 'transcript' are required"));
    return;
  }
  const seconds = (body.transcript.trim().length * tts.msPerChar) / 1000;
  const raw = sampleRate > 0 ? encodeTone(seconds, sampleRate, encoding) : undefined;
  if (!raw || (container !== 'raw' && container !== 'wav') || (container === 'wav' && encoding !== 'pcm_s16le')) {
    sendJson(ctx.res, 400, cartesiaErrorBody(400, `the mock produces raw pcm_s16le/pcm_f32le or wav pcm_s16le, got ${JSON.stringify(format)}`));
    return;
  }
  if (ctx.fault?.kind === 'malformed') return sendWhole(ctx, brokenJson(cartesiaErrorBody(500, 'upstream failed')), 'application/json');
  const audio = container === 'wav' ? pcmToWav(raw, sampleRate) : raw;
  ctx.res.writeHead(200, { 'content-type': container === 'wav' ? 'audio/wav' : 'application/octet-stream', 'transfer-encoding': 'chunked' });
  const step = Math.max(2, Math.round((sampleRate * tts.chunkMs) / 1000) * (encoding === 'pcm_f32le' ? 4 : 2));
  const chunks = [];
  for (let at = 0; at < audio.length; at += step) chunks.push({ data: audio.subarray(at, at + step), counted: true });
  await writeChunks(ctx.res, chunks, ctx.fault, tts.chunkDelayMs);
}
