#!/usr/bin/env node
// The CLI lives in dist/cli/main.js. This launcher is the package's `bin` so that a clone can link
// `voicegw` (the package depends on itself) before dist/ exists, and say how to build it.
import { existsSync } from 'node:fs';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('voicegw: this checkout is not built yet: run `npm run build` (npm ci does it too), then try again\n');
  process.exit(1);
}
await import(main.href);
