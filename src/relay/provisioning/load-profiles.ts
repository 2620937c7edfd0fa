/**
 * Profiles as code. The relay reads every `*.yaml` and `*.yml` file of BORO_RELAY_PROFILES_DIR
 * (default `./provisioning/profiles`) at start, in file name order. A file looks like this:
 *
 *   apiVersion: 1                 # required, and must be 1
 *   profiles:                     # ProfileInput objects, as in the management API
 *     - uid: noc-main             # required here, so that the profile keeps its uid across starts
 *       name: NOC main
 *       url: https://receiver.example/boro
 *       signRequests: true
 *       secretKey: ${NOC_MAIN_SECRET}
 *       headers: [{ name: X-Env, value: prod }]
 *   deleteProfiles:               # uids of profiles to delete
 *     - uid: old-profile
 *
 * String values may refer to environment variables as in Grafana's provisioning files: `$VAR` and
 * `${VAR}`, with `$$` for a literal `$`. `${VAR:-default}` (not in Grafana) gives the default when VAR is
 * unset or empty. An unset variable without a default is an error. Because a variable yields a string,
 * `enabled`, `signRequests`, `tls.insecureSkipVerify` (`true`/`false`) and `timeoutSeconds` (digits) also
 * accept strings. A uid may be defined by one file only and may not be both defined and deleted.
 * Provisioned profiles are read-only through the management API.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { LineCounter, parseDocument } from 'yaml';

import { PROFILE_UID_PATTERN } from '../../contract/profile.js';
import { RelayError, describeValue } from '../errors.js';
import type { ProfileSpec } from '../profiles/profile-record.js';
import { validateProfileInput } from '../profiles/validate-profile.js';

export interface ProvisionedProfiles {
  profiles: ProfileSpec[];
  deleteProfiles: Array<{ uid: string; file: string }>;
}

interface ProfilesFile {
  profiles: ProfileSpec[];
  deleteUids: string[];
}

const FILE_FIELDS = ['apiVersion', 'profiles', 'deleteProfiles'];
const BOOLEAN_FIELDS = ['enabled', 'signRequests'];

/**
 * Loads and validates the profiles files of `dir`. A missing directory yields no profiles. Throws an
 * Error naming the file, the field path (`profiles[0].url`) and the problem.
 */
export function loadProfilesDir(dir: string, env: NodeJS.ProcessEnv): ProvisionedProfiles {
  const result: ProvisionedProfiles = { profiles: [], deleteProfiles: [] };
  const fileByUid = new Map<string, string>();

  for (const file of listProfilesFiles(dir)) {
    const loaded = loadProfilesFile(file, env);

    for (const profile of loaded.profiles) {
      const otherFile = fileByUid.get(profile.uid);
      if (otherFile !== undefined) {
        throw new Error(
          `profile uid ${describeValue(profile.uid)} is defined in both ${otherFile} and ${file}; keep one of them`,
        );
      }
      fileByUid.set(profile.uid, file);
      result.profiles.push(profile);
    }

    for (const uid of loaded.deleteUids) result.deleteProfiles.push({ uid, file });
  }

  for (const deletion of result.deleteProfiles) {
    const definingFile = fileByUid.get(deletion.uid);
    if (definingFile !== undefined) {
      throw new Error(
        `profile uid ${describeValue(deletion.uid)} is in deleteProfiles of ${deletion.file} and in profiles of ` +
          `${definingFile}; remove it from one of the two lists`,
      );
    }
  }
  return result;
}

/** Returns the paths of the YAML files in `dir`, sorted by name. */
function listProfilesFiles(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`cannot read the profiles directory ${dir}: ${(error as Error).message}`);
  }

  return names
    .filter((name) => /\.ya?ml$/i.test(name))
    .sort()
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile());
}

function loadProfilesFile(file: string, env: NodeJS.ProcessEnv): ProfilesFile {
  const data = parseYamlFile(file);
  if (data === null || data === undefined) return { profiles: [], deleteUids: [] };

  if (!isMapping(data)) {
    throw new Error(
      `${file}: the file must be a YAML mapping with apiVersion and profiles, got ${describeValue(data)}`,
    );
  }
  checkFileFields(file, data);

  const profiles = toList(file, 'profiles', data.profiles).map((entry, index) =>
    loadProfile(file, `profiles[${index}]`, entry, env),
  );
  checkUniqueUids(file, profiles);

  const deleteUids = toList(file, 'deleteProfiles', data.deleteProfiles).map((entry, index) =>
    loadDeletedUid(file, `deleteProfiles[${index}]`, entry, env),
  );
  return { profiles, deleteUids };
}

function parseYamlFile(file: string): unknown {
  const text = readFileSync(file, 'utf8');

  // prettyErrors is off because it quotes the source line, which may contain a secret.
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });

  const [error] = document.errors;
  if (error !== undefined) {
    if (error.pos[0] < 0) throw new Error(`${file}: invalid YAML: ${error.message}`);
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw new Error(`${file}: invalid YAML at line ${line}, column ${col}: ${error.message}`);
  }

  try {
    return document.toJS();
  } catch (error) {
    throw new Error(`${file}: invalid YAML: ${(error as Error).message}`);
  }
}

function checkFileFields(file: string, data: Record<string, unknown>): void {
  const unknownField = Object.keys(data).find((field) => !FILE_FIELDS.includes(field));
  if (unknownField !== undefined) {
    throw new Error(
      `${file}: ${unknownField}: unknown field ${describeValue(unknownField)}; ` +
        `a profiles file has only ${FILE_FIELDS.join(', ')}`,
    );
  }

  if (data.apiVersion === undefined) {
    throw new Error(`${file}: apiVersion: apiVersion is missing; add apiVersion: 1`);
  }
  if (data.apiVersion !== 1) {
    throw new Error(`${file}: apiVersion: apiVersion must be 1, got ${describeValue(data.apiVersion)}`);
  }
}

