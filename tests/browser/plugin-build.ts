import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_DIR } from './host-bundle.js';

export const DIST_DIR = join(PROJECT_DIR, 'dist');
const SOURCE_DIR = join(PROJECT_DIR, 'src');
/** Parts of src/ that webpack does not bundle into the plugin. */
const NOT_BUNDLED = new Set(['relay']);
/**
 * The newest source time of the last build this helper ran. Webpack leaves an output file untouched when
 * its content is unchanged, so dist/'s own times can stay older than a source that changed.
 */
const BUILD_STAMP_PATH = join(PROJECT_DIR, 'test-results', 'plugin-build-stamp.txt');

function newestFileMtimeMs(dir: string): number {
  const files = readdirSync(dir, { withFileTypes: true }).filter((entry) => entry.isFile());
  return Math.max(0, ...files.map((entry) => statSync(join(dir, entry.name)).mtimeMs));
}

function readBuildStampMs(): number {
  return existsSync(BUILD_STAMP_PATH) ? Number(readFileSync(BUILD_STAMP_PATH, 'utf8')) || 0 : 0;
}

function newestSourceMtimeMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !(dir === SOURCE_DIR && NOT_BUNDLED.has(entry.name))) {
      newest = Math.max(newest, newestSourceMtimeMs(path));
    } else if (entry.isFile() && !/\.test\.tsx?$/.test(entry.name)) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }
  return newest;
}

/**
 * Runs `npm run build` when dist/module.js is missing or dist/ is older than a file under src/ (outside
 * src/relay), so that the browser test does not run an old build. Changes outside src/, such as to
 * package-lock.json or .config/, are not detected. Returns the build time in ms, 0 when dist/ was current.
 */
export function ensurePluginBuilt(): number {
  const sourceMtimeMs = newestSourceMtimeMs(SOURCE_DIR);
  const built = existsSync(join(DIST_DIR, 'module.js'));
  if (built && (newestFileMtimeMs(DIST_DIR) >= sourceMtimeMs || readBuildStampMs() >= sourceMtimeMs)) {
    return 0;
  }

  const startedAtMs = Date.now();
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: PROJECT_DIR, encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`npm run build failed (exit ${result.status ?? result.signal}); its last lines:\n${output}`);
  }
  mkdirSync(join(PROJECT_DIR, 'test-results'), { recursive: true });
  writeFileSync(BUILD_STAMP_PATH, String(sourceMtimeMs));
  return Date.now() - startedAtMs;
}
