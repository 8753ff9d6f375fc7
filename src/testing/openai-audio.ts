import { pcmToWav, sinePcm, wavInfo } from './audio.js';
import { brokenJson } from './faults.js';
import type { MockOpenAIOptions } from './openai.js';
import { type HttpContext, sendJson, sendWhole, sendWholeJson, writeChunks } from './server.js';

/** OpenAI's error shape: { error: { message, type, param, code } }. */
export function openAIErrorBody(status: number, message: string): unknown {
  const [type, code] =
    status === 401
      ? ['invalid_request_error', 'invalid_api_key']
      : status === 404
        ? ['invalid_request_error', 'model_not_found']
        : status === 429
          ? ['requests', 'rate_limit_exceeded']
          : status >= 500
            ? ['server_error', null]
            : ['invalid_request_error', null];
  return { error: { message, type, param: null, code } };
}

const DEFAULT_TRANSCRIPT = 'hello from the mock transcriber';

/** POST /audio/transcriptions (whisper-style multipart upload), as OpenAI and whisper.cpp servers answer it. */
export async function transcription(ctx: HttpContext, opts: MockOpenAIOptions): Promise<void> {
  const file = ctx.form?.get('file');
  if (!file || typeof file === 'string') {
    sendJson(ctx.res, 400, openAIErrorBody(400, "multipart field 'file' (the audio) is required"));
    return;
  }
  const audio = new Uint8Array(await file.arrayBuffer());
  // unknown containers (mp3, ogg …) get a duration of 0: the mock decodes WAV only
  const duration = round3(wavInfo(audio)?.durationSeconds ?? 0);
  const text = opts.transcript ?? DEFAULT_TRANSCRIPT;
  const format = String(ctx.form?.get('response_format') ?? 'json');
  const language = String(ctx.form?.get('language') ?? 'en');
  const usage = { type: 'duration', seconds: Math.ceil(duration) };

  switch (format) {
    case 'json':
      return sendWholeJson(ctx, { text, usage });
    case 'verbose_json': {
      const segment = { id: 0, seek: 0, start: 0, end: duration, text: ` ${text}`, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1, no_speech_prob: 0.01 };
      return sendWholeJson(ctx, { task: ctx.record.path.endsWith('translations') ? 'translate' : 'transcribe', language, duration, text, segments: [segment], usage });
    }
    case 'text':
      return sendWhole(ctx, `${text}\n`, 'text/plain; charset=utf-8');
    case 'srt':
      return sendWhole(ctx, `1\n00:00:00,000 --> ${timestamp(duration, ',')}\n${text}\n\n`, 'text/plain; charset=utf-8');
    case 'vtt':
      return sendWhole(ctx, `WEBVTT\n\n00:00:00.000 --> ${timestamp(duration, '.')}\n${text}\n\n`, 'text/plain; charset=utf-8');
    default:
      sendJson(ctx.res, 400, openAIErrorBody(400, `response_format '${format}' is not one of json, text, srt, verbose_json, vtt`));
  }
}

interface SpeechBody {
  input?: unknown;
  model?: unknown;
  voice?: unknown;
  response_format?: string;
  speed?: number;
}

/** POST /audio/speech: a tone as long as the text would take to say (pcm or wav). */
export async function speech(ctx: HttpContext, opts: MockOpenAIOptions): Promise<void> {
  const body = (ctx.record.body ?? {}) as SpeechBody;
  if (typeof body !== 'object' || typeof body.input !== 'string' || typeof body.model !== 'string') {
    sendJson(ctx.res, 400, openAIErrorBody(400, "you must provide 'model' and 'input'"));
    return;
  }
  const format = body.response_format ?? 'mp3';
  if (format !== 'pcm' && format !== 'wav') {
    // no encoder on board: say so instead of returning bytes that are not what was asked for
    sendJson(ctx.res, 400, openAIErrorBody(400, `the mock speech endpoint produces response_format 'pcm' or 'wav', not '${format}'`));
    return;
  }
  const sampleRate = opts.speechSampleRate ?? 24000;
  const seconds = (body.input.length * (opts.speechMsPerChar ?? 10)) / 1000 / (body.speed && body.speed > 0 ? body.speed : 1);
  const pcm = Buffer.from(sinePcm(seconds, sampleRate).buffer);
  const audio = format === 'wav' ? pcmToWav(pcm, sampleRate) : pcm;

  if (ctx.fault?.kind === 'malformed') {
    // what a misbehaving proxy does: a broken JSON error where audio was expected
    return sendWhole(ctx, brokenJson(openAIErrorBody(502, 'upstream failed')), 'application/json');
  }
  ctx.res.writeHead(200, { 'content-type': format === 'wav' ? 'audio/wav' : 'audio/pcm', 'transfer-encoding': 'chunked' });
  const step = Math.round(sampleRate * 0.1) * 2; // 100 ms of 16-bit mono per chunk
  const chunks = [];
  for (let at = 0; at < audio.length; at += step) chunks.push({ data: audio.subarray(at, at + step), counted: true });
  await writeChunks(ctx.res, chunks, ctx.fault, opts.chunkDelayMs ?? 2);
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

function timestamp(seconds: number, separator: string): string {
  const ms = Math.round(seconds * 1000);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}
