import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

export const PROJECT_DIR = fileURLToPath(new URL('../..', import.meta.url));
const HOST_SOURCE_DIR = fileURLToPath(new URL('./host', import.meta.url));
const DEFAULT_OUT_DIR = join(PROJECT_DIR, 'test-results', 'host');
const STAMP_FILE = 'bundle-stamp.txt';

export interface HostBundle {
  /** Directory holding host.js (and host.css when the libraries import CSS). */
  dir: string;
  /** Build time in ms, 0 when an earlier build was reused. */
  buildMs: number;
}

/**
 * Makes React and the router packages resolve to one copy each: @grafana/ui's Link comes from
 * react-router-dom-v5-compat, which ships its own nested react-router 6. Two copies would mean two router
 * contexts, and the Link would throw outside the host's Router.
 */
const dedupePlugin: Plugin = {
  name: 'dedupe-react-and-router',
  setup(builder) {
    builder.onResolve({ filter: /^(react|react-dom|react-router|@remix-run\/router)$/ }, async (args) => {
      if (args.pluginData === 'deduped') {
        return undefined;
      }
      // @grafana/ui also depends on react-router-dom 5, whose own react-router 5 must stay.
      if (args.path === 'react-router' && !args.importer.includes('react-router-dom-v5-compat')) {
        return undefined;
      }
      const result = await builder.resolve(args.path, { resolveDir: PROJECT_DIR, kind: args.kind, pluginData: 'deduped' });
      return { path: result.path, errors: result.errors };
    });
  },
};

/** Hashes the host's sources and the lockfile, so that a bundle is rebuilt when either changes. */
function sourceStamp(): string {
  const hash = createHash('sha256');
  for (const name of readdirSync(HOST_SOURCE_DIR).sort()) {
    hash.update(name).update(readFileSync(join(HOST_SOURCE_DIR, name)));
  }
  hash.update(readFileSync(join(PROJECT_DIR, 'package-lock.json')));
  hash.update(readFileSync(fileURLToPath(import.meta.url)));
  return hash.digest('hex');
}

async function buildHostBundle(outDir: string): Promise<HostBundle> {
  const stamp = sourceStamp();
  const stampPath = join(outDir, STAMP_FILE);
  if (existsSync(join(outDir, 'host.js')) && existsSync(stampPath) && readFileSync(stampPath, 'utf8') === stamp) {
    return { dir: outDir, buildMs: 0 };
  }

  mkdirSync(outDir, { recursive: true });
  const startedAtMs = Date.now();
  await build({
    entryPoints: { host: join(HOST_SOURCE_DIR, 'host-entry.tsx') },
    outdir: outDir,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    jsx: 'automatic',
    sourcemap: 'linked',
    logLevel: 'silent',
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    alias: {
      'grafana-runtime-plugin-page': join(PROJECT_DIR, 'node_modules/@grafana/runtime/dist/esm/components/PluginPage.mjs'),
    },
    loader: { '.svg': 'file', '.png': 'file', '.woff': 'file', '.woff2': 'file', '.ttf': 'file', '.eot': 'file' },
    plugins: [dedupePlugin],
  });
  writeFileSync(stampPath, stamp);

  return { dir: outDir, buildMs: Date.now() - startedAtMs };
}

let hostBundle: Promise<HostBundle> | undefined;

/**
 * Bundles the host page's script with esbuild into `test-results/host/`, once per process. A bundle on
 * disk whose stamp matches the current sources is reused, because bundling @grafana/ui is the slowest
 * part of a run.
 */
export function getHostBundle(outDir = DEFAULT_OUT_DIR): Promise<HostBundle> {
  hostBundle ??= buildHostBundle(outDir);
  return hostBundle;
}
