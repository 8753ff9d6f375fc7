import { existsSync, writeFileSync } from 'node:fs';
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

/** Refuses a target the user named that already exists, unless `--force` (like `init`). */
export function refuseOverwrite(target: string, force: boolean | undefined): void {
  if (!force && existsSync(target)) throw new CliError(`${target} already exists; pass --force to overwrite it`);
}

/** Writes a file the user named; an existing one only with `force` ('wx': no race with the check). */
export function writeOutputFile(target: string, text: string, opts: { force?: boolean; mode?: number } = {}): void {
  try {
    writeFileSync(target, text, { flag: opts.force ? 'w' : 'wx', mode: opts.mode });
  } catch (err) {
    refuseOverwrite(target, opts.force);
    throw new CliError(`Cannot write ${target}: ${(err as Error).message}`);
  }
}
