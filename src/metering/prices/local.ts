/** Self-hosted providers: free at the gateway (the hardware is the operator's own cost). */
export const LOCAL_PROVIDERS: readonly string[] = ['local', 'ollama', 'whisper', 'kokoro', 'piper'];
export const LOCAL_SOURCE = 'local';
