import { AudioFrame } from '@livekit/rtc-node';

/**
 * Test audio. Speech plugins drop silence (Deepgram's AudioEnergyFilter discards frames with
 * RMS <= 0.004 after a 1 s cooldown), so tests feed a tone, which every mock treats as speech.
 */
export interface ToneOptions {
  /** Hz, default 440 */
  frequency?: number;
  /** 0..1 of full scale, default 0.25 (RMS ≈ 0.18, far above any silence threshold) */
  amplitude?: number;
  channels?: number;
  /** sample index the tone starts at, so consecutive pieces join without clicks */
  offset?: number;
}

/** Interleaved 16-bit PCM of a sine tone. */
export function sinePcm(seconds: number, sampleRate = 16000, options: ToneOptions = {}): Int16Array {
  const { frequency = 440, amplitude = 0.25, channels = 1, offset = 0 } = options;
  const samples = Math.round(seconds * sampleRate);
  const pcm = new Int16Array(samples * channels);
  const peak = Math.round(32767 * amplitude);
  for (let i = 0; i < samples; i++) {
    const value = Math.round(peak * Math.sin((2 * Math.PI * frequency * (i + offset)) / sampleRate));
    for (let c = 0; c < channels; c++) pcm[i * channels + c] = value;
  }
  return pcm;
}

/** One non-silent AudioFrame of `seconds` length. */
export function sineFrame(seconds: number, sampleRate = 16000, options: ToneOptions = {}): AudioFrame {
  const channels = options.channels ?? 1;
  const pcm = sinePcm(seconds, sampleRate, options);
  return new AudioFrame(pcm, sampleRate, channels, pcm.length / channels);
}

/** A tone split into frames of `frameMs` (default 100 ms), as a microphone would deliver it. */
export function sineFrames(seconds: number, sampleRate = 16000, frameMs = 100, options: ToneOptions = {}): AudioFrame[] {
  const perFrame = Math.round((sampleRate * frameMs) / 1000);
  const total = Math.round(seconds * sampleRate);
  const frames: AudioFrame[] = [];
  for (let start = 0; start < total; start += perFrame) {
    const length = Math.min(perFrame, total - start);
    frames.push(sineFrame(length / sampleRate, sampleRate, { ...options, offset: (options.offset ?? 0) + start }));
  }
  return frames;
}

/** A zero-filled frame (what the speech plugins treat as silence). */
export function silenceFrame(seconds: number, sampleRate = 16000, channels = 1): AudioFrame {
  return AudioFrame.create(sampleRate, channels, Math.round(seconds * sampleRate));
}

/** Seconds of audio in frames (samples per channel / sample rate, summed). */
export function framesDuration(frames: AudioFrame | AudioFrame[]): number {
  const list = Array.isArray(frames) ? frames : [frames];
  return list.reduce((sum, f) => sum + f.samplesPerChannel / f.sampleRate, 0);
}

/** Root mean square of 16-bit little-endian PCM bytes, 0..1. */
export function pcmRms(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const samples = Math.floor(bytes.byteLength / 2);
  if (samples === 0) return 0;
  let sum = 0;
  for (let i = 0; i < samples; i++) {
    const s = view.getInt16(i * 2, true) / 32768;
    sum += s * s;
  }
  return Math.sqrt(sum / samples);
}

/** A canonical 44-byte-header WAV file around 16-bit PCM. */
export function pcmToWav(pcm: Int16Array | Uint8Array, sampleRate: number, channels = 1): Buffer {
  const data = Buffer.from(pcm.buffer, pcm.byteOffset, pcm.byteLength);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8);
  header.write('fmt ', 12);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  dataBytes: number;
  durationSeconds: number;
}

/** Read a RIFF/WAVE header (walking its chunks); undefined when the bytes are not a WAV file. */
export function wavInfo(bytes: Uint8Array): WavInfo | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  let sampleRate = 0;
  let channels = 0;
  let bitsPerSample = 0;
  for (let at = 12; at + 8 <= buf.length; ) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 24 <= buf.length) {
      channels = buf.readUInt16LE(at + 10);
      sampleRate = buf.readUInt32LE(at + 12);
      bitsPerSample = buf.readUInt16LE(at + 22);
    } else if (id === 'data') {
      if (!sampleRate || !channels || !bitsPerSample) return undefined;
      const dataBytes = Math.min(size, buf.length - at - 8);
      return { sampleRate, channels, bitsPerSample, dataBytes, durationSeconds: dataBytes / (sampleRate * channels * (bitsPerSample / 8)) };
    }
    at += 8 + size + (size % 2);
  }
  return undefined;
}
