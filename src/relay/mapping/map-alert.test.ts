import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';

import { BORO_MESSAGE_KEYS } from '../../contract/message.js';
import type { NormalizedAlert } from '../ingest/notification.js';
import { parseNotification } from '../ingest/parse-notification.js';
import {
  isGrafanaTestAlert,
  mapAlert,
  type MappedAlert,
  type MappingContext,
  type MappingProfile,
  type MessageFields,
} from './map-alert.js';

const FIXTURES_DIR = new URL('../../../tests/fixtures/', import.meta.url);
const RECEIVED_AT_MS = Date.UTC(2026, 10, 24, 14, 0, 0);
const PROFILE_LINK = 'https://grafana.example.internal/a/boro-webhook-app/profiles/noc-main';

const PROFILE: MappingProfile = {
  uid: 'noc-main',
  name: 'NOC main',
  projectName: 'Grafana',
  level: 'Warning',
  levelFromLabel: null,
  templates: {},
};

function makeContext(overrides: Partial<MappingContext> = {}): MappingContext {
  return {
    profile: PROFILE,
    grafanaUrl: 'https://grafana.example.internal/',
    externalURL: 'https://grafana.example.internal/',
    receivedAtMs: RECEIVED_AT_MS,
    ...overrides,
  };
}

function makeAlert(overrides: Partial<NormalizedAlert> = {}): NormalizedAlert {
  return {
    status: 'firing',
    labels: { alertname: 'HighCPU' },
    annotations: {},
    startsAtMs: Date.UTC(2026, 10, 24, 10, 2, 0),
    endsAtMs: null,
    generatorURL: null,
    dashboardURL: null,
    panelURL: null,
    silenceURL: null,
    fingerprint: '3f9c1a7e2b6d4e10',
    ruleUID: null,
    values: null,
    valueString: null,
    ...overrides,
  };
}

function mapFixture(file: string, context: Partial<MappingContext> = {}): MappedAlert[] {
  const body: unknown = JSON.parse(readFileSync(new URL(file, FIXTURES_DIR), 'utf8'));
  const notification = parseNotification(body);
  return notification.alerts.map((alert) =>
    mapAlert(alert, makeContext({ externalURL: notification.externalURL, ...context })),
  );
}

function messageOf(mapped: MappedAlert | undefined): Extract<MappedAlert, { kind: 'message' }> {
  assert.equal(mapped?.kind, 'message');
  return mapped as Extract<MappedAlert, { kind: 'message' }>;
}

function fieldsOf(alert: NormalizedAlert, context: Partial<MappingContext> = {}): MessageFields {
  return messageOf(mapAlert(alert, makeContext(context))).fields;
}

const HIGH_CPU_RULE_URL = 'https://grafana.example.internal/alerting/grafana/bf3k2x9a7q1s0c/view?orgId=1';
const DISK_RULE_URL = 'https://grafana.example.internal/alerting/grafana/c7d2m4p0z8w3ke/view?orgId=1';
const CC_ERRORS_URL = 'http://prometheus.example.internal/graph?g0.expr=cc_errors';
const CRASH_LOOP_URL =
  'http://prometheus.example.internal:9090/graph?g0.expr=max_over_time%28kube_pod_container_status_waiting_reason%7Breason%3D%22CrashLoopBackOff%22%7D%5B5m%5D%29+%3E%3D+1&g0.tab=1';

