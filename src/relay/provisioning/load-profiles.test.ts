import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { loadProfilesDir } from './load-profiles.js';

const KEY = '0123456789abcdef'.repeat(4);
const EXAMPLE_DIR = fileURLToPath(new URL('../../../provisioning/profiles', import.meta.url));

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** Writes the files into a new temporary directory and returns its path. */
function profilesDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'boro-profiles-'));
  tempDirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

function loadError(dir: string, env: NodeJS.ProcessEnv = {}): Error {
  try {
    loadProfilesDir(dir, env);
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  assert.fail('expected loadProfilesDir to throw');
}

const NOC_FILE = `apiVersion: 1
profiles:
  - uid: noc-main
    name: NOC main
    url: https://receiver.example/boro
    signRequests: true
    secretKey: \${NOC_MAIN_SECRET}
    headers: [{ name: X-Env, value: prod }]
deleteProfiles:
  - uid: old-profile
`;

describe('loadProfilesDir', () => {
  it('returns nothing for missing dir', () => {
    const result = loadProfilesDir(join(tmpdir(), 'boro-profiles-missing-dir'), {});
    assert.deepEqual(result, { profiles: [], deleteProfiles: [] });
  });

  it('loads profile', () => {
    const dir = profilesDir({ 'noc.yaml': NOC_FILE });
    const [profile] = loadProfilesDir(dir, { NOC_MAIN_SECRET: KEY }).profiles;

    assert.equal(profile?.uid, 'noc-main');
    assert.equal(profile?.secretKey, KEY);
    assert.equal(profile?.signRequests, true);
    assert.deepEqual(profile?.headers, [{ name: 'X-Env', value: 'prod' }]);
    assert.equal(profile?.timeoutSeconds, 10);
    assert.equal(profile?.provisionedFrom, join(dir, 'noc.yaml'));
  });

  it('lists deleted uids', () => {
    const dir = profilesDir({ 'noc.yaml': NOC_FILE });
    const result = loadProfilesDir(dir, { NOC_MAIN_SECRET: KEY });
    assert.deepEqual(result.deleteProfiles, [{ uid: 'old-profile', file: join(dir, 'noc.yaml') }]);
  });

  it('loads repository example', () => {
    const result = loadProfilesDir(EXAMPLE_DIR, {});
    assert.equal(result.profiles.length, 1);
    assert.equal(result.profiles[0]?.enabled, false);
    assert.equal(result.profiles[0]?.url, 'http://127.0.0.1:9000/boro');
  });

  it('enables repository example', () => {
    const result = loadProfilesDir(EXAMPLE_DIR, { BORO_EXAMPLE_ENABLED: 'true' });
    assert.equal(result.profiles[0]?.enabled, true);
  });

  it('reads yaml and yml only', () => {
    const profile = (uid: string) => `apiVersion: 1\nprofiles: [{ uid: ${uid}, name: ${uid}, url: "http://127.0.0.1:9000/" }]\n`;
    const dir = profilesDir({ 'b.yml': profile('b'), 'a.yaml': profile('a'), 'c.txt': profile('c'), 'd.YAML': profile('d') });
    mkdirSync(join(dir, 'e.yaml'));

    const uids = loadProfilesDir(dir, {}).profiles.map((spec) => spec.uid);
    assert.deepEqual(uids, ['a', 'b', 'd']);
  });

  it('accepts empty files', () => {
    const dir = profilesDir({ 'empty.yaml': '', 'comments.yaml': '# nothing here\n' });
    assert.deepEqual(loadProfilesDir(dir, {}), { profiles: [], deleteProfiles: [] });
  });

  it('accepts file without lists', () => {
    const dir = profilesDir({ 'a.yaml': 'apiVersion: 1\nprofiles:\n' });
    assert.deepEqual(loadProfilesDir(dir, {}), { profiles: [], deleteProfiles: [] });
  });
});

describe('loadProfilesDir interpolation', () => {
  const file = `apiVersion: 1
profiles:
  - uid: \${UID:-noc}
    name: $TEAM $$HOME \${TEAM}-\${SUFFIX:-main} $ 5
    url: \${URL:-http://127.0.0.1:9000/boro}
    enabled: \${ENABLED}
    timeoutSeconds: \${TIMEOUT:-30}
    projectName: \${PROJECT:-Default project}
    tls: { insecureSkipVerify: "\${SKIP_VERIFY:-false}" }
`;

  function loadWith(env: NodeJS.ProcessEnv) {
    const [profile] = loadProfilesDir(profilesDir({ 'a.yaml': file }), { ENABLED: 'false', TEAM: 'ops', ...env }).profiles;
    assert.ok(profile !== undefined);
    return profile;
  }

  it('replaces variables', () => {
    assert.equal(loadWith({}).name, 'ops $HOME ops-main $ 5');
  });

  it('applies defaults', () => {
    assert.equal(loadWith({}).url, 'http://127.0.0.1:9000/boro');
    assert.equal(loadWith({}).uid, 'noc');
  });

  it('prefers set variable', () => {
    assert.equal(loadWith({ URL: 'https://receiver.example/x' }).url, 'https://receiver.example/x');
  });

  it('defaults empty variable', () => {
    assert.equal(loadWith({ PROJECT: '' }).projectName, 'Default project');
  });

  it('keeps dollar in value', () => {
    assert.equal(loadWith({ PROJECT: 'cost $TEAM' }).projectName, 'cost $TEAM');
  });

  it('coerces booleans', () => {
    assert.equal(loadWith({ ENABLED: 'false' }).enabled, false);
    assert.equal(loadWith({ ENABLED: 'true' }).enabled, true);
    assert.equal(loadWith({ SKIP_VERIFY: 'true' }).tls.insecureSkipVerify, true);
  });

  it('coerces timeout', () => {
    assert.equal(loadWith({}).timeoutSeconds, 30);
    assert.equal(loadWith({ TIMEOUT: '5' }).timeoutSeconds, 5);
  });

  it('rejects non-boolean variable', () => {
    const dir = profilesDir({ 'a.yaml': file });
    const error = loadError(dir, { ENABLED: 'yes', TEAM: 'ops' });
    assert.ok(error.message.includes('profiles[0].enabled'), error.message);
  });

  it('names missing variable', () => {
    const dir = profilesDir({ 'noc.yaml': NOC_FILE });
    const error = loadError(dir);
    assert.ok(error.message.includes(join(dir, 'noc.yaml')), error.message);
    assert.ok(error.message.includes('profiles[0].secretKey'), error.message);
    assert.ok(error.message.includes('NOC_MAIN_SECRET'), error.message);
  });

  it('names missing bare variable', () => {
    const dir = profilesDir({ 'a.yaml': file });
    const error = loadError(dir, { ENABLED: 'true' });
    assert.ok(error.message.includes('profiles[0].name'), error.message);
    assert.ok(error.message.includes('TEAM'), error.message);
  });

  const badReferences: Array<[string, string]> = [
    ['${NAME', "no closing '}'"],
    ['${}', "'${}'"],
    ['${1X}', "'${1X}'"],
    ['${A-b}', "'${A-b}'"],
  ];
  for (const [reference, shows] of badReferences) {
    it(`rejects ${reference}`, () => {
      const dir = profilesDir({ 'a.yaml': `apiVersion: 1\nprofiles: [{ uid: a, name: "${reference}", url: "http://127.0.0.1/" }]\n` });
      const error = loadError(dir, { NAME: 'n' });
      assert.ok(error.message.includes('profiles[0].name'), error.message);
      assert.ok(error.message.includes(shows), error.message);
    });
  }

  it('hides interpolated secret', () => {
    const dir = profilesDir({ 'noc.yaml': NOC_FILE });
    const error = loadError(dir, { NOC_MAIN_SECRET: 'not-hex-secret-value' });
    assert.ok(error.message.includes('profiles[0].secretKey'), error.message);
    assert.ok(!error.message.includes('not-hex-secret-value'), error.message);
  });
});

describe('loadProfilesDir rejects', () => {
  const cases: Array<{ name: string; text: string; shows: string[] }> = [
    {
      name: 'invalid url',
      text: 'apiVersion: 1\nprofiles: [{ uid: a, name: A, url: "ftp://x" }]\n',
      shows: ['profiles[0].url', "'ftp://x'"],
    },
    {
      name: 'invalid header',
      text: 'apiVersion: 1\nprofiles:\n  - { uid: a, name: A, url: "http://127.0.0.1/", headers: [{ name: X-A, value: a }, { name: Host, value: h }] }\n',
      shows: ['profiles[0].headers[1].name', "'Host'"],
    },
    { name: 'missing uid', text: 'apiVersion: 1\nprofiles: [{ name: A, url: "http://127.0.0.1/" }]\n', shows: ['profiles[0].uid', 'required'] },
    { name: 'missing apiVersion', text: 'profiles: []\n', shows: ['apiVersion'] },
    { name: 'apiVersion 2', text: 'apiVersion: 2\nprofiles: []\n', shows: ['apiVersion must be 1', 'got 2'] },
    { name: 'unknown file field', text: 'apiVersion: 1\ndatasources: []\n', shows: ["'datasources'"] },
    { name: 'profiles mapping', text: 'apiVersion: 1\nprofiles: { uid: a }\n', shows: ['profiles must be a YAML list'] },
    { name: 'profile scalar', text: 'apiVersion: 1\nprofiles: [noc]\n', shows: ['profiles[0]', "'noc'"] },
    { name: 'file scalar', text: 'just text\n', shows: ["'just text'"] },
    { name: 'delete scalar', text: 'apiVersion: 1\ndeleteProfiles: [old]\n', shows: ['deleteProfiles[0]'] },
    { name: 'delete bad uid', text: 'apiVersion: 1\ndeleteProfiles: [{ uid: "a b" }]\n', shows: ['deleteProfiles[0].uid', "'a b'"] },
    { name: 'delete extra field', text: 'apiVersion: 1\ndeleteProfiles: [{ uid: a, orgId: 1 }]\n', shows: ['deleteProfiles[0].orgId'] },
    {
      name: 'same uid twice',
      text: 'apiVersion: 1\nprofiles:\n  - { uid: a, name: A, url: "http://127.0.0.1/" }\n  - { uid: a, name: B, url: "http://127.0.0.1/" }\n',
      shows: ['profiles[1].uid', 'profiles[0]'],
    },
    {
      name: 'defined and deleted',
      text: 'apiVersion: 1\nprofiles: [{ uid: a, name: A, url: "http://127.0.0.1/" }]\ndeleteProfiles: [{ uid: a }]\n',
      shows: ["'a'", 'deleteProfiles'],
    },
  ];

  for (const { name, text, shows } of cases) {
    it(name, () => {
      const dir = profilesDir({ 'p.yaml': text });
      const error = loadError(dir);
      assert.ok(error.message.includes(join(dir, 'p.yaml')), error.message);
      for (const part of shows) assert.ok(error.message.includes(part), `message lacks ${part}: ${error.message}`);
    });
  }

  it('names syntax error position', () => {
    const dir = profilesDir({ 'p.yaml': 'apiVersion: 1\nprofiles: []\nprofiles: []\n' });
    const error = loadError(dir);
    assert.ok(error.message.includes(join(dir, 'p.yaml')), error.message);
    assert.ok(error.message.includes('line 3, column 1'), error.message);
  });

  it('names unclosed quote position', () => {
    const dir = profilesDir({ 'p.yaml': 'apiVersion: 1\nprofiles:\n  - uid: a\n    name: "NOC\n' });
    const error = loadError(dir);
    assert.match(error.message, /line \d+, column \d+/);
  });

  it('hides source line of syntax error', () => {
    const dir = profilesDir({ 'p.yaml': `apiVersion: 1\nprofiles:\n  - uid: a\n    secretKey: "${KEY}\n` });
    const error = loadError(dir);
    assert.ok(!error.message.includes(KEY), error.message);
  });

  it('names both files of duplicate uid', () => {
    const profile = 'apiVersion: 1\nprofiles: [{ uid: shared, name: A, url: "http://127.0.0.1/" }]\n';
    const dir = profilesDir({ 'a.yaml': profile, 'b.yaml': profile });
    const error = loadError(dir);
    assert.ok(error.message.includes(join(dir, 'a.yaml')), error.message);
    assert.ok(error.message.includes(join(dir, 'b.yaml')), error.message);
    assert.ok(error.message.includes("'shared'"), error.message);
  });

  it('names files of defined and deleted uid', () => {
    const dir = profilesDir({
      'a.yaml': 'apiVersion: 1\nprofiles: [{ uid: x, name: A, url: "http://127.0.0.1/" }]\n',
      'b.yaml': 'apiVersion: 1\ndeleteProfiles: [{ uid: x }]\n',
    });
    const error = loadError(dir);
    assert.ok(error.message.includes(join(dir, 'a.yaml')), error.message);
    assert.ok(error.message.includes(join(dir, 'b.yaml')), error.message);
  });
});
