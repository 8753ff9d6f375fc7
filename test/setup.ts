import { initializeLogger } from '@livekit/agents';

initializeLogger({ pretty: false, level: 'silent' });
process.env.VOICEGW_LOG_LEVEL ??= 'silent';
