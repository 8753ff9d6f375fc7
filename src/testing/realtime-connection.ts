import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { pcmRms, sinePcm } from './audio.js';
import { brokenJson, DropCounter, type Fault } from './faults.js';
import type { RecordedRequest } from './server.js';

/** `usage` of a response.done, in the Realtime API's shape. */
export interface RealtimeUsage {
  total_tokens: number;
  input_tokens: number;
  output_tokens: number;
  input_token_details: { text_tokens: number; audio_tokens: number; cached_tokens: number; cached_tokens_details: { text_tokens: number; audio_tokens: number; image_tokens: number } };
  output_token_details: { text_tokens: number; audio_tokens: number };
}

/**
 * `usage` of conversation.item.input_audio_transcription.completed: tokens for the gpt-4o
 * transcription models, the audio's duration for whisper-1 (the API's two usage shapes).
 */
export type TranscriptionUsage = (
  | { type: 'tokens'; total_tokens: number; input_tokens: number; input_token_details: { text_tokens: number; audio_tokens: number }; output_tokens: number }
  | { type: 'duration'; seconds: number }
) & {
  /** the transcription model that was configured, e.g. gpt-4o-mini-transcribe */
  model: string;
};

export interface RealtimeScript {
  reply(turn: number): string;
  transcript(turn: number): string;
  msPerWord: number;
  wordIntervalMs: number;
  onUsage(u: RealtimeUsage): void;
  onTranscriptionUsage(u: TranscriptionUsage): void;
  onCancel(responseId: string): void;
}

const RATE = 24000;
const BYTES_PER_MS = (RATE * 2) / 1000;
/** The mock's token figures: 10 input audio tokens a second, 20 output, 4 characters a text token. */
export const MOCK_TOKENS = { audioInPerSecond: 10, audioOutPerSecond: 20, charsPerTextToken: 4 };
const SPEECH_RMS = 0.01;

const textTokens = (s: string) => Math.ceil(s.length / MOCK_TOKENS.charsPerTextToken);
const id = (prefix: string) => `${prefix}_${randomUUID().replace(/-/g, '').slice(0, 20)}`;

interface Item {
  id: string;
  role: string;
  text: string;
  audioTokens: number;
}

/** One Realtime API connection: session state, the conversation, server VAD and responses. */
export class RealtimeConnection {
  readonly #session: Record<string, unknown>;
  readonly #items: Item[] = [];
  readonly #drop: DropCounter;
  #malformedPending: boolean;
  #buffer: Buffer[] = [];
  #bufferBytes = 0;
  #speaking = false;
  #silentMs = 0;
  #turn = 0;
  #responses = 0;
  #active: { id: string; cancelled: boolean } | null = null;
  #prevInput = { text: 0, audio: 0 };
  #cut = false;
  /** `stall` with afterChunks: audio deltas left before the connection goes silent */
  #stallIn: number | null;