describe('mapAlert fixtures', () => {
  const cases: Array<{ file: string; expected: MessageFields[] }> = [
    {
      file: 'grafana-webhook-firing.json',
      expected: [
        {
          project_name: 'Grafana',
          probe_name: 'grafana.example.internal',
          task_uri: 'api-01:9100',
          task_name: 'api-01:9100',
          trigger: 'HighCPU',
          status: 'Active',
          level: 'Warning',
          time: '2026-11-24T09:12:30Z',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: HIGH_CPU_RULE_URL },
            {
              type: 'subtask',
              href: 'https://grafana.example.internal/d/node-overview?from=1795507950000&orgId=1&to=1795511640000&viewPanel=4',
            },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
      ],
    },
    {
      file: 'grafana-webhook-resolved.json',
      expected: [
        {
          project_name: 'Grafana',
          probe_name: 'grafana.example.internal',
          task_uri: 'api-01:9100',
          task_name: 'api-01:9100',
          trigger: 'HighCPU',
          status: 'Cleared',
          level: 'Warning',
          time: '2026-11-24T09:12:30Z',
          time_end: '2026-11-24T09:31:00Z',
          duration: '18 min 30 s',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: HIGH_CPU_RULE_URL },
            {
              type: 'subtask',
              href: 'https://grafana.example.internal/d/node-overview?from=1795507950000&orgId=1&to=1795512660000&viewPanel=4',
            },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
      ],
    },
    {
      file: 'grafana-webhook-mixed-grafana11.json',
      expected: [
        {
          project_name: 'Grafana',
          probe_name: 'grafana.example.internal',
          task_uri: 'db-02:9100',
          task_name: 'db-02:9100',
          trigger: 'DiskFillingUp',
          status: 'Active',
          level: 'Warning',
          time: '2026-11-24T10:02:00Z',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: DISK_RULE_URL },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
        {
          project_name: 'Grafana',
          probe_name: 'grafana.example.internal',
          task_uri: 'db-01:9100',
          task_name: 'db-01:9100',
          trigger: 'DiskFillingUp',
          status: 'Cleared',
          level: 'Warning',
          time: '2026-11-24T09:40:00Z',
          time_end: '2026-11-24T10:01:00Z',
          duration: '21 min',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: DISK_RULE_URL },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
      ],
    },
    {
      file: 'grafana-webhook-nodata.json',
      expected: [
        {
          project_name: 'Grafana',
          probe_name: 'grafana.example.internal',
          task_uri: HIGH_CPU_RULE_URL,
          task_name: 'HighCPU',
          trigger: 'HighCPU (no data)',
          status: 'Active',
          level: 'Warning',
          time: '2026-11-24T11:05:00Z',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: HIGH_CPU_RULE_URL },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
      ],
    },
    {
      file: 'grafana-webhook-error.json',
      expected: [
        {
          project_name: 'Grafana',
          probe_name: 'grafana.example.internal',
          task_uri: HIGH_CPU_RULE_URL,
          task_name: 'HighCPU',
          trigger: 'HighCPU (error)',
          status: 'Active',
          level: 'Warning',
          time: '2026-11-24T11:20:00Z',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: HIGH_CPU_RULE_URL },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
      ],
    },
    {
      file: 'grafana-webhook-nodata-as-alerting.json',
      expected: [
        {
          project_name: 'Grafana',
          probe_name: 'grafana.example.internal',
          task_uri: 'https://grafana.example.internal/alerting/grafana/e1q9v5n2r6t8ya/view?orgId=1',
          task_name: 'QueueLagHigh',
          trigger: 'QueueLagHigh',
          status: 'Active',
          level: 'Warning',
          time: '2026-11-24T12:00:00Z',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: 'https://grafana.example.internal/alerting/grafana/e1q9v5n2r6t8ya/view?orgId=1' },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
      ],
    },
    {
      file: 'grafana-webhook-test.json',
      expected: [
        {
          project_name: 'Grafana',
          probe_name: 'grafana.example.internal',
          task_uri: 'Grafana',
          task_name: 'Grafana',
          trigger: 'TestAlert',
          status: 'Event',
          level: 'Warning',
          time: '2026-11-24T14:00:00Z',
          profile_name: 'NOC main',
          links: [{ type: 'profile', href: PROFILE_LINK }],
          count: 1,
        },
      ],
    },
    {
      file: 'alertmanager-webhook.json',
      expected: [
        {
          project_name: 'Grafana',
          probe_name: 'alertmanager.example.internal',
          task_uri: CRASH_LOOP_URL,
          task_name: 'KubePodCrashLooping',
          trigger: 'KubePodCrashLooping',
          status: 'Active',
          level: 'Warning',
          time: '2026-11-24T08:55:41Z',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: CRASH_LOOP_URL },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
        {
          project_name: 'Grafana',
          probe_name: 'alertmanager.example.internal',
          task_uri: CRASH_LOOP_URL,
          task_name: 'KubePodCrashLooping',
          trigger: 'KubePodCrashLooping',
          status: 'Cleared',
          level: 'Warning',
          time: '2026-11-24T08:40:11Z',
          time_end: '2026-11-24T09:02:26Z',
          duration: '22 min 15 s',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: CRASH_LOOP_URL },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
      ],
    },
    {
      file: 'alertmanager-0.25-firing.json',
      expected: ['probe-3:9100', 'probe-4:9100'].map((instance) => ({
        project_name: 'Grafana',
        probe_name: 'alertmanager.example.internal',
        task_uri: instance,
        task_name: 'streams',
        trigger: 'StreamContinuityErrors',
        status: 'Active',
        level: 'Warning',
        time: '2026-12-04T19:45:17Z',
        profile_name: 'NOC main',
        links: [
          { type: 'task', href: CC_ERRORS_URL },
          { type: 'profile', href: PROFILE_LINK },
        ],
      })),
    },
    {
      file: 'alertmanager-0.25-partial-resolved.json',
      expected: [
        {
          project_name: 'Grafana',
          probe_name: 'alertmanager.example.internal',
          task_uri: 'probe-3:9100',
          task_name: 'streams',
          trigger: 'StreamContinuityErrors',
          status: 'Cleared',
          level: 'Warning',
          time: '2026-12-04T19:45:17Z',
          time_end: '2026-12-04T19:48:17Z',
          duration: '3 min',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: CC_ERRORS_URL },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
        {
          project_name: 'Grafana',
          probe_name: 'alertmanager.example.internal',
          task_uri: 'probe-4:9100',
          task_name: 'streams',
          trigger: 'StreamContinuityErrors',
          status: 'Active',
          level: 'Warning',
          time: '2026-12-04T19:45:17Z',
          profile_name: 'NOC main',
          links: [
            { type: 'task', href: CC_ERRORS_URL },
            { type: 'profile', href: PROFILE_LINK },
          ],
        },
      ],
    },
  ];

  for (const { file, expected } of cases) {
    it(`maps ${file}`, () => {
      const fields = mapFixture(file).map((mapped) => messageOf(mapped).fields);
      assert.deepEqual(fields, expected);
    });
  }

  it('flags only the test alert as test', () => {
    assert.equal(messageOf(mapFixture('grafana-webhook-test.json')[0]).test, true);
    assert.equal(messageOf(mapFixture('grafana-webhook-firing.json')[0]).test, false);
  });

  it('keeps the episode key of the alert', () => {
    const [, resolved] = mapFixture('grafana-webhook-mixed-grafana11.json');
    const message = messageOf(resolved);

    assert.equal(message.fingerprint, '5b02c9e7f1a3d6e8');
    assert.equal(message.startsAtMs, Date.UTC(2026, 10, 24, 9, 40, 0));
    assert.equal(message.endsAtMs, Date.UTC(2026, 10, 24, 10, 1, 0));
  });

  it('takes the level from severity', () => {
    const profile = { ...PROFILE, levelFromLabel: 'severity' };
    const [mapped] = mapFixture('grafana-webhook-firing.json', { profile });
    assert.equal(messageOf(mapped).fields.level, 'critical');
  });
});

