import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { verifyRequest } from '../src/relay/signing/api-auth.js';
import { startRecordingReceiver, type RecordingReceiver } from './helpers/recording-receiver.js';
import { makeDataDir, startTestRelay, type TestRelay } from './helpers/test-relay.js';

const SECRET_VARIABLE = 'BORO_TEST_PROVISIONED_SECRET';
const SECRET_KEY = '4b1e9d7c3a5f0e2d8c6b4a29f1e3d5c7b9a0f2e4d6c8b1a3f5e7d9c0b2a4f6e8';

function makeProfilesDir(): string {
  return mkdtempSync(join(tmpdir(), 'boro-profiles-test-'));
}

function firingAlert(fingerprint: string) {
  return {
    status: 'firing',
    labels: { alertname: 'QueueStuck', instance: `worker-${fingerprint}:9100` },
    annotations: {},
    startsAt: '2026-11-24T09:12:30Z',
    endsAt: '0001-01-01T00:00:00Z',
    generatorURL: 'https://grafana.example.internal/alerting/grafana/x/view',
    fingerprint,
  };
}

function notification(alerts: object[]) {
  return { receiver: 'relay', status: 'firing', alerts, externalURL: 'https://grafana.example.internal/', version: '1', groupKey: '{}' };
}

/** Returns the YAML of a profiles file with one signed profile whose key comes from the environment. */
function signedProfileYaml(p: { uid: string; name: string; url: string; level?: string }): string {
  return [
    'apiVersion: 1',
    'profiles:',
    `  - uid: ${p.uid}`,
    `    name: ${p.name}`,
    `    url: ${p.url}`,
    `    level: ${p.level ?? 'Warning'}`,
    '    signRequests: true',
    `    secretKey: \${${SECRET_VARIABLE}}`,
    '',
  ].join('\n');
}

