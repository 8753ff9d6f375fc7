/** `--name value` from argv, as a number (fallback when absent or not a number). */
export function argNumber(name: string, fallback: number, argv = process.argv): number {
  const i = argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(argv[i + 1]) : Number.NaN;
  return Number.isFinite(v) ? v : fallback;
}

export function argString(name: string, fallback: string, argv = process.argv): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
}

/** `--name a,b,c` as a list */
export function argList(name: string, fallback: string[], argv = process.argv): string[] {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]!.split(',').map((s) => s.trim()).filter(Boolean) : fallback;
}

export const hasFlag = (name: string, argv = process.argv) => argv.includes(`--${name}`);