function toList(file: string, field: string, value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    throw new Error(`${file}: ${field}: ${field} must be a YAML list, got ${describeValue(value)}`);
  }
  return value;
}

function loadProfile(file: string, path: string, entry: unknown, env: NodeJS.ProcessEnv): ProfileSpec {
  if (!isMapping(entry)) {
    throw new Error(`${file}: ${path}: a profile must be a YAML mapping, got ${describeValue(entry)}`);
  }
  const input = coerceScalarFields(interpolateTree(entry, path, file, env) as Record<string, unknown>);

  if (input.uid === undefined) {
    throw new Error(
      `${file}: ${path}.uid: uid is required in a profiles file, because a generated uid would change at every start`,
    );
  }

  try {
    return validateProfileInput(input, {
      existing: null,
      provisionedFrom: file,
      generateUid: () => {
        throw new Error('generateUid is not used for provisioned profiles, because their uid is required');
      },
    });
  } catch (error) {
    if (!(error instanceof RelayError)) throw error;
    const fieldPath = error.field === undefined ? path : `${path}.${error.field}`;
    throw new Error(`${file}: ${fieldPath}: ${error.message}`);
  }
}

function loadDeletedUid(file: string, path: string, entry: unknown, env: NodeJS.ProcessEnv): string {
  if (!isMapping(entry)) {
    throw new Error(`${file}: ${path}: an entry of deleteProfiles must be a mapping such as { uid: old-profile }`);
  }
  const unknownField = Object.keys(entry).find((field) => field !== 'uid');
  if (unknownField !== undefined) {
    throw new Error(
      `${file}: ${path}.${unknownField}: unknown field ${describeValue(unknownField)}; an entry has only uid`,
    );
  }

  const uid = interpolateTree(entry.uid, `${path}.uid`, file, env);
  if (typeof uid !== 'string' || !PROFILE_UID_PATTERN.test(uid)) {
    throw new Error(
      `${file}: ${path}.uid: uid must be 1 to 40 letters, digits, underscores or hyphens, got ${describeValue(uid)}`,
    );
  }
  return uid;
}

function checkUniqueUids(file: string, profiles: ProfileSpec[]): void {
  const indexByUid = new Map<string, number>();
  profiles.forEach((profile, index) => {
    const firstIndex = indexByUid.get(profile.uid);
    if (firstIndex !== undefined) {
      throw new Error(
        `${file}: profiles[${index}].uid: uid ${describeValue(profile.uid)} is already defined by ` +
          `profiles[${firstIndex}] of the same file; give each profile its own uid`,
      );
    }
    indexByUid.set(profile.uid, index);
  });
}

/** Turns the strings that a variable produces for boolean and integer fields into those types. */
function coerceScalarFields(profile: Record<string, unknown>): Record<string, unknown> {
  const coerced = { ...profile };
  for (const field of BOOLEAN_FIELDS) coerced[field] = toBoolean(coerced[field]);
  if (typeof coerced.timeoutSeconds === 'string' && /^\d+$/.test(coerced.timeoutSeconds)) {
    coerced.timeoutSeconds = Number(coerced.timeoutSeconds);
  }
  if (isMapping(coerced.tls)) {
    coerced.tls = { ...coerced.tls, insecureSkipVerify: toBoolean(coerced.tls.insecureSkipVerify) };
  }
  return coerced;
}

function toBoolean(value: unknown): unknown {
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value;
}

// ---- Environment variable interpolation.

/** `$$`, `${...}`, `$NAME`, and last an unterminated `${`. A `$` before anything else stays as it is. */
const VARIABLE_REFERENCE = /\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)|\$\{/g;
const BRACED_REFERENCE = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s;

/** Replaces variable references in every string of a parsed YAML value, but not in mapping keys. */
function interpolateTree(value: unknown, path: string, file: string, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') return interpolateString(value, path, file, env);
  if (Array.isArray(value)) return value.map((item, index) => interpolateTree(item, `${path}[${index}]`, file, env));
  if (isMapping(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateTree(item, `${path}.${key}`, file, env)]),
    );
  }
  return value;
}

function interpolateString(text: string, path: string, file: string, env: NodeJS.ProcessEnv): string {
  return text.replace(VARIABLE_REFERENCE, (reference: string, braced?: string, bare?: string) => {
    if (reference === '$$') return '$';
    if (bare !== undefined) return lookUpVariable(bare, undefined, path, file, env);

    if (braced === undefined) {
      throw new Error(
        `${file}: ${path}: a variable reference '\${' has no closing '}'; write \${NAME}, or $$ for a literal $`,
      );
    }
    const parts = BRACED_REFERENCE.exec(braced);
    if (parts === null || parts[1] === undefined) {
      throw new Error(
        `${file}: ${path}: invalid variable reference ${describeValue(reference)}; ` +
          'write ${NAME} or ${NAME:-default}, or $$ for a literal $',
      );
    }
    return lookUpVariable(parts[1], parts[2], path, file, env);
  });
}

function lookUpVariable(
  name: string,
  defaultValue: string | undefined,
  path: string,
  file: string,
  env: NodeJS.ProcessEnv,
): string {
  const value = env[name];
  if (defaultValue !== undefined) return value === undefined || value === '' ? defaultValue : value;
  if (value !== undefined) return value;

  throw new Error(
    `${file}: ${path}: environment variable ${name} is not set; set it, or give a default with \${${name}:-default}`,
  );
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