describe('isGrafanaTestAlert', () => {
  const testLabels = { alertname: 'TestAlert', instance: 'Grafana' };
  const cases: Array<[string, NormalizedAlert, boolean]> = [
    ['test button alert', makeAlert({ labels: testLabels }), true],
    ['with generatorURL', makeAlert({ labels: testLabels, generatorURL: HIGH_CPU_RULE_URL }), false],
    ['other instance', makeAlert({ labels: { ...testLabels, instance: 'api-01:9100' } }), false],
    ['other alertname', makeAlert({ labels: { ...testLabels, alertname: 'HighCPU' } }), false],
    ['no labels', makeAlert({ labels: {} }), false],
  ];

  for (const [name, alert, expected] of cases) {
    it(`returns ${expected} for ${name}`, () => {
      assert.equal(isGrafanaTestAlert(alert), expected);
    });
  }
});

describe('mapAlert status', () => {
  it('maps firing to Active', () => {
    assert.equal(fieldsOf(makeAlert({ status: 'firing' })).status, 'Active');
  });

  it('maps resolved to Cleared', () => {
    const alert = makeAlert({ status: 'resolved', endsAtMs: Date.UTC(2026, 10, 24, 10, 3, 0) });
    assert.equal(fieldsOf(alert).status, 'Cleared');
  });

  it('maps a firing event to Event', () => {
    const fields = fieldsOf(makeAlert({ labels: { alertname: 'Restart', boro_type: 'event' } }));

    assert.equal(fields.status, 'Event');
    assert.equal(fields.time, '2026-11-24T14:00:00Z');
    assert.equal(fields.count, 1);
    assert.equal('time_end' in fields, false);
    assert.equal('duration' in fields, false);
  });

  it('keeps the count of an event', () => {
    const alert = makeAlert({ labels: { alertname: 'Restart', boro_type: 'event', count: '5' } });
    assert.equal(fieldsOf(alert).count, 5);
  });

  it('drops a resolved event', () => {
    const alert = makeAlert({
      status: 'resolved',
      labels: { alertname: 'Restart', boro_type: 'event' },
      endsAtMs: Date.UTC(2026, 10, 24, 10, 3, 0),
    });
    const mapped = mapAlert(alert, makeContext());

    assert.equal(mapped.kind, 'dropped');
    assert.match((mapped as { reason: string }).reason, /boro_type="event"/);
  });

  it('maps a resolved test alert to Event', () => {
    const alert = makeAlert({ status: 'resolved', labels: { alertname: 'TestAlert', instance: 'Grafana' } });
    const message = messageOf(mapAlert(alert, makeContext()));

    assert.equal(message.test, true);
    assert.equal(message.status, 'Event');
  });

  it('ends a resolved alert without endsAt on arrival', () => {
    const fields = fieldsOf(makeAlert({ status: 'resolved', endsAtMs: null }));

    assert.equal(fields.time_end, '2026-11-24T14:00:00Z');
    assert.equal(fields.duration, '3 h 58 min');
  });

  it('writes 0 s when endsAt precedes startsAt', () => {
    const alert = makeAlert({ status: 'resolved', endsAtMs: Date.UTC(2026, 10, 24, 10, 1, 0) });
    assert.equal(fieldsOf(alert).duration, '0 s');
  });

  it('measures duration on instants', () => {
    const alert = makeAlert({
      status: 'resolved',
      startsAtMs: Date.UTC(2026, 10, 24, 10, 2, 0, 900),
      endsAtMs: Date.UTC(2026, 10, 24, 10, 2, 2, 100),
    });
    const fields = fieldsOf(alert);

    assert.equal(fields.time, '2026-11-24T10:02:00Z');
    assert.equal(fields.time_end, '2026-11-24T10:02:02Z');
    assert.equal(fields.duration, '1 s');
  });

  it('leaves time_end out of Active', () => {
    const fields = fieldsOf(makeAlert({ endsAtMs: Date.UTC(2026, 10, 24, 10, 7, 0) }));
    assert.equal('time_end' in fields, false);
    assert.equal('duration' in fields, false);
  });
});

