#!/usr/bin/env node
// Bundles the dashboard (src/dashboard/app, Chart.js included) into static files the package ships,
// so users run it with no build step and no CDN: dist/dashboard/{index.html, app.js, app.css, favicon.svg}.
// Usage: node scripts/build-dashboard.mjs [--outdir <dir>] [--dev]
import { copyFile, mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { outdir: { type: 'string' }, dev: { type: 'boolean', default: false } } });
const outdir = resolve(values.outdir ?? join(root, 'dist', 'dashboard'));
const appDir = join(root, 'src', 'dashboard', 'app');

const started = performance.now();
await mkdir(outdir, { recursive: true });
// build beside the target, then rename each file into place: a server reading the folder (or a
// concurrent build) never sees a half-written app.js
const staging = await mkdtemp(join(outdir, '.build-'));
let result;
try {
  result = await build({
    absWorkingDir: root,
    entryPoints: [join(appDir, 'main.ts')],
    outfile: join(staging, 'app.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['es2022', 'chrome109', 'firefox115', 'safari16'],
    minify: !values.dev,
    sourcemap: values.dev ? 'inline' : false,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  for (const name of ['index.html', 'app.css', 'favicon.svg']) await copyFile(join(appDir, 'static', name), join(staging, name));
  for (const name of ['app.js', 'app.css', 'favicon.svg', 'index.html']) await rename(join(staging, name), join(outdir, name));
} finally {
  await rm(staging, { recursive: true, force: true });
}

const bytes = (await stat(join(outdir, 'app.js'))).size;
console.log(JSON.stringify({ outdir, appJsBytes: bytes, inputs: Object.keys(result.metafile.inputs).length, ms: Math.round(performance.now() - started) }));
