#!/usr/bin/env node
// Entry point of the `boro-relay` command; the relay is compiled to build/ by `npm run build:relay`.
import { existsSync } from 'node:fs';

const entry = new URL('../build/relay/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('boro-relay: build/relay is missing; run `npm run build:relay` (npm start does it for you)\n');
  process.exit(1);
}

const { main } = await import(entry.href);
await main(process.argv.slice(2));
