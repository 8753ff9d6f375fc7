import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['./test/setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // @livekit/agents 1.9.0: tts.ChunkedStream starts its task with no catch, so a failed
    // ChunkedStream also raises an unhandled rejection. Ignore only LiveKit API errors.
    onUnhandledError(error) {
      const name = (error as { name?: string })?.name ?? '';
      return ['APIError', 'APIConnectionError', 'APIStatusError', 'APITimeoutError'].includes(name) ? false : undefined;
    },
  },
});
