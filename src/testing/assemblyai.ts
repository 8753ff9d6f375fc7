import { randomUUID } from 'node:crypto';
import { WebSocket, WebSocketServer } from 'ws';
import type { TurnMessage } from '../providers/assemblyai/protocol.js';
import { defaultFaultMessage, type Fault, FaultySocket } from './faults.js';
import { type MockServer, MockHttpServer, type RecordedRequest, rejectUpgrade, sendJson } from './server.js';

export interface MockAssemblyAIOptions {
  /** text of every turn (default 'hello from the mock assemblyai') */
  transcript?: string;
  /** seconds of audio after which a turn ends without a ForceEndpoint (default 1) */
  turnSeconds?: number;
}

export interface MockAssemblySession {
  id: string;
  audioSeconds: number;
  /** what AssemblyAI bills: the session's length, at least the audio it carried (real time) */
  sessionSeconds: number;
  terminated: boolean;
}

export type MockAssemblyAI = MockServer & { baseURL: string; sessions: MockAssemblySession[] };

/**
 * AssemblyAI Universal-Streaming v3: WebSocket `/v3/ws?sample_rate=…&encoding=pcm_s16le&format_turns=…`,
 * key in the `Authorization` header (recorded, never checked). Begin on open; for each turn a
 * partial Turn, then `end_of_turn` (and, with format_turns, the formatted Turn); `ForceEndpoint`
 * ends the turn now; `Terminate` → Termination with audio and session durations, then close 1000.
 * Faults per connection: `status` rejects the upgrade, `stall` never completes it, `drop` cuts after
 * N Turn messages, `malformed` breaks the first Turn.
 */
export async function startMockAssemblyAI(opts: MockAssemblyAIOptions = {}): Promise<MockAssemblyAI> {
  const sessions: MockAssemblySession[] = [];
  const o = { transcript: opts.transcript ?? 'hello from the mock assemblyai', turnSeconds: opts.turnSeconds ?? 1 };
  const wss = new WebSocketServer({ noServer: true });
  const server: MockHttpServer = new MockHttpServer(
    {
      errorBody: assemblyErrorBody,
      request: (ctx) => sendJson(ctx.res, 404, assemblyErrorBody(404, `no endpoint at ${ctx.req.method} ${ctx.record.path}`)),
      upgrade(req, socket, head, record) {
        if (record.path !== '/v3/ws') return rejectUpgrade(socket, 404, assemblyErrorBody(404, `no WebSocket endpoint at ${record.path}`));
        const rate = Number(record.query.sample_rate);
        if (!(rate > 0) || (record.query.encoding ?? 'pcm_s16le') !== 'pcm_s16le') {
          return rejectUpgrade(socket, 400, assemblyErrorBody(400, 'sample_rate is required and the mock decodes pcm_s16le only'));
        }
        const fault = server.faults.take();
        if (fault) record.fault = fault.kind;
        if (fault?.kind === 'stall') return;
        if (fault?.kind === 'status') return rejectUpgrade(socket, fault.status, assemblyErrorBody(fault.status, fault.message ?? defaultFaultMessage(fault.status)));
        wss.handleUpgrade(req, socket, head, (ws) => {
          const session: MockAssemblySession = { id: randomUUID(), audioSeconds: 0, sessionSeconds: 0, terminated: false };
          sessions.push(session);
          new StreamingSession(ws, record, fault, rate, record.query.format_turns === 'true', session, o);
        });
      },
      onClose() {
        for (const client of wss.clients) client.terminate();
        wss.close();
      },
    },
    (origin) => origin.replace(/^http/, 'ws'),
  );
  await server.listen();
  Object.defineProperty(server, 'sessions', { value: sessions, enumerable: true });
  return Object.defineProperty(server, 'baseURL', { get: () => server.url, enumerable: true }) as MockHttpServer & { baseURL: string; sessions: MockAssemblySession[] };
}

export function assemblyErrorBody(_status: number, message: string): unknown {
  return { error: message };
}

class StreamingSession {
  readonly #started = Date.now();
  readonly #out: FaultySocket;
  #turnAudio = 0;
  #turnOrder = 0;

  constructor(
    private readonly ws: WebSocket,
    private readonly record: RecordedRequest,
    fault: Fault | undefined,
    private readonly rate: number,
    private readonly formatTurns: boolean,
    private readonly session: MockAssemblySession,
    private readonly o: { transcript: string; turnSeconds: number },
  ) {
    record.messages = [];
    record.audioBytes = 0;
    this.#out = new FaultySocket(ws, fault);
    ws.on('error', () => undefined);
    ws.on('message', (data, binary) => (binary ? this.#audio(data as Buffer) : this.#control(data.toString())));
    this.#out.send({ type: 'Begin', id: session.id, expires_at: Math.floor(this.#started / 1000) + 3600 }, false);
    this.#out.cutIfExhausted();
  }

  #audio(data: Buffer): void {
    this.record.audioBytes! += data.length;
    const seconds = data.length / 2 / this.rate;
    this.session.audioSeconds += seconds;
    this.#turnAudio += seconds;
    if (this.#turnAudio >= this.o.turnSeconds) this.#endTurn();
  }

  #control(text: string): void {
    let msg: { type?: string };
    try {
      msg = JSON.parse(text) as { type?: string };
    } catch {
      this.record.messages!.push(text);
      return void this.ws.close(3000, 'invalid JSON message');
    }
    this.record.messages!.push(msg);
    if (msg.type === 'ForceEndpoint' && this.#turnAudio > 0) this.#endTurn();
    if (msg.type === 'Terminate') {
      if (this.#turnAudio > 0) this.#endTurn();
      const wall = (Date.now() - this.#started) / 1000;
      this.session.sessionSeconds = round3(Math.max(wall, this.session.audioSeconds));
      this.session.terminated = true;
      this.#out.send({ type: 'Termination', audio_duration_seconds: round3(this.session.audioSeconds), session_duration_seconds: this.session.sessionSeconds }, false);
      this.ws.close(1000);
    }
  }

  /** A partial Turn, the unformatted end of turn, then (format_turns) the formatted one. */
  #endTurn(): void {
    const endMs = Math.round(this.session.audioSeconds * 1000);
    const startMs = Math.round(endMs - this.#turnAudio * 1000);
    this.#turnAudio = 0;
    const words = this.o.transcript.split(/\s+/).filter(Boolean);
    const step = (endMs - startMs) / words.length;
    const timed = words.map((text, i) => ({ text, start: Math.round(startMs + i * step), end: Math.round(startMs + (i + 1) * step), confidence: 0.95, word_is_final: true }));
    const turn = (n: number, end: boolean, formatted: boolean): TurnMessage => {
      const part = timed.slice(0, n);
      const plain = part.map((w) => w.text).join(' ');
      return {
        type: 'Turn',
        turn_order: this.#turnOrder,
        turn_is_formatted: formatted,
        end_of_turn: end,
        transcript: formatted ? `${plain.charAt(0).toUpperCase()}${plain.slice(1)}.` : plain,
        end_of_turn_confidence: end ? 0.9 : 0.1,
        words: part,
      };
    };
    this.#out.send(turn(Math.max(1, Math.ceil(words.length / 2)), false, false), true);
    this.#out.send(turn(words.length, true, false), true);
    if (this.formatTurns) this.#out.send(turn(words.length, true, true), true);
    this.#turnOrder += 1;
  }

}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
