/**
 * The README and docs/ are checked like code: every YAML and JSON block parses with the real
 * parsers, every voicegw.yaml example passes the real config loader, and every documented
 * `voicegw` command and option exists in the commander program.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { loadConfig } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { type CodeBlock, codeBlocks, inlineCode, type Invocation, invocations } from './blocks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const FILES = ['README.md', ...readdirSync(`${ROOT}docs`).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const markdown = new Map(FILES.map((f) => [f, readFileSync(ROOT + f, 'utf8')]));
const blocks = [...markdown].flatMap(([file, text]) => codeBlocks(file, text));
const where = (b: CodeBlock) => `${b.file}:${b.line}`;

const CONFIG_KEYS = new Set(Object.keys(configSchema.shape));
const SHELL = new Set(['bash', 'sh', 'shell', 'console', 'zsh', '']);

/** Parses a YAML block; throws with the block's location on the first error. */
function parseYamlBlock(b: CodeBlock): unknown[] {
  const docs = parseAllDocuments(b.text, { prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  for (const d of list) {
    const err = d.errors[0];
    if (err) throw new Error(`${where(b)}: invalid YAML: ${err.message}`);
  }
  return list.map((d) => d.toJS());
}

/** A YAML value that is (a fragment of) voicegw.yaml: a mapping with at least one config key. */
function isVoicegwConfig(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value) && Object.keys(value).some((k) => CONFIG_KEYS.has(k));
}

/** Resolves `voicegw <words>` to a command and checks its options; returns what is wrong. */
function checkInvocation(program: Command, inv: Invocation): string | null {
  const cmd = program.commands.find((c) => c.name() === inv.words[0] || c.aliases().includes(inv.words[0]!));
  if (!cmd) return `unknown command 'voicegw ${inv.words[0]}' (known: ${program.commands.map((c) => c.name()).join(', ')})`;
  let target = cmd;
  let rest = inv.rest;
  if (cmd.commands.length > 0) {
    const sub = cmd.commands.find((c) => c.name() === inv.words[1]);
    if (!sub) return `unknown command 'voicegw ${inv.words.join(' ')}'`;
    target = sub;
    rest = rest.replace(/^\s+\S+/, '');
  }
  for (const token of rest.split(/\s+/)) {
    if (/^(\||>|&&|;|#|--$)/.test(token)) break;
    if (!/^--?[a-zA-Z]/.test(token)) continue;
    const flag = token.split('=')[0]!.replace(/[),.;:'"`]+$/, ''); // prose may close a parenthesis or a quote
    const known = [...target.options, ...program.options].some((o) => o.long === flag || o.short === flag);
    if (!known && flag !== '--help' && flag !== '-h') return `'voicegw ${inv.words.join(' ')}' has no option ${flag}`;
  }
  return null;
}

/** `npx -y voicegw` would install a registry package named voicegw, which is not ours. */
function checkNpx(line: string): string | null {
  if (/\bnpx\b(?:\s+-\S+)*\s+voicegw\b/.test(line) && /\bnpx\s+(?:\S+\s+)*?(-y|--yes)\b/.test(line) && !/-p\s+voicegateway\b/.test(line)) {
    return `'${line}' runs a package named voicegw: use npx -y -p voicegateway voicegw …`;
  }
  return null;
}

/** `"command": "npx", "args": [..., "voicegw", ...]` in MCP client configs. */
function jsonInvocations(value: unknown, out: { args: string[] }[] = []): { args: string[] }[] {
  if (!value || typeof value !== 'object') return out;
  const o = value as Record<string, unknown>;
  if (Array.isArray(o.args) && o.args.includes('voicegw')) out.push({ args: o.args.map(String) });
  for (const v of Object.values(o)) jsonInvocations(v, out);
  return out;
}

describe('docs: every block parses', () => {
  it('finds the pages and their blocks', () => {
    expect(FILES).toContain('docs/configuration.md');
    expect(blocks.filter((b) => b.lang === 'yaml' || b.lang === 'yml').length).toBeGreaterThan(5);
    expect(blocks.filter((b) => b.lang === 'json').length).toBeGreaterThan(0);
  });

  it.each(blocks.filter((b) => b.lang === 'yaml' || b.lang === 'yml').map((b) => [where(b), b] as const))(
    'YAML %s parses, and a voicegw.yaml example loads with the real config schema',
    (_, b) => {
      for (const doc of parseYamlBlock(b)) {
        if (!isVoicegwConfig(doc)) continue;
        // the real loader: ${VAR} interpolation, the zod schema, cross-field checks
        expect(() => loadConfig({ config: doc, env: {} }), where(b)).not.toThrow();
      }
    },
  );

  it.each(blocks.filter((b) => b.lang === 'json').map((b) => [where(b), b] as const))('JSON %s parses', (_, b) => {
    expect(() => JSON.parse(b.text), where(b)).not.toThrow();
  });
});

describe('docs: every documented voicegw command exists', () => {
  const program = buildProgram();
  const shellText = [
    ...blocks.filter((b) => SHELL.has(b.lang)).map((b) => ({ at: where(b), text: b.text })),
    ...[...markdown].flatMap(([file, text]) => inlineCode(text).map((code) => ({ at: file, text: code }))),
  ];
  const found = shellText.flatMap(({ at, text }) => invocations(text).map((inv) => ({ at, inv })));

  it('finds the documented commands', () => {
    const names = new Set(found.map((f) => f.inv.words[0]));
    for (const c of ['init', 'status', 'costs', 'logs', 'serve', 'dashboard', 'mcp', 'demo', 'export-costs']) expect(names).toContain(c);
  });

  it('each command and option is in src/cli/program.ts', () => {
    const wrong = found.map(({ at, inv }) => [at, checkInvocation(program, inv), inv.source]).filter(([, e]) => e);
    expect(wrong).toEqual([]);
  });

  it('every npx line names the package voicegateway when it may install from the registry', () => {
    const lines = shellText.flatMap(({ at, text }) => text.split('\n').map((l) => [at, checkNpx(l.trim())]));
    expect(lines.filter(([, e]) => e)).toEqual([]);
    for (const b of blocks.filter((x) => x.lang === 'json')) {
      for (const { args } of jsonInvocations(JSON.parse(b.text))) {
        const at = args.indexOf('voicegw');
        expect(args.slice(0, at).join(' '), where(b)).toMatch(/-p voicegateway$/);
        for (const inv of invocations(args.slice(at).join(' '))) expect(checkInvocation(program, inv), where(b)).toBeNull();
      }
    }
  });
});
