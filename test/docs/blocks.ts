/** Pulls the checkable parts out of Markdown: fenced code blocks and `voicegw …` invocations. */
export interface CodeBlock {
  file: string;
  /** 1-based line of the opening fence */
  line: number;
  lang: string;
  text: string;
}

export function codeBlocks(file: string, markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let open: { line: number; lang: string; fence: string; body: string[] } | null = null;
  lines.forEach((l, i) => {
    const fence = /^(\s*)(```+|~~~+)\s*([\w-]*)/.exec(l);
    if (!open && fence) {
      open = { line: i + 1, lang: fence[3]!.toLowerCase(), fence: fence[2]!, body: [] };
    } else if (open && l.trim().startsWith(open.fence) && l.trim().replace(/[`~]/g, '') === '') {
      blocks.push({ file, line: open.line, lang: open.lang, text: open.body.join('\n') });
      open = null;
    } else if (open) {
      open.body.push(l);
    }
  });
  if (open) throw new Error(`${file}:${(open as { line: number }).line}: code block is never closed`);
  return blocks;
}

/** Inline code spans outside fenced blocks. */
export function inlineCode(markdown: string): string[] {
  const outside = markdown.replace(/^(```+|~~~+)[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
  return [...outside.matchAll(/(`+)([^`]+?)\1/g)].map((m) => m[2]!);
}

export interface Invocation {
  /** command words after `voicegw`, e.g. ['costs'] or ['alerts', 'test'] */
  words: string[];
  /** the rest of the line after `voicegw` (options and arguments) */
  rest: string;
  source: string;
}

/**
 * Every `voicegw <command> …` in shell-like text: `voicegw costs`, `npx voicegw costs`,
 * `npx -y -p voicegateway voicegw mcp`. Placeholders (`voicegw <command>`, `voicegw …`) are skipped.
 */
export function invocations(text: string): Invocation[] {
  const found: Invocation[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\s#\s.*$/, ''); // shell comment
    for (const m of line.matchAll(/(?:^|[\s"'(=;&|[,])voicegw\s+([a-z][a-z-]*)((?:\s+[^\s"']*)*)/g)) {
      const rest = m[2] ?? '';
      found.push({ words: [m[1]!, ...firstWord(rest)], rest, source: rawLine.trim() });
    }
  }
  return found;
}

function firstWord(rest: string): string[] {
  const w = /^\s+([a-z][a-z-]*)(?=\s|$)/.exec(rest);
  return w ? [w[1]!] : [];
}