describe('mapAlert trigger', () => {
  const cases: Array<[string, Record<string, string>, string]> = [
    ['alertname', { alertname: 'HighCPU' }, 'HighCPU'],
    ['no data', { alertname: 'DatasourceNoData', rulename: 'HighCPU' }, 'HighCPU (no data)'],
    ['error', { alertname: 'DatasourceError', rulename: 'HighCPU' }, 'HighCPU (error)'],
    ['no data without rulename', { alertname: 'DatasourceNoData' }, 'DatasourceNoData (no data)'],
    ['error without rulename', { alertname: 'DatasourceError' }, 'DatasourceError (error)'],
    ['no alertname', {}, 'alert 3f9c1a7e2b6d4e10'],
  ];

  for (const [name, labels, expected] of cases) {
    it(`uses ${name}`, () => {
      assert.equal(fieldsOf(makeAlert({ labels })).trigger, expected);
    });
  }

  it('uses ruleUID without alertname', () => {
    assert.equal(fieldsOf(makeAlert({ labels: {}, ruleUID: 'bf3k2x9a7q1s0c' })).trigger, 'bf3k2x9a7q1s0c');
  });
});

describe('mapAlert default fields', () => {
  it('takes project_name from the label', () => {
    assert.equal(fieldsOf(makeAlert({ labels: { alertname: 'A', project_name: 'Core' } })).project_name, 'Core');
  });

  it('takes project_name from the profile', () => {
    const profile = { ...PROFILE, projectName: 'Network' };
    assert.equal(fieldsOf(makeAlert(), { profile }).project_name, 'Network');
  });

  it('defaults an empty project name to Grafana', () => {
    const profile = { ...PROFILE, projectName: '' };
    assert.equal(fieldsOf(makeAlert(), { profile }).project_name, 'Grafana');
  });

  const probeCases: Array<[string, Record<string, string>, string | null, string]> = [
    ['label', { probe_name: 'probe-7' }, 'https://grafana.example.internal/', 'probe-7'],
    ['externalURL host', {}, 'https://grafana.example.internal/', 'grafana.example.internal'],
    ['host without port', {}, 'http://alertmanager.example.internal:9093', 'alertmanager.example.internal'],
    ['IPv6 host', {}, 'http://[::1]:9093/', '::1'],
    ['invalid externalURL', {}, 'not a url', 'grafana'],
    ['no externalURL', {}, null, 'grafana'],
  ];

  for (const [name, labels, externalURL, expected] of probeCases) {
    it(`takes probe_name from ${name}`, () => {
      const alert = makeAlert({ labels: { alertname: 'A', ...labels } });
      assert.equal(fieldsOf(alert, { externalURL }).probe_name, expected);
    });
  }

  const taskCases: Array<[string, Record<string, string>, string | null, string, string]> = [
    ['task labels', { task_uri: 'udp://239.1.1.7', task_name: 'News', job: 'j', instance: 'i' }, 'g', 'udp://239.1.1.7', 'News'],
    ['job and instance', { job: 'node', instance: 'db-02:9100' }, 'g', 'db-02:9100', 'node'],
    ['instance', { instance: 'db-02:9100' }, 'g', 'db-02:9100', 'db-02:9100'],
    ['generatorURL', {}, HIGH_CPU_RULE_URL, HIGH_CPU_RULE_URL, 'A'],
    ['rule name', {}, null, 'A', 'A'],
    ['empty labels', { task_uri: '', job: '', instance: '' }, null, 'A', 'A'],
  ];

  for (const [name, labels, generatorURL, taskUri, taskName] of taskCases) {
    it(`takes task fields from ${name}`, () => {
      const fields = fieldsOf(makeAlert({ labels: { alertname: 'A', ...labels }, generatorURL }));
      assert.equal(fields.task_uri, taskUri);
      assert.equal(fields.task_name, taskName);
    });
  }

  it('takes the rule name of a no-data alert as task_name', () => {
    const labels = { alertname: 'DatasourceNoData', rulename: 'HighCPU' };
    assert.equal(fieldsOf(makeAlert({ labels })).task_name, 'HighCPU');
  });

  it('takes subtask fields from labels', () => {
    const labels = { alertname: 'A', subtask_uri: 'udp://239.1.1.7:1234', subtask_description: 'Channel 7' };
    const fields = fieldsOf(makeAlert({ labels }));

    assert.equal(fields.subtask_uri, 'udp://239.1.1.7:1234');
    assert.equal(fields.subtask_description, 'Channel 7');
  });

  it('leaves empty subtask labels out', () => {
    const fields = fieldsOf(makeAlert({ labels: { alertname: 'A', subtask_uri: '' } }));
    assert.equal('subtask_uri' in fields, false);
  });

  const levelCases: Array<[string, string | null, Record<string, string>, string, string]> = [
    ['label', 'severity', { severity: 'critical' }, 'Warning', 'critical'],
    ['missing label', 'severity', {}, 'Minor', 'Minor'],
    ['empty label', 'severity', { severity: '' }, 'Minor', 'Minor'],
    ['no levelFromLabel', null, { severity: 'critical' }, 'Minor', 'Minor'],
    ['inherited name', 'constructor', {}, 'Minor', 'Minor'],
    ['empty profile level', null, {}, '', 'Warning'],
  ];

  for (const [name, levelFromLabel, labels, level, expected] of levelCases) {
    it(`takes level from ${name}`, () => {
      const profile = { ...PROFILE, levelFromLabel, level };
      assert.equal(fieldsOf(makeAlert({ labels: { alertname: 'A', ...labels } }), { profile }).level, expected);
    });
  }
});

