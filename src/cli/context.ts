import type { Command } from 'commander';
import type { Gateway } from '../gateway.js';

/** A failure the CLI reports as `voicegw: <message>` with an exit code (1 failed / not found, 2 bad usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export interface GlobalOptions {
  config?: string;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** Opens the gateway for one command (config from --config or the search path) and always closes it. */
export async function withGateway<T>(cmd: Command, fn: (gw: Gateway) => Promise<T>): Promise<T> {
  const gw = await openGateway(cmd);
  try {
    return await fn(gw);
  } finally {
    await gw.close();
  }
}

export async function openGateway(cmd: Command): Promise<Gateway> {
  // imported lazily so `--help`, `init` and usage errors never load providers or the ledger
  const { Gateway } = await import('../gateway.js');
  return Gateway.open({ path: globals(cmd).config });
}

export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

export function note(text: string): void {
  process.stderr.write(`${text}\n`);
}