  constructor(
    private readonly ws: WebSocket,
    private readonly record: RecordedRequest,
    fault: Fault | undefined,
    private readonly script: RealtimeScript,
  ) {
    this.#drop = DropCounter.for(fault);
    this.#malformedPending = fault?.kind === 'malformed';
    this.#stallIn = fault?.kind === 'stall' ? (fault.afterChunks ?? null) : null;
    const model = String(record.query.model ?? 'gpt-realtime');
    this.#session = {
      type: 'realtime',
      object: 'realtime.session',
      id: id('sess'),
      model,
      output_modalities: ['audio'],
      instructions: '',
      audio: {
        input: { format: { type: 'audio/pcm', rate: RATE }, transcription: null, noise_reduction: null, turn_detection: { type: 'server_vad', threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: 200, create_response: true, interrupt_response: true } },
        output: { format: { type: 'audio/pcm', rate: RATE }, voice: 'marin', speed: 1 },
      },
      tools: [],
      tool_choice: 'auto',
      max_output_tokens: 'inf',
    };
    record.messages = [];
    record.audioBytes = 0;
    ws.on('message', (data) => this.#onMessage(String(data)));
    ws.on('error', () => undefined);
    this.#send({ type: 'session.created', session: this.#session });
    if (this.#drop.exhausted) this.#cutNow();
  }

  serverError(code: string, message: string): void {
    this.#send({ type: 'error', error: { type: 'invalid_request_error', code, message, param: null, event_id: null } });
  }

  #onMessage(text: string): void {
    let ev: Record<string, unknown>;
    try {
      ev = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return this.#error('invalid_json', 'The server could not parse the event as JSON.');
    }
    const type = String(ev.type);
    if (type === 'input_audio_buffer.append') {
      const audio = Buffer.from(String(ev.audio ?? ''), 'base64');
      this.record.messages!.push({ type, bytes: audio.length });
      return this.#onAudio(audio);
    }
    this.record.messages!.push(ev);
    const eventId = (ev.event_id as string | undefined) ?? null;
    switch (type) {
      case 'session.update':
        mergeInto(this.#session, (ev.session ?? {}) as Record<string, unknown>);
        return this.#send({ type: 'session.updated', session: this.#session });
      case 'input_audio_buffer.commit':
        if (this.#bufferBytes < 100 * BYTES_PER_MS) return this.#error('input_audio_buffer_commit_empty', 'buffer too small: at least 100ms of audio is required', eventId);
        return this.#commit(false);
      case 'input_audio_buffer.clear':
        this.#clearBuffer();
        return this.#send({ type: 'input_audio_buffer.cleared' });
      case 'conversation.item.create':
        return this.#createItem(ev.item as Record<string, unknown>, ev.previous_item_id as string | undefined);
      case 'conversation.item.delete':
        return this.#deleteItem(String(ev.item_id), eventId);
      case 'conversation.item.truncate':
        return this.#send({ type: 'conversation.item.truncated', item_id: ev.item_id, content_index: ev.content_index ?? 0, audio_end_ms: ev.audio_end_ms });
      case 'response.create':
        return void this.#respond(ev);
      case 'response.cancel':
        if (!this.#active) return this.#error('response_cancel_not_active', 'Cancellation failed: no active response found', eventId);
        this.#active.cancelled = true;
        return;
      default:
        return this.#error('invalid_value', `Invalid value: '${type}'. Supported values are the Realtime API client events.`, eventId);
    }
  }

  /** Server VAD on the audio's energy, in audio time (not wall time), so tests are deterministic. */
  #onAudio(audio: Buffer): void {
    this.record.audioBytes! += audio.length;
    this.#buffer.push(audio);
    this.#bufferBytes += audio.length;
    const vad = (this.#session.audio as { input: { turn_detection: { silence_duration_ms?: number; create_response?: boolean } | null } }).input.turn_detection;
    if (!vad) return;
    const ms = audio.length / BYTES_PER_MS;
    if (pcmRms(audio) > SPEECH_RMS) {
      this.#silentMs = 0;
      if (!this.#speaking) {
        this.#speaking = true;
        if (this.#active) this.#active.cancelled = true; // interrupt_response: the caller talks over the model
        this.#send({ type: 'input_audio_buffer.speech_started', audio_start_ms: 0, item_id: id('item') });
      }
      return;
    }
    if (!this.#speaking) return;
    this.#silentMs += ms;
    if (this.#silentMs < (vad.silence_duration_ms ?? 200)) return;
    this.#speaking = false;
    this.#send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: Math.round(this.#bufferBytes / BYTES_PER_MS), item_id: id('item') });
    this.#commit(vad.create_response !== false);
  }

  #commit(respond: boolean): void {
    const audioMs = this.#bufferBytes / BYTES_PER_MS;
    this.#clearBuffer();
    const audioTokens = Math.ceil((audioMs / 1000) * MOCK_TOKENS.audioInPerSecond);
    const transcript = this.script.transcript(this.#turn++);
    const item: Item = { id: id('item'), role: 'user', text: '', audioTokens };
    const previous = this.#items.at(-1)?.id ?? null;
    this.#items.push(item);
    this.#send({ type: 'input_audio_buffer.committed', previous_item_id: previous, item_id: item.id });
    const resource = { id: item.id, object: 'realtime.item', type: 'message', status: 'completed', role: 'user', content: [{ type: 'input_audio', transcript: null }] };
    this.#send({ type: 'conversation.item.added', previous_item_id: previous, item: resource });
    this.#send({ type: 'conversation.item.done', previous_item_id: previous, item: resource });
    const transcription = (this.#session.audio as { input: { transcription: { model?: string } | null } }).input.transcription;
    if (transcription) {
      const out = textTokens(transcript);
      const model = transcription.model ?? 'whisper-1';
      const usage: TranscriptionUsage =
        model === 'whisper-1'
          ? { type: 'duration', seconds: audioMs / 1000, model }
          : { type: 'tokens', total_tokens: audioTokens + out, input_tokens: audioTokens, input_token_details: { text_tokens: 0, audio_tokens: audioTokens }, output_tokens: out, model };
      this.script.onTranscriptionUsage(usage);
      const { model: _model, ...wire } = usage;
      this.#send({ type: 'conversation.item.input_audio_transcription.completed', item_id: item.id, content_index: 0, transcript, usage: wire });
    }
    if (respond) void this.#respond({});
  }

  #clearBuffer(): void {
    this.#buffer = [];
    this.#bufferBytes = 0;
    this.#silentMs = 0;
  }

  #createItem(raw: Record<string, unknown>, previousId: string | undefined): void {
    const content = (raw.content as { text?: string; transcript?: string }[] | undefined) ?? [];
    const text = content.map((c) => c.text ?? c.transcript ?? '').join('');
    const item: Item = { id: String(raw.id ?? id('item')), role: String(raw.role ?? raw.type), text: text + String(raw.arguments ?? raw.output ?? ''), audioTokens: 0 };
    const at = previousId ? this.#items.findIndex((i) => i.id === previousId) + 1 : this.#items.length;
    this.#items.splice(at > 0 ? at : previousId === undefined ? this.#items.length : 0, 0, item);
    const resource = { ...raw, id: item.id, object: 'realtime.item', status: 'completed' };
    this.#send({ type: 'conversation.item.added', previous_item_id: previousId ?? null, item: resource });
    this.#send({ type: 'conversation.item.done', previous_item_id: previousId ?? null, item: resource });
  }

  #deleteItem(itemId: string, eventId: string | null): void {
    const at = this.#items.findIndex((i) => i.id === itemId);
    if (at < 0) return this.#error('item_delete_invalid_item_id', `Item with item_id not found: ${itemId}`, eventId);
    this.#items.splice(at, 1);
    this.#send({ type: 'conversation.item.deleted', item_id: itemId });
  }

  async #respond(ev: Record<string, unknown>): Promise<void> {
    if (this.#active) return this.#error('conversation_already_has_active_response', 'Conversation already has an active response in progress', (ev.event_id as string) ?? null);
    const request = (ev.response ?? {}) as { instructions?: string; metadata?: Record<string, string> };
    const response = { id: id('resp'), object: 'realtime.response', status: 'in_progress', status_details: null, output: [] as unknown[], usage: null, metadata: request.metadata ?? null };
    const active = (this.#active = { id: response.id, cancelled: false });
    const instructions = request.instructions ?? String(this.#session.instructions ?? '');
    const input = {
      text: textTokens(instructions) + this.#items.reduce((n, i) => n + (i.role === 'assistant' ? 0 : textTokens(i.text)), 0),
      audio: this.#items.reduce((n, i) => n + i.audioTokens, 0),
    };
    const reply = this.script.reply(this.#responses++);
    const item: Item = { id: id('item'), role: 'assistant', text: '', audioTokens: 0 };
    const previous = this.#items.at(-1)?.id ?? null;
    this.#send({ type: 'response.created', response });
    const resource = { id: item.id, object: 'realtime.item', type: 'message', status: 'in_progress', role: 'assistant', content: [] as unknown[] };
    this.#send({ type: 'response.output_item.added', response_id: response.id, output_index: 0, item: resource });
    this.#items.push(item);
    this.#send({ type: 'conversation.item.added', previous_item_id: previous, item: resource });
    const part = { response_id: response.id, item_id: item.id, output_index: 0, content_index: 0 };
    this.#send({ type: 'response.content_part.added', ...part, part: { type: 'audio', transcript: '' } });
    let audioMs = 0;
    let offset = 0;
    const words = reply.split(/(?<=\s)/).filter(Boolean);
    for (const [i, word] of words.entries()) {
      if (i > 0 && this.script.wordIntervalMs > 0) await new Promise((r) => setTimeout(r, this.script.wordIntervalMs));
      if (active.cancelled || this.#cut) break;
      item.text += word;
      this.#send({ type: 'response.output_audio_transcript.delta', ...part, delta: word });
      const pcm = sinePcm(this.script.msPerWord / 1000, RATE, { offset });
      offset += pcm.length;
      audioMs += this.script.msPerWord;
      this.#send({ type: 'response.output_audio.delta', ...part, delta: Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength).toString('base64') });
      if (this.#drop.count()) return this.#cutNow();
      if (this.#stallIn !== null && --this.#stallIn <= 0) return void (this.#cut = true); // silent, still open
    }
    if (this.#cut) return;
    const status = active.cancelled ? 'cancelled' : 'completed';
    if (active.cancelled) this.script.onCancel(response.id);
    item.audioTokens = Math.ceil((audioMs / 1000) * MOCK_TOKENS.audioOutPerSecond);
    const outText = textTokens(item.text);
    const cachedText = Math.min(this.#prevInput.text, input.text);
    const cachedAudio = Math.min(this.#prevInput.audio, input.audio);
    this.#prevInput = input;
    const usage: RealtimeUsage = {
      total_tokens: input.text + input.audio + outText + item.audioTokens,
      input_tokens: input.text + input.audio,
      output_tokens: outText + item.audioTokens,
      input_token_details: { text_tokens: input.text, audio_tokens: input.audio, cached_tokens: cachedText + cachedAudio, cached_tokens_details: { text_tokens: cachedText, audio_tokens: cachedAudio, image_tokens: 0 } },
      output_token_details: { text_tokens: outText, audio_tokens: item.audioTokens },
    };
    const done = { ...resource, status: status === 'completed' ? 'completed' : 'incomplete', content: [{ type: 'output_audio', transcript: item.text }] };
    this.#send({ type: 'response.output_audio.done', ...part });
    this.#send({ type: 'response.output_audio_transcript.done', ...part, transcript: item.text });
    this.#send({ type: 'response.content_part.done', ...part, part: { type: 'audio', transcript: item.text } });
    this.#send({ type: 'response.output_item.done', response_id: response.id, output_index: 0, item: done });
    this.#send({ type: 'conversation.item.done', previous_item_id: previous, item: done });
    this.#active = null;
    this.script.onUsage(usage);
    const statusDetails = status === 'cancelled' ? { type: 'cancelled', reason: 'client_cancelled' } : null;
    this.#send({ type: 'response.done', response: { ...response, status, status_details: statusDetails, output: [done], usage } });
    this.#send({
      type: 'rate_limits.updated',
      rate_limits: [
        { name: 'requests', limit: 5000, remaining: 5000 - this.#responses, reset_seconds: 0.012 },
        { name: 'tokens', limit: 40000, remaining: Math.max(0, 40000 - usage.total_tokens), reset_seconds: 0.3 },
      ],
    });
  }

  #error(code: string, message: string, eventId: string | null = null): void {
    this.#send({ type: 'error', error: { type: 'invalid_request_error', code, message, param: null, event_id: eventId } });
  }

  #send(ev: Record<string, unknown>): void {
    if (this.#cut || this.ws.readyState !== WebSocket.OPEN) return;
    const event = { event_id: id('event'), ...ev };
    if (this.#malformedPending && ev.type === 'response.output_audio.delta') {
      this.#malformedPending = false;
      return this.ws.send(brokenJson(event));
    }
    this.ws.send(JSON.stringify(event));
  }

  /** `drop`: the frames already written reach the client, then the connection dies without a close frame. */
  #cutNow(): void {
    this.#cut = true;
    setImmediate(() => this.ws.terminate());
  }
}

function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    const cur = target[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)) mergeInto(cur as Record<string, unknown>, v as Record<string, unknown>);
    else target[k] = v;
  }
}