describe('mapAlert links', () => {
  it('prefers panelURL to dashboardURL', () => {
    const alert = makeAlert({ generatorURL: 'https://g/rule', panelURL: 'https://g/panel', dashboardURL: 'https://g/d' });
    assert.deepEqual(fieldsOf(alert, { grafanaUrl: null }).links, [
      { type: 'task', href: 'https://g/rule' },
      { type: 'subtask', href: 'https://g/panel' },
    ]);
  });

  it('falls back to dashboardURL', () => {
    const alert = makeAlert({ dashboardURL: 'https://g/d' });
    assert.deepEqual(fieldsOf(alert, { grafanaUrl: null }).links, [{ type: 'subtask', href: 'https://g/d' }]);
  });

  it('strips trailing slashes from the Grafana URL', () => {
    const links = fieldsOf(makeAlert(), { grafanaUrl: 'https://grafana.example/sub//' }).links;
    assert.deepEqual(links, [{ type: 'profile', href: 'https://grafana.example/sub/a/boro-webhook-app/profiles/noc-main' }]);
  });

  it('leaves links out when none has an href', () => {
    const fields = fieldsOf(makeAlert(), { grafanaUrl: null });
    assert.equal('links' in fields, false);
  });
});

describe('mapAlert Boro extras', () => {
  const cases: Array<{
    name: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    expected: Partial<MessageFields>;
  }> = [
    { name: 'decimal pid', labels: { pid: '256' }, expected: { pid: 256 } },
    { name: 'hex pid', annotations: { pid: '0x100' }, expected: { pid: '0x100' } },
    { name: 'label pid first', labels: { pid: '256' }, annotations: { pid: '257' }, expected: { pid: 256 } },
    {
      name: 'count_by_pids JSON',
      annotations: { count_by_pids: '{"256": 3, "257": 1}' },
      expected: { count_by_pids: { '256': 3, '257': 1 } },
    },
    { name: 'invalid count_by_pids', annotations: { count_by_pids: '{256: 3}' }, expected: {} },
    { name: 'count', labels: { count: '12' }, expected: { count: 12 } },
    { name: 'zero count', labels: { count: '0' }, expected: { count: 0 } },
    { name: 'negative count', labels: { count: '-1' }, expected: {} },
    { name: 'fractional count', labels: { count: '1.5' }, expected: {} },
    { name: 'text count', labels: { count: 'many' }, expected: {} },
    { name: 'details JSON', annotations: { details: '{"errors": [1, 2]}' }, expected: { details: { errors: [1, 2] } } },
    { name: 'details text', annotations: { details: 'not JSON' }, expected: {} },
    { name: 'details null', annotations: { details: 'null' }, expected: {} },
  ];

  for (const { name, labels = {}, annotations = {}, expected } of cases) {
    it(`reads ${name}`, () => {
      const fields = fieldsOf(makeAlert({ labels: { alertname: 'A', ...labels }, annotations }));
      const extras = {
        pid: fields.pid,
        count_by_pids: fields.count_by_pids,
        count: fields.count,
        details: fields.details,
      };
      const expectedExtras = { pid: undefined, count_by_pids: undefined, count: undefined, details: undefined, ...expected };
      assert.deepEqual(extras, expectedExtras);
    });
  }
});

describe('mapAlert key order', () => {
  it('follows the Boro key order', () => {
    const alert = makeAlert({
      status: 'resolved',
      endsAtMs: Date.UTC(2026, 10, 24, 11, 0, 0),
      generatorURL: 'https://g/rule',
      labels: {
        details: '{"a": 1}',
        count: '2',
        pid: '256',
        alertname: 'A',
        subtask_description: 'd',
        subtask_uri: 'u',
        count_by_pids: '{"256": 2}',
      },
    });
    const keys = Object.keys(fieldsOf(alert));
    const expectedKeys = BORO_MESSAGE_KEYS.filter((key) => keys.includes(key));

    assert.deepEqual(keys, expectedKeys);
    assert.equal(keys.length, 18);
  });

  it('writes no undefined keys', () => {
    const fields = fieldsOf(makeAlert(), { grafanaUrl: null });
    assert.deepEqual(Object.keys(fields), [
      'project_name',
      'probe_name',
      'task_uri',
      'task_name',
      'trigger',
      'status',
      'level',
      'time',
      'profile_name',
    ]);
  });
});
