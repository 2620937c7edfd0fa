import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { BORO_MESSAGE_KEYS } from '../../contract/message.js';
import { parseNotification } from '../ingest/parse-notification.js';
import { mapAlert, type MappingContext, type MessageFields } from './map-alert.js';
import { orderMessageFields, serialiseMessage } from './serialise-message.js';

const FIXTURES_DIR = new URL('../../../tests/fixtures/', import.meta.url);

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, FIXTURES_DIR), 'utf8'));
}

const MINIMAL_FIELDS: MessageFields = {
  project_name: 'Grafana',
  probe_name: 'grafana',
  task_uri: 'db-02:9100',
  task_name: 'node',
  trigger: 'DiskFillingUp',
  status: 'Active',
  level: 'Warning',
  time: '2026-11-24T10:02:00Z',
  profile_name: 'NOC main',
};

describe('serialiseMessage', () => {
  it('reproduces the signing vector body', () => {
    const vectors = readFixture('signing-vectors.json') as { vectors: Array<{ name: string; body: string }> };
    const vector = vectors.vectors.find((candidate) => candidate.name === 'boro-message-text-key');
    const notification = parseNotification(readFixture('grafana-webhook-mixed-grafana11.json'));
    const resolved = notification.alerts.find((alert) => alert.status === 'resolved');
    assert.ok(resolved);

    // The vector's message has instance db-02:9100, a job label "node" and no links, so the fixture's
    // resolved alert gets those labels and loses its generatorURL. Its times stay as they are.
    const alert = {
      ...resolved,
      labels: { ...resolved.labels, instance: 'db-02:9100', job: 'node' },
      generatorURL: null,
    };
    const context: MappingContext = {
      profile: {
        uid: 'noc-main',
        name: 'NOC main',
        projectName: 'Grafana',
        level: 'Warning',
        levelFromLabel: null,
        templates: {},
      },
      grafanaUrl: null,
      externalURL: notification.externalURL,
      receivedAtMs: Date.UTC(2026, 11, 4, 19, 23, 52),
    };
    const mapped = mapAlert(alert, context);
    assert.equal(mapped.kind, 'message');

    const body = serialiseMessage((mapped as { fields: MessageFields }).fields, 42, 41);
    assert.equal(body, vector?.body);
  });

  it('puts version and sequenceId first', () => {
    const keys = Object.keys(JSON.parse(serialiseMessage(MINIMAL_FIELDS, 7, 3)) as object);
    assert.deepEqual(keys.slice(0, 4), ['version', 'sequenceId', 'referenceNumber', 'project_name']);
  });

  it('writes version 1 as a string', () => {
    const message = JSON.parse(serialiseMessage(MINIMAL_FIELDS, 7, undefined)) as { version: unknown };
    assert.equal(message.version, '1');
  });

  it('leaves out an undefined referenceNumber', () => {
    const text = serialiseMessage({ ...MINIMAL_FIELDS, status: 'Event' }, 7, undefined);
    assert.equal(text.includes('referenceNumber'), false);
  });

  it('writes sequenceId 0 for a test message', () => {
    const message = JSON.parse(serialiseMessage(MINIMAL_FIELDS, 0, undefined)) as { sequenceId: unknown };
    assert.equal(message.sequenceId, 0);
  });

  it('orders keys given out of order', () => {
    const shuffled = Object.fromEntries(Object.entries({ ...MINIMAL_FIELDS, count: 2, pid: 256 }).reverse());
    const keys = Object.keys(JSON.parse(serialiseMessage(shuffled as MessageFields, 1, 1)) as object);
    assert.deepEqual(keys, BORO_MESSAGE_KEYS.filter((key) => keys.includes(key)));
  });

  const emptyCases: Array<[string, Partial<MessageFields>]> = [
    ['undefined', { subtask_uri: undefined }],
    ['empty string', { subtask_description: '' }],
    ['empty links', { links: [] }],
    ['null details', { details: null }],
    ['empty details', { details: {} }],
    ['empty count_by_pids', { count_by_pids: {} }],
  ];

  for (const [name, extra] of emptyCases) {
    it(`leaves out ${name}`, () => {
      const text = serialiseMessage({ ...MINIMAL_FIELDS, ...extra }, 1, undefined);
      const [key] = Object.keys(extra);
      assert.equal(text.includes(`"${key}"`), false);
    });
  }

  it('keeps a zero count', () => {
    const message = JSON.parse(serialiseMessage({ ...MINIMAL_FIELDS, count: 0 }, 1, undefined)) as { count: unknown };
    assert.equal(message.count, 0);
  });

  it('writes compact JSON', () => {
    const text = serialiseMessage(MINIMAL_FIELDS, 1, undefined);
    assert.equal(
      text,
      '{"version":"1","sequenceId":1,"project_name":"Grafana","probe_name":"grafana","task_uri":"db-02:9100",' +
        '"task_name":"node","trigger":"DiskFillingUp","status":"Active","level":"Warning",' +
        '"time":"2026-11-24T10:02:00Z","profile_name":"NOC main"}',
    );
  });
});

describe('orderMessageFields', () => {
  it('keeps the given keys in order', () => {
    assert.deepEqual(Object.keys(orderMessageFields(MINIMAL_FIELDS)), Object.keys(MINIMAL_FIELDS));
  });

  it('drops empty keys', () => {
    const ordered = orderMessageFields({ ...MINIMAL_FIELDS, links: [], subtask_uri: '' });
    assert.equal('links' in ordered, false);
    assert.equal('subtask_uri' in ordered, false);
  });
});
