import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { RelayError } from '../errors.js';
import { fingerprintLabels, parseNotification } from './parse-notification.js';

const FIXTURES_DIR = new URL('../../../tests/fixtures/', import.meta.url);

function readFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, FIXTURES_DIR), 'utf8')) as Record<string, unknown>;
}

/** Returns a minimal valid Grafana body, with fields added to or replaced in its first alert and in the body. */
function grafanaBody(alertFields: Record<string, unknown> = {}, bodyFields: Record<string, unknown> = {}): unknown {
  return {
    version: '1',
    receiver: 'relay-webhook',
    status: 'firing',
    alerts: [{ labels: { alertname: 'HighCPU' }, startsAt: '2026-11-24T10:02:00Z', ...alertFields }],
    ...bodyFields,
  };
}

function parseError(body: unknown): RelayError {
  try {
    parseNotification(body);
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  assert.fail('parseNotification accepted an invalid body');
}

describe('parseNotification fixtures', () => {
  const cases: Array<{
    file: string;
    source: 'grafana' | 'alertmanager';
    status: 'firing' | 'resolved';
    statuses: string[];
    fingerprints: string[];
    endsAt: Array<string | null>;
  }> = [
    {
      file: 'grafana-webhook-firing.json',
      source: 'grafana',
      status: 'firing',
      statuses: ['firing'],
      fingerprints: ['3f9c1a7e2b6d4e10'],
      endsAt: [null],
    },
    {
      file: 'grafana-webhook-resolved.json',
      source: 'grafana',
      status: 'resolved',
      statuses: ['resolved'],
      fingerprints: ['3f9c1a7e2b6d4e10'],
      endsAt: ['2026-11-24T09:31:00Z'],
    },
    {
      file: 'grafana-webhook-mixed-grafana11.json',
      source: 'grafana',
      status: 'firing',
      statuses: ['firing', 'resolved'],
      fingerprints: ['a81e44c0d95b7f23', '5b02c9e7f1a3d6e8'],
      endsAt: [null, '2026-11-24T10:01:00Z'],
    },
    {
      file: 'grafana-webhook-nodata.json',
      source: 'grafana',
      status: 'firing',
      statuses: ['firing'],
      fingerprints: ['d40a7b1c93e25f68'],
      endsAt: [null],
    },
    {
      file: 'grafana-webhook-error.json',
      source: 'grafana',
      status: 'firing',
      statuses: ['firing'],
      fingerprints: ['7e6f0c2a1b9d8453'],
      endsAt: [null],
    },
    {
      file: 'grafana-webhook-nodata-as-alerting.json',
      source: 'grafana',
      status: 'firing',
      statuses: ['firing'],
      fingerprints: ['0c5e9b3a7d2f1e46'],
      endsAt: [null],
    },
    {
      file: 'grafana-webhook-test.json',
      source: 'grafana',
      status: 'firing',
      statuses: ['firing'],
      fingerprints: ['57c6d9296de2ad39'],
      endsAt: [null],
    },
    {
      file: 'alertmanager-webhook.json',
      source: 'alertmanager',
      status: 'firing',
      statuses: ['firing', 'resolved'],
      fingerprints: ['9a1b3c5d7e9f0a2b', '4e6d8c0b2a4f6e8d'],
      endsAt: [null, '2026-11-24T09:02:26.020Z'],
    },
    {
      file: 'alertmanager-0.25-firing.json',
      source: 'alertmanager',
      status: 'firing',
      statuses: ['firing', 'firing'],
      fingerprints: ['32c3901eb81f115a', 'f4f64654765726ee'],
      endsAt: [null, null],
    },
    {
      file: 'alertmanager-0.25-partial-resolved.json',
      source: 'alertmanager',
      status: 'firing',
      statuses: ['resolved', 'firing'],
      fingerprints: ['32c3901eb81f115a', 'f4f64654765726ee'],
      endsAt: ['2026-12-04T19:48:17.932721Z', null],
    },
  ];

  for (const testCase of cases) {
    it(`parses ${testCase.file}`, () => {
      const body = readFixture(testCase.file);
      const notification = parseNotification(body);

      assert.equal(notification.source, testCase.source);
      assert.equal(notification.status, testCase.status);
      assert.equal(notification.receiver, body.receiver);
      assert.equal(notification.groupKey, body.groupKey);
      assert.deepEqual(
        notification.alerts.map((alert) => alert.status),
        testCase.statuses,
      );
      assert.deepEqual(
        notification.alerts.map((alert) => alert.fingerprint),
        testCase.fingerprints,
      );
      assert.deepEqual(
        notification.alerts.map((alert) => alert.endsAtMs),
        testCase.endsAt.map((text) => (text === null ? null : Date.parse(text))),
      );
    });
  }

  it('reads every field of a Grafana alert', () => {
    const [alert] = parseNotification(readFixture('grafana-webhook-firing.json')).alerts;

    assert.deepEqual(alert, {
      status: 'firing',
      labels: {
        alertname: 'HighCPU',
        grafana_folder: 'Infrastructure',
        instance: 'api-01:9100',
        severity: 'critical',
        team: 'platform',
      },
      annotations: {
        description: 'CPU usage on api-01:9100 has been above 90% for 5 minutes.',
        runbook_url: 'https://runbooks.example.internal/cpu-high',
        summary: 'CPU above 90% on api-01:9100',
      },
      startsAtMs: Date.UTC(2026, 10, 24, 9, 12, 30),
      endsAtMs: null,
      generatorURL: 'https://grafana.example.internal/alerting/grafana/bf3k2x9a7q1s0c/view?orgId=1',
      dashboardURL: 'https://grafana.example.internal/d/node-overview?from=1795507950000&orgId=1&to=1795511640000',
      panelURL:
        'https://grafana.example.internal/d/node-overview?from=1795507950000&orgId=1&to=1795511640000&viewPanel=4',
      silenceURL:
        'https://grafana.example.internal/alerting/silence/new?alertmanager=grafana&matcher=__alert_rule_uid__%3Dbf3k2x9a7q1s0c&matcher=instance%3Dapi-01%3A9100&matcher=severity%3Dcritical&matcher=team%3Dplatform&orgId=1',
      fingerprint: '3f9c1a7e2b6d4e10',
      ruleUID: 'bf3k2x9a7q1s0c',
      values: { B: 93.4, C: 1 },
      valueString:
        "[ var='B' labels={instance=api-01:9100} type='reduce' value=93.4 ], [ var='C' labels={instance=api-01:9100} type='threshold' value=1 ]",
    });
  });

  it('reads the test alert with empty URLs as null', () => {
    const [alert] = parseNotification(readFixture('grafana-webhook-test.json')).alerts;

    assert.equal(alert?.generatorURL, null);
    assert.equal(alert?.dashboardURL, null);
    assert.equal(alert?.panelURL, null);
    assert.equal(alert?.values, null);
    assert.equal(alert?.startsAtMs, Date.UTC(2026, 10, 24, 13, 45, 10, 512));
  });

  it('reads Alertmanager alerts without Grafana fields', () => {
    const notification = parseNotification(readFixture('alertmanager-0.25-firing.json'));
    const [alert] = notification.alerts;

    assert.equal(notification.externalURL, 'http://alertmanager.example.internal:9093');
    assert.equal(alert?.ruleUID, null);
    assert.equal(alert?.values, null);
    assert.equal(alert?.valueString, null);
    assert.equal(alert?.panelURL, null);
    assert.equal(alert?.startsAtMs, Date.UTC(2026, 11, 4, 19, 45, 17, 932));
  });
});

describe('parseNotification defaults', () => {
  it('takes the group status when an alert has none', () => {
    const body = grafanaBody({ status: undefined }, { status: 'resolved' });
    assert.equal(parseNotification(body).alerts[0]?.status, 'resolved');
  });

  it('takes a null alert status as missing', () => {
    const body = grafanaBody({ status: null }, { status: 'resolved' });
    assert.equal(parseNotification(body).alerts[0]?.status, 'resolved');
  });

  it('keeps the alert status over the group status', () => {
    const body = grafanaBody({ status: 'firing' }, { status: 'resolved' });
    assert.equal(parseNotification(body).alerts[0]?.status, 'firing');
  });

  for (const empty of [null, undefined]) {
    it(`reads ${String(empty)} labels and annotations as empty`, () => {
      const [alert] = parseNotification(grafanaBody({ labels: empty, annotations: empty })).alerts;
      assert.deepEqual(alert?.labels, {});
      assert.deepEqual(alert?.annotations, {});
    });
  }

  for (const endsAt of [undefined, null, '', '0001-01-01T00:00:00Z']) {
    it(`reads endsAt ${JSON.stringify(endsAt)} as null`, () => {
      assert.equal(parseNotification(grafanaBody({ endsAt })).alerts[0]?.endsAtMs, null);
    });
  }

  it('reads empty optional strings as null', () => {
    const body = grafanaBody(
      { generatorURL: '', dashboardURL: '', panelURL: '', silenceURL: '', ruleUID: '', valueString: '' },
      { externalURL: '', groupKey: '' },
    );
    const notification = parseNotification(body);
    const [alert] = notification.alerts;

    assert.equal(notification.externalURL, null);
    assert.equal(notification.groupKey, null);
    assert.equal(alert?.generatorURL, null);
    assert.equal(alert?.dashboardURL, null);
    assert.equal(alert?.panelURL, null);
    assert.equal(alert?.silenceURL, null);
    assert.equal(alert?.ruleUID, null);
    assert.equal(alert?.valueString, null);
  });

  it('reads a missing receiver as empty', () => {
    assert.equal(parseNotification(grafanaBody({}, { receiver: undefined })).receiver, '');
  });

  it('accepts unknown fields', () => {
    const body = grafanaBody({ orgId: 1, futureField: { nested: true } }, { appVersion: '13.2.1', extra: [1, 2] });
    assert.equal(parseNotification(body).alerts.length, 1);
  });

  it('accepts an empty alert list', () => {
    assert.deepEqual(parseNotification(grafanaBody({}, { alerts: [] })).alerts, []);
  });

  it('accepts null values', () => {
    const [alert] = parseNotification(grafanaBody({ values: { B: null, C: 1 } })).alerts;
    assert.deepEqual(alert?.values, { B: null, C: 1 });
  });

  it('parses offsets and nanoseconds', () => {
    const [alert] = parseNotification(
      grafanaBody({ startsAt: '2026-11-24T15:32:00.123456789+05:30', endsAt: '2026-11-24T02:32:00-08:00' }),
    ).alerts;
    assert.equal(alert?.startsAtMs, Date.UTC(2026, 10, 24, 10, 2, 0, 123));
    assert.equal(alert?.endsAtMs, Date.UTC(2026, 10, 24, 10, 32, 0));
  });
});

describe('parseNotification fingerprint', () => {
  it('hashes the labels when missing', () => {
    const [alert] = parseNotification(grafanaBody({ labels: { alertname: 'A', team: 'x' } })).alerts;
    assert.equal(alert?.fingerprint, fingerprintLabels({ alertname: 'A', team: 'x' }));
  });

  for (const fingerprint of ['', null]) {
    it(`hashes the labels when ${JSON.stringify(fingerprint)}`, () => {
      const [alert] = parseNotification(grafanaBody({ fingerprint, labels: { alertname: 'A' } })).alerts;
      assert.equal(alert?.fingerprint, fingerprintLabels({ alertname: 'A' }));
    });
  }

  it('has 16 hex digits', () => {
    assert.match(fingerprintLabels({ alertname: 'A' }), /^[0-9a-f]{16}$/);
  });

  it('ignores label order', () => {
    assert.equal(fingerprintLabels({ a: '1', b: '2' }), fingerprintLabels({ b: '2', a: '1' }));
  });

  it('differs by label value', () => {
    assert.notEqual(fingerprintLabels({ a: '1' }), fingerprintLabels({ a: '2' }));
  });

  it('differs by label boundary', () => {
    assert.notEqual(fingerprintLabels({ a: 'b,c' }), fingerprintLabels({ a: 'b', c: '' }));
  });

  it('is stable across releases', () => {
    assert.equal(fingerprintLabels({}), '4f53cda18c2baa0c');
  });
});

describe('parseNotification errors', () => {
  const threeAlerts = (third: Record<string, unknown>): unknown => ({
    version: '1',
    status: 'firing',
    alerts: [
      { startsAt: '2026-11-24T10:02:00Z' },
      { startsAt: '2026-11-24T10:02:00Z' },
      { startsAt: '2026-11-24T10:02:00Z', ...third },
    ],
  });

  const cases: Array<{ name: string; body: unknown; field: string | undefined }> = [
    { name: 'null body', body: null, field: undefined },
    { name: 'array body', body: [], field: undefined },
    { name: 'string body', body: 'alert', field: undefined },
    { name: 'missing version', body: { status: 'firing', alerts: [] }, field: 'version' },
    { name: 'unknown version', body: grafanaBody({}, { version: '2' }), field: 'version' },
    { name: 'numeric version', body: grafanaBody({}, { version: 4 }), field: 'version' },
    { name: 'missing status', body: grafanaBody({}, { status: undefined }), field: 'status' },
    { name: 'unknown status', body: grafanaBody({}, { status: 'pending' }), field: 'status' },
    { name: 'missing alerts', body: grafanaBody({}, { alerts: undefined }), field: 'alerts' },
    { name: 'object alerts', body: grafanaBody({}, { alerts: {} }), field: 'alerts' },
    { name: 'numeric receiver', body: grafanaBody({}, { receiver: 7 }), field: 'receiver' },
    { name: 'numeric externalURL', body: grafanaBody({}, { externalURL: 1 }), field: 'externalURL' },
    { name: 'alert not object', body: grafanaBody({}, { alerts: [5] }), field: 'alerts[0]' },
    { name: 'missing startsAt', body: grafanaBody({ startsAt: undefined }), field: 'alerts[0].startsAt' },
    { name: 'numeric startsAt', body: grafanaBody({ startsAt: 1795514520 }), field: 'alerts[0].startsAt' },
    { name: 'text startsAt', body: threeAlerts({ startsAt: 'yesterday' }), field: 'alerts[2].startsAt' },
    { name: 'zero startsAt', body: grafanaBody({ startsAt: '0001-01-01T00:00:00Z' }), field: 'alerts[0].startsAt' },
    { name: 'text endsAt', body: threeAlerts({ endsAt: 'soon' }), field: 'alerts[2].endsAt' },
    { name: 'numeric endsAt', body: grafanaBody({ endsAt: 0 }), field: 'alerts[0].endsAt' },
    { name: 'unknown alert status', body: grafanaBody({ status: 'pending' }), field: 'alerts[0].status' },
    { name: 'numeric label', body: grafanaBody({ labels: { team: 5 } }), field: 'alerts[0].labels.team' },
    { name: 'dotted label name', body: grafanaBody({ labels: { 'a.b': 5 } }), field: 'alerts[0].labels["a.b"]' },
    { name: 'array labels', body: grafanaBody({ labels: ['a'] }), field: 'alerts[0].labels' },
    { name: 'text annotations', body: grafanaBody({ annotations: 'x' }), field: 'alerts[0].annotations' },
    { name: 'text value', body: grafanaBody({ values: { B: 'high' } }), field: 'alerts[0].values.B' },
    { name: 'numeric generatorURL', body: grafanaBody({ generatorURL: 42 }), field: 'alerts[0].generatorURL' },
    { name: 'numeric fingerprint', body: grafanaBody({ fingerprint: 1 }), field: 'alerts[0].fingerprint' },
  ];

  for (const testCase of cases) {
    it(`rejects ${testCase.name}`, () => {
      const error = parseError(testCase.body);

      assert.equal(error.code, 'NOTIFICATION_INVALID');
      assert.equal(error.statusCode, 400);
      assert.equal(error.field, testCase.field);
      assert.ok(error.message.startsWith(testCase.field ?? 'The notification body'), error.message);
    });
  }

  it('names the value and the fix for a bad timestamp', () => {
    const error = parseError(threeAlerts({ startsAt: 'yesterday' }));
    assert.equal(
      error.message,
      "alerts[2].startsAt must be an RFC 3339 timestamp such as 2026-11-24T10:02:00Z, got 'yesterday'",
    );
  });

  it('names the allowed versions', () => {
    const error = parseError(grafanaBody({}, { version: '2' }));
    assert.equal(
      error.message,
      "version must be '1' for a Grafana webhook body or '4' for an Alertmanager webhook body, got '2'",
    );
  });

  it('names the expected type', () => {
    const error = parseError(grafanaBody({ labels: { team: 5 } }));
    assert.equal(error.message, 'alerts[0].labels.team must be a string, got 5');
  });

  it('names what a missing field needs', () => {
    const error = parseError(grafanaBody({ startsAt: undefined }));
    assert.equal(
      error.message,
      'alerts[0].startsAt is missing (expected an RFC 3339 timestamp such as 2026-11-24T10:02:00Z)',
    );
  });

  it('names a non-object body', () => {
    const error = parseError('alert');
    assert.equal(error.message, "The notification body must be a JSON object, got 'alert'");
  });
});
