import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../src/gateway.js';
import type { RequestRecord } from '../../src/ledger/types.js';
import { voicegw, voicegwServe } from './helpers.js';

const YAML = `providers:
  openai:
    api_key: sk-live-abcdefghijklmnop9z9z
projects:
  support:
    name: Support
    daily_budget: 0.05
    budget_action: block
    tags: [prod, voice]
  sales:
    name: Sales
    daily_budget: 10
cost_tracking:
  db_path: ./ledger.db
`;

function row(over: Partial<RequestRecord>): RequestRecord {
  return {
    id: randomUUID(), ts: Date.now(), project: 'support', sessionId: 's-1', modality: 'llm', provider: 'openai', model: 'gpt-4.1-mini',
    inputUnits: 1000, outputUnits: 100, cachedUnits: 0, costNanos: 12_300_000, pricingSource: 'test', ttfbMs: 210, latencyMs: 850,
    status: 'success', fallbackFrom: null, error: null, throttle: null, guardrailFindings: 0, ...over,
  };
}

// each command is a real process that loads @livekit/agents (1-3 s on a busy 2-core box): few spawns, run side by side
describe.concurrent('voicegw CLI against a temp config and ledger', { timeout: 90_000 }, () => {
  let dir: string;
  let config: string;
  let env: NodeJS.ProcessEnv;
  const run = (...args: string[]) => voicegw(['--config', config, ...args], { cwd: dir, env });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'voicegw-cli-'));
    config = join(dir, 'voicegw.yaml');
    env = { HOME: dir };
    writeFileSync(config, YAML);
    const gw = await Gateway.open({ path: config, env: {} });
    await gw.ledger.record(row({ modality: 'stt', provider: 'deepgram', model: 'nova-3', inputUnits: 42.5, outputUnits: 0, costNanos: 3_050_000, ts: Date.now() - 3000 }));
    await gw.ledger.record(row({ ts: Date.now() - 2000 }));
    await gw.ledger.record(row({ modality: 'tts', provider: 'cartesia', model: 'sonic-3', inputUnits: 180, outputUnits: 0, costNanos: null, ts: Date.now() - 1000 }));
    await gw.ledger.record(row({ project: 'sales', sessionId: 's-2', costNanos: 1_500_000_000, error: '=cmd|calc, "x"', throttle: 'cheaper' }));
    await gw.ledger.record(row({ project: 'sales', ts: Date.UTC(2020, 0, 15, 12), costNanos: 7_000_000 }));
    await gw.admin.create({ id: 'kiosk', name: 'Kiosk', daily_budget: 2, tags: ['edge'] }, { name: 'cli-test', source: 'cli' });
    await gw.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('projects: aligned table with budget, action, spend today and status', async () => {
    const r = await run('projects');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+TAGS\s+BUDGET\/DAY\s+ACTION\s+SPENT TODAY\s+UNPRICED\s+STATUS\s+SOURCE$/);
    const support = lines.find((l) => l.startsWith('support '))!;
    // support's TTS row has no known price: counted as unpriced, not in the spend
    expect(support).toMatch(/support\s+Support\s+prod,voice\s+\$0\.0500\s+block\s+\$0\.0154\s+1\s+ok\s+yaml/);
    expect(lines.find((l) => l.startsWith('sales '))).toMatch(/\$10\.00\s+warn\s+\$1\.50\s+0\s+ok/);
    expect(lines.find((l) => l.startsWith('kiosk '))).toMatch(/runtime$/);
    const rows = lines.slice(1, lines.indexOf(''));
    expect(rows).toHaveLength(4);
    expect(lines.at(-1)).toBe('support: 1 request(s) today have no known price and are not in SPENT TODAY; add them under prices: in voicegw.yaml.');
    // columns line up: every row ends its SPENT TODAY and UNPRICED columns at the same offset
    for (const header of ['SPENT TODAY', 'UNPRICED']) {
      const col = lines[0]!.indexOf(header) + header.length;
      for (const l of rows) expect(l[col - 1], l).not.toBe(' ');
    }

  });

  it('project <id>: details, spend by modality, budget status; exit 1 when unknown', async () => {
    const r = await run('project', 'support');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Daily budget:\s+\$0\.0500 \(block when exceeded\)/);
    expect(r.stdout).toMatch(/Spent today:\s+\$0\.0154 of \$0\.0500 \(30\.7%\)/);
    expect(r.stdout).toMatch(/^STT\s+1\s+\$0\.0031\s+0$/m);
    expect(r.stdout).toMatch(/^LLM\s+1\s+\$0\.0123\s+0$/m);
    expect(r.stdout).toMatch(/^TTS\s+1\s+\$0\.0000\s+1$/m);
    expect(r.stdout).toContain('1 request(s) have no known price');
    expect(r.stdout).toMatch(/Unpriced models:\s+refused \(set allow_unpriced: true to serve them\)/);


    const missing = await run('project', 'nope');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/Unknown project 'nope'\. Defined projects: support, sales, kiosk, default/);
  });

  it('an unknown project in a report filter exits 1 naming the defined projects, never an empty $0 report', async () => {
    for (const args of [['logs', '-p', 'nope'], ['costs', '-p', 'nope']]) {
      const r = await run(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/Unknown project 'nope'\. Defined projects: support, sales, kiosk, default/);
    }
  });

  it('costs: periods, explicit ranges, --project, --json; bad periods are usage errors (2)', async () => {
    const today = await run('costs');
    expect(today.code).toBe(0);
    expect(today.stdout).toMatch(/Total:\s+\$1\.52/);
    expect(today.stdout).toMatch(/Requests:\s+4 \(1 unpriced, not in the total\)/);
    expect(today.stdout).toMatch(/^openai\/gpt-4\.1-mini\s+2\s+\$1\.51\s+0$/m);

    // the other invocations are independent: side by side, so a loaded machine pays for one spawn, not five
    const bads = [['--period', 'fortnight'], ['--period', 'week', '--from', '2020-01-01'], ['--from', '2020-02-31'], ['--from', '2020-02-01', '--to', '2020-01-01']];
    const [jan, ...badRuns] = await Promise.all([
      run('costs', '--from', '2020-01-01', '--to', '2020-01-31', '--project', 'sales', '--json'),
      ...bads.map((args) => run('costs', ...args)),
    ]);
    expect(JSON.parse(jan.stdout)).toMatchObject({ project: 'sales', requests: 1, totalUsd: 0.007, unpriced: 0 });
    badRuns.forEach((bad, i) => {
      expect(bad.code, bads[i].join(' ')).toBe(2);
      expect(bad.stderr).toMatch(/^voicegw: --(period|from|to): /);
    });
  });

  it('logs: newest first, filters, -n; invalid -n / modality exit 2', async () => {
    const r = await run('logs', '--project', 'support', '-n', '2');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^TIME\s+PROJECT\s+MOD\s+MODEL\s+UNITS\s+COST\s+TTFB\s+LATENCY\s+STATUS\s+THROTTLE\s+ERROR$/);
    expect(lines[1]).toMatch(/support\s+TTS\s+cartesia\/sonic-3\s+180 chars\s+n\/a\s+210ms\s+850ms\s+success\s+-\s+-$/);
    expect(lines[2]).toMatch(/LLM\s+openai\/gpt-4\.1-mini\s+1000\+100 tok\s+\$0\.0123/);

    // the throttle decision and the error have their own columns
    const sales = await run('logs', '--project', 'sales', '-n', '1');
    expect(sales.stdout.trimEnd().split('\n')[1]).toMatch(/sales\s+LLM\s+openai\/gpt-4\.1-mini\s+1000\+100 tok\s+\$1\.50\s+210ms\s+850ms\s+success\s+cheaper\s+=cmd\|calc, "x"$/);

    const stt = await run('logs', '--modality', 'stt', '--json');
    const parsed = JSON.parse(stt.stdout) as { logs: { provider: string; inputUnits: number }[] };
    expect(parsed.logs).toEqual([expect.objectContaining({ provider: 'deepgram', inputUnits: 42.5 })]);
    expect((await run('logs', '-n', 'ten')).code).toBe(2);
    expect((await run('logs', '--modality', 'video')).code).toBe(2);
  });

  it('budget <project>: today\'s status; exit 1 when unknown', async () => {
    const r = await run('budget', 'support');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Budget:\s+\$0\.0500\/day/);
    expect(r.stdout).toMatch(/Remaining:\s+\$0\.0347/);
    expect(r.stdout).toMatch(/Action:\s+block/);
    expect(r.stdout).toMatch(/Unpriced:\s+1 request\(s\) today with no known price \(not in Spent\)/);
    const ghost = await run('budget', 'ghost', '--json');
    expect(ghost.code).toBe(1);
    expect(ghost.stdout).toBe('');
  });

  it('export-costs: CSV to stdout (unknown cost empty, formula text neutralised), JSON to a file; missing --from exits 2', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const csv = await run('export-costs', '--from', today, '--to', today, '--project', 'sales');
    expect(csv.code).toBe(0);
    const lines = csv.stdout.trimEnd().split('\r\n');
    expect(lines[0]).toBe('time,id,project,session_id,modality,provider,model,input_units,output_units,cached_units,cost_usd,pricing_source,ttfb_ms,latency_ms,status,fallback_from,error,throttle,guardrail_findings');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',sales,s-2,llm,openai,gpt-4.1-mini,1000,100,0,1.5,test,210,850,success,,"\'=cmd|calc, ""x""",cheaper,0');

    const out = join(dir, 'export.json');
    const json = await run('export-costs', '--from', '2020-01-01', '--to', today, '--format', 'json', '-o', out);
    expect(json.code).toBe(0);
    expect(json.stderr).toContain('Wrote 5 row(s)');
    const parsed = JSON.parse(readFileSync(out, 'utf8')) as { rows: { costUsd: number | null; ts: number }[] };
    expect(parsed.rows).toHaveLength(5);
    expect(parsed.rows[0]!.ts).toBe(Date.UTC(2020, 0, 15, 12)); // oldest first
    expect(parsed.rows.filter((r) => r.costUsd === null)).toHaveLength(1);

    // an existing -o file is never replaced without --force (like init)
    writeFileSync(out, 'mine');
    const again = await run('export-costs', '--from', today, '--to', today, '-o', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe(`voicegw: ${out} already exists; pass --force to overwrite it\n`);
    expect(readFileSync(out, 'utf8')).toBe('mine');
    const forced = await run('export-costs', '--from', today, '--to', today, '-o', out, '--force');
    expect(forced.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/^time,id,project/);

    expect((await run('export-costs', '--to', today)).code).toBe(2);
    expect((await run('export-costs', '--from', today, '--to', today, '--format', 'xml')).code).toBe(2);
  });

  it('status: config, ledger and providers with masked keys', async () => {
    const r = await run('status');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Config:`);
    expect(r.stdout).toContain(join(dir, 'ledger.db'));
    expect(r.stdout).toMatch(/^openai\s+cloud\s+llm,stt,tts,realtime\s+yes\s+sk-l…9z9z \(providers\.openai\.api_key\)/m);
    expect(r.stdout).toMatch(/^ollama\s+local/m);
    expect(r.stdout).not.toContain('sk-live-abcdefghijklmnop9z9z');
  });

  it('serve: API on one port until SIGTERM, then exits 0', async () => {
    const s = await voicegwServe(['--config', config, 'serve', '--port', '0', '--no-dashboard'], { cwd: dir, env });
    try {
      expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(s.output()).toContain('auth off');
      expect((await fetch(`${s.url}/health`)).status).toBe(200);
      const projects = (await (await fetch(`${s.url}/v1/projects`)).json()) as { projects: { id: string }[] };
      expect(projects.projects.map((p) => p.id)).toContain('kiosk');
    } finally {
      const exited = new Promise<number | null>((resolve) => s.child.once('exit', (code) => resolve(code)));
      s.child.kill('SIGTERM');
      expect(await exited).toBe(0);
    }
  });
});

describe('voicegw CLI: usage, init and config errors', { timeout: 60_000 }, () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'voicegw-cli-init-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints help (0) and treats unknown commands and options as usage errors (2)', async () => {
    const help = await voicegw(['--help'], { cwd: dir, env: { HOME: dir } });
    expect(help.code).toBe(0);
    for (const cmd of ['init', 'status', 'projects', 'project', 'costs', 'logs', 'budget', 'export-costs', 'serve', 'dashboard', 'mcp', 'demo']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${cmd} `, 'm'));
    }
    // usage errors: exit 2 and the one documented line, `voicegw: <what> (see … --help)`
    const usage: [string[], string][] = [
      [['frobnicate'], "voicegw: unknown command 'frobnicate' (see voicegw --help)\n"],
      [['projects', '--bogus'], "voicegw: unknown option '--bogus' (see voicegw projects --help)\n"],
      [['project'], "voicegw: missing required argument 'id' (see voicegw project --help)\n"],
    ];
    for (const [args, line] of usage) {
      const r = await voicegw(args, { cwd: dir, env: { HOME: dir } });
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toBe(line);
    }
  });

  it('init writes a commented voicegw.yaml that loads, refuses to overwrite without --force', async () => {
    const first = await voicegw(['init'], { cwd: dir, env: { HOME: dir } });
    expect(first.code).toBe(0);
    const path = join(dir, 'voicegw.yaml');
    expect(existsSync(path)).toBe(true);
    expect(readFileSync(path, 'utf8')).toMatch(/^# voicegw\.yaml/);

    const again = await voicegw(['init'], { cwd: dir, env: { HOME: dir } });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists; pass --force');
    writeFileSync(path, '# mine\n');
    expect((await voicegw(['init', '--force'], { cwd: dir, env: { HOME: dir } })).code).toBe(0);
    expect(readFileSync(path, 'utf8')).toMatch(/^# voicegw\.yaml/);

    // found through the search path (./voicegw.yaml), keys unset: still loads, projects listed
    const projects = await voicegw(['projects', '--json'], { cwd: dir, env: { HOME: dir } });
    expect(projects.code).toBe(0);
    const ids = (JSON.parse(projects.stdout) as { projects: { id: string }[] }).projects.map((p) => p.id);
    expect(ids).toEqual(expect.arrayContaining(['customer-support', 'sandbox']));
  });

  it('a missing or invalid config is a failure (1) with the reason and no stack', async () => {
    const missing = await voicegw(['--config', join(dir, 'nope.yaml'), 'projects'], { cwd: dir, env: { HOME: dir } });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/Config file not found: .*nope\.yaml/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'projects:\n  x:\n    name: X\n    budget_action: explode\n');
    const invalid = await voicegw(['--config', bad, 'status'], { cwd: dir, env: { HOME: dir } });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toContain('budget_action');
    expect(invalid.stderr).not.toMatch(/\n\s+at /);
  });
});
