#!/usr/bin/env node
import { runCli } from './program.js';

const code = await runCli(process.argv);
// exit once stdout/stderr are flushed: native handles (LiveKit, MCP transports) must not keep a finished command alive
process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