describe('provisioned profiles', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  let target: RecordingReceiver;

  const newProfilesDir = () => {
    const dir = makeProfilesDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const newDataDir = () => {
    const dir = makeDataDir();
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };
  const started = async (profilesDir: string, dataDir = newDataDir()) => {
    const relay = await startTestRelay({ BORO_RELAY_PROFILES_DIR: profilesDir }, dataDir);
    cleanups.push(() => relay.stop());
    return relay;
  };

  before(async () => {
    process.env[SECRET_VARIABLE] = SECRET_KEY;
    target = await startRecordingReceiver();
  });
  afterEach(async () => {
    // Relays stop before their directories are removed, so cleanups run in reverse order.
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    target.requests.length = 0;
  });
  after(async () => {
    delete process.env[SECRET_VARIABLE];
    await target.close();
  });

  it('marks the profile provisioned', async () => {
    const profilesDir = newProfilesDir();
    const file = join(profilesDir, 'noc.yaml');
    writeFileSync(file, signedProfileYaml({ uid: 'noc', name: 'NOC', url: target.url }));

    const relay = await started(profilesDir);
    const { status, body } = await relay.api('GET', '/api/v1/profiles/noc');

    assert.equal(status, 200);
    assert.equal(body.provisioned, true);
    assert.equal(body.provisionedFrom, file);
    assert.equal(body.name, 'NOC');
    assert.equal(body.signRequests, true);
    assert.equal(body.secretKeySet, true);
    assert.equal(body.secretKey, undefined);
  });

  const writeRequests: Array<{ name: string; method: string; path: string; body?: object }> = [
    { name: 'an update', method: 'PUT', path: '/api/v1/profiles/noc', body: { name: 'Renamed', url: 'http://127.0.0.1:9/' } },
    { name: 'a deletion', method: 'DELETE', path: '/api/v1/profiles/noc' },
    { name: 'a new secret key', method: 'POST', path: '/api/v1/profiles/noc/secret' },
  ];
  for (const request of writeRequests) {
    it(`rejects ${request.name}`, async () => {
      const profilesDir = newProfilesDir();
      const file = join(profilesDir, 'noc.yaml');
      writeFileSync(file, signedProfileYaml({ uid: 'noc', name: 'NOC', url: target.url }));
      const relay = await started(profilesDir);

      const { status, body } = await relay.api(request.method, request.path, request.body);
      const stored = await relay.api('GET', '/api/v1/profiles/noc');

      assert.equal(status, 409);
      assert.equal(body.error.code, 'PROFILE_PROVISIONED');
      assert.ok(body.error.message.includes(file), body.error.message);
      assert.equal(stored.status, 200);
      assert.equal(stored.body.name, 'NOC');
    });
  }

  it('loads the shipped example', async () => {
    const relay = await started(join(process.cwd(), 'provisioning', 'profiles'));

    const { status, body } = await relay.api('GET', '/api/v1/profiles/example');

    assert.equal(status, 200);
    assert.equal(body.provisioned, true);
    assert.match(body.provisionedFrom, /example\.yaml$/);
  });

  it('signs with an interpolated key', async () => {
    const profilesDir = newProfilesDir();
    writeFileSync(join(profilesDir, 'noc.yaml'), signedProfileYaml({ uid: 'noc', name: 'NOC', url: `${target.url}/boro` }));
    const relay = await started(profilesDir);

    const answer = await relay.ingest('noc', notification([firingAlert('signed')]));
    const [request] = await target.waitForRequests(1);

    assert.equal(answer.status, 202);
    const verified = verifyRequest({
      method: request!.method,
      requestUri: request!.url,
      headers: request!.headers,
      body: request!.body,
      secretKey: SECRET_KEY,
      secretKeyEncoding: 'text',
    });
    assert.deepEqual(verified, { ok: true, accessId: 'noc' });
    assert.ok(!relay.logLines.some((line) => line.includes(SECRET_KEY)), 'a log line shows the secret key');
  });

  it('updates on restart and keeps the counter', async () => {
    const profilesDir = newProfilesDir();
    const dataDir = newDataDir();
    const file = join(profilesDir, 'noc.yaml');
    writeFileSync(file, signedProfileYaml({ uid: 'noc', name: 'NOC v1', url: target.url }));

    const first = await started(profilesDir, dataDir);
    const firstAnswer = await first.ingest('noc', notification([firingAlert('before')]));
    await target.waitForRequests(1);
    await first.stop();
    writeFileSync(file, signedProfileYaml({ uid: 'noc', name: 'NOC v2', url: target.url, level: 'Critical' }));
    const second = await started(profilesDir, dataDir);
    const profile = await second.api('GET', '/api/v1/profiles/noc');
    const secondAnswer = await second.ingest('noc', notification([firingAlert('after')]));
    const requests = await target.waitForRequests(2);

    assert.equal(firstAnswer.body.messages[0].sequenceId, 1);
    assert.equal(profile.body.name, 'NOC v2');
    assert.equal(profile.body.level, 'Critical');
    assert.equal(profile.body.provisioned, true);
    assert.equal(secondAnswer.body.messages[0].sequenceId, 2);
    const message = JSON.parse(requests[1]!.body.toString('utf8'));
    assert.equal(message.sequenceId, 2);
    assert.equal(message.profile_name, 'NOC v2');
    assert.equal(message.level, 'Critical');
  });

  it('deletes listed profiles', async () => {
    const profilesDir = newProfilesDir();
    const dataDir = newDataDir();
    const file = join(profilesDir, 'profiles.yaml');
    writeFileSync(file, signedProfileYaml({ uid: 'old', name: 'Old', url: target.url }));

    const first = await started(profilesDir, dataDir);
    const created = await first.api('POST', '/api/v1/profiles', { uid: 'legacy', name: 'Legacy', url: target.url });
    await first.stop();
    writeFileSync(file, ['apiVersion: 1', 'deleteProfiles:', '  - uid: old', '  - uid: legacy', ''].join('\n'));
    const second = await started(profilesDir, dataDir);
    const old = await second.api('GET', '/api/v1/profiles/old');
    const legacy = await second.api('GET', '/api/v1/profiles/legacy');

    assert.equal(created.status, 201);
    assert.equal(old.status, 404);
    assert.equal(old.body.error.code, 'PROFILE_NOT_FOUND');
    assert.equal(legacy.status, 404);
  });

  it('releases a profile left out', async () => {
    const profilesDir = newProfilesDir();
    const dataDir = newDataDir();
    const file = join(profilesDir, 'noc.yaml');
    writeFileSync(file, signedProfileYaml({ uid: 'noc', name: 'NOC', url: target.url }));

    const first = await started(profilesDir, dataDir);
    await first.stop();
    writeFileSync(file, 'apiVersion: 1\nprofiles: []\n');
    const second = await started(profilesDir, dataDir);
    const released = await second.api('GET', '/api/v1/profiles/noc');
    const renamed = await second.api('PUT', '/api/v1/profiles/noc', { name: 'NOC by API', url: target.url, signRequests: true });

    assert.equal(released.body.provisioned, false);
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.equal(renamed.body.name, 'NOC by API');
    assert.equal(renamed.body.secretKeySet, true);
  });

  const badFiles: Array<{ name: string; yaml: string; field: string; named?: string; hidden?: string }> = [
    {
      name: 'an ftp url',
      yaml: 'apiVersion: 1\nprofiles:\n  - uid: bad\n    name: Bad\n    url: ftp://127.0.0.1/boro\n',
      field: 'profiles[0].url',
    },
    {
      name: 'a missing apiVersion',
      yaml: 'profiles:\n  - uid: bad\n    name: Bad\n    url: http://127.0.0.1:9/\n',
      field: 'apiVersion',
    },
    {
      name: 'a missing uid',
      yaml: 'apiVersion: 1\nprofiles:\n  - name: Bad\n    url: http://127.0.0.1:9/\n',
      field: 'profiles[0].uid',
    },
    {
      name: 'an unset variable',
      yaml: 'apiVersion: 1\nprofiles:\n  - uid: bad\n    name: Bad\n    url: http://127.0.0.1:9/\n    signRequests: true\n    secretKey: ${BORO_TEST_UNSET_VARIABLE}\n',
      field: 'profiles[0].secretKey',
      named: 'BORO_TEST_UNSET_VARIABLE',
    },
    {
      name: 'a key that is not hex',
      yaml: 'apiVersion: 1\nprofiles:\n  - uid: bad\n    name: Bad\n    url: http://127.0.0.1:9/\n    signRequests: true\n    secretKey: not-hex-but-secret-value\n',
      field: 'profiles[0].secretKey',
      hidden: 'not-hex-but-secret-value',
    },
    {
      name: 'a second profile with a bad header',
      yaml: 'apiVersion: 1\nprofiles:\n  - uid: good\n    name: Good\n    url: http://127.0.0.1:9/\n  - uid: bad\n    name: Bad\n    url: http://127.0.0.1:9/\n    headers: [{ name: Host, value: x }]\n',
      field: 'profiles[1].headers[0].name',
    },
  ];
  for (const testCase of badFiles) {
    it(`rejects ${testCase.name}`, async () => {
      const profilesDir = newProfilesDir();
      const dataDir = newDataDir();
      const file = join(profilesDir, 'bad.yaml');
      writeFileSync(file, testCase.yaml);

      await assert.rejects(startTestRelay({ BORO_RELAY_PROFILES_DIR: profilesDir }, dataDir), (error: Error) => {
        assert.ok(error.message.includes(file), error.message);
        assert.ok(error.message.includes(testCase.field), error.message);
        if (testCase.named !== undefined) assert.ok(error.message.includes(testCase.named), error.message);
        if (testCase.hidden !== undefined) assert.ok(!error.message.includes(testCase.hidden), error.message);
        return true;
      });
    });
  }

  it('rejects a yaml syntax error', async () => {
    const profilesDir = newProfilesDir();
    const dataDir = newDataDir();
    const file = join(profilesDir, 'broken.yml');
    writeFileSync(file, 'apiVersion: 1\nprofiles:\n  - uid: bad\n    name: [unclosed\n');

    await assert.rejects(startTestRelay({ BORO_RELAY_PROFILES_DIR: profilesDir }, dataDir), (error: Error) => {
      assert.ok(error.message.includes(file), error.message);
      assert.match(error.message, /line \d+/);
      return true;
    });
  });
});
