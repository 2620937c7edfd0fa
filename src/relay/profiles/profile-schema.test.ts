import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { Ajv } from 'ajv';

import { TEMPLATE_FIELDS, type ProfileInput } from '../../contract/profile.js';
import { profileInputSchema, profileSchema } from './profile-schema.js';
import { toPublicProfile } from './public-profile.js';

// ajv-formats is not a dependency, so `format: date-time` is checked by this small stand-in.
function createAjv(): Ajv {
  return new Ajv({ strict: true, formats: { 'date-time': (value: string) => !Number.isNaN(Date.parse(value)) } });
}

describe('profileInputSchema', () => {
  const validateInput = createAjv().compile(profileInputSchema);

  it('accepts full input', () => {
    const input: Required<ProfileInput> = {
      uid: 'noc-main',
      name: 'NOC main',
      enabled: true,
      kind: 'webhook',
      url: 'https://receiver.example/boro',
      signRequests: true,
      secretKey: '0123456789abcdef'.repeat(4),
      secretKeyEncoding: 'text',
      headers: [{ name: 'X-Env', value: 'prod' }],
      projectName: 'Grafana',
      level: 'Warning',
      levelFromLabel: 'severity',
      timeoutSeconds: 10,
      tls: { caPem: null, insecureSkipVerify: false },
      templates: { trigger: '{{labels.alertname}}' },
    };
    assert.equal(validateInput(input), true, JSON.stringify(validateInput.errors));
  });

  it('lists every input field', () => {
    const fields: Record<keyof ProfileInput, true> = {
      uid: true,
      name: true,
      enabled: true,
      kind: true,
      url: true,
      signRequests: true,
      secretKey: true,
      secretKeyEncoding: true,
      headers: true,
      projectName: true,
      level: true,
      levelFromLabel: true,
      timeoutSeconds: true,
      tls: true,
      templates: true,
    };
    assert.deepEqual(Object.keys(profileInputSchema.properties).sort(), Object.keys(fields).sort());
  });

  it('lists every template field', () => {
    assert.deepEqual(Object.keys(profileInputSchema.properties.templates.properties), [...TEMPLATE_FIELDS]);
  });

  it('rejects unknown field', () => {
    assert.equal(validateInput({ name: 'x', colour: 'red' }), false);
  });
});

describe('profileSchema', () => {
  const validateProfile = createAjv().compile(profileSchema);

  it('accepts public profile', () => {
    const profile = toPublicProfile({
      uid: 'noc-main',
      name: 'NOC main',
      enabled: true,
      kind: 'slack',
      url: 'https://hooks.slack.com/services/T0/B0/x',
      signRequests: false,
      secretKey: null,
      secretKeyEncoding: 'text',
      headers: [
        { name: 'X-Env', value: 'prod' },
        { name: 'Authorization', value: 'Bearer x' },
      ],
      projectName: 'Grafana',
      level: 'Warning',
      levelFromLabel: null,
      timeoutSeconds: 10,
      tls: { caPem: null, insecureSkipVerify: false },
      templates: {},
      provisionedFrom: 'provisioning/profiles/noc.yaml',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    });
    assert.equal(validateProfile(profile), true, JSON.stringify(validateProfile.errors));
  });

  it('requires every returned field', () => {
    assert.deepEqual([...profileSchema.required].sort(), Object.keys(profileSchema.properties).sort());
  });

  it('accepts minimal profile', () => {
    assert.equal(validateProfile(minimalProfile()), true, JSON.stringify(validateProfile.errors));
  });

  it('rejects secret key', () => {
    const profile = { ...minimalProfile(), secretKey: 'ab'.repeat(16) };
    assert.equal(validateProfile(profile), false);
  });
});

function minimalProfile(): object {
  return {
    uid: 'a',
    name: 'A',
    enabled: true,
    kind: 'webhook',
    url: 'https://receiver.example/boro',
    signRequests: false,
    secretKeySet: false,
    secretKeyEncoding: 'text',
    headers: [],
    projectName: 'Grafana',
    level: 'Warning',
    levelFromLabel: null,
    timeoutSeconds: 10,
    tls: { caPem: null, insecureSkipVerify: false },
    templates: {},
    provisioned: false,
    provisionedFrom: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  };
}
