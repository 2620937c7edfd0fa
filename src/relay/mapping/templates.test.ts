import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import type { FieldTemplates, TemplateField } from '../../contract/profile.js';
import { RelayError } from '../errors.js';
import type { NormalizedAlert } from '../ingest/notification.js';
import { mapAlert, type MappedAlert, type MappingContext, type MessageFields } from './map-alert.js';
import {
  buildTemplateContext,
  compileFieldTemplate,
  renderFieldTemplate,
  type TemplateContext,
} from './templates.js';

const ALERT: NormalizedAlert = {
  status: 'firing',
  labels: { alertname: 'HighCPU', instance: 'api-01:9100', team: 'platform', n: '4' },
  annotations: { summary: 'CPU above 90% <now> & rising' },
  startsAtMs: Date.UTC(2026, 10, 24, 10, 2, 0, 250),
  endsAtMs: null,
  generatorURL: 'https://grafana.example.internal/alerting/grafana/bf3k2x9a7q1s0c/view?orgId=1',
  dashboardURL: null,
  panelURL: null,
  silenceURL: null,
  fingerprint: '3f9c1a7e2b6d4e10',
  ruleUID: 'bf3k2x9a7q1s0c',
  values: { B: 93.4, C: 1 },
  valueString: null,
};

const PROFILE = { uid: 'noc-main', name: 'NOC main', projectName: 'Grafana', level: 'Warning' };

function mapWithTemplates(templates: FieldTemplates, alert: NormalizedAlert = ALERT): MessageFields {
  const context: MappingContext = {
    profile: { ...PROFILE, levelFromLabel: null, templates },
    grafanaUrl: null,
    externalURL: 'https://grafana.example.internal/',
    receivedAtMs: Date.UTC(2026, 10, 24, 14, 0, 0),
  };
  const mapped: MappedAlert = mapAlert(alert, context);
  assert.equal(mapped.kind, 'message');
  return (mapped as Extract<MappedAlert, { kind: 'message' }>).fields;
}

function render(source: string, defaultValue: unknown = ''): string | undefined {
  const context = buildTemplateContext(ALERT, PROFILE, 'https://grafana.example.internal/');
  return renderFieldTemplate(compileFieldTemplate('trigger', source), { ...context, default: defaultValue });
}

function compileError(field: TemplateField, source: string): RelayError {
  try {
    compileFieldTemplate(field, source);
  } catch (error) {
    if (error instanceof RelayError) return error;
    throw error;
  }
  assert.fail(`compileFieldTemplate accepted ${source}`);
}

describe('template context', () => {
  it('exposes the alert', () => {
    const context = buildTemplateContext(ALERT, PROFILE, 'https://grafana.example.internal/');
    assert.deepEqual(context, {
      labels: ALERT.labels,
      annotations: ALERT.annotations,
      alert: {
        status: 'firing',
        startsAt: '2026-11-24T10:02:00Z',
        endsAt: null,
        fingerprint: '3f9c1a7e2b6d4e10',
        generatorURL: ALERT.generatorURL,
        dashboardURL: null,
        panelURL: null,
        silenceURL: null,
        ruleUID: 'bf3k2x9a7q1s0c',
        values: { B: 93.4, C: 1 },
        valueString: null,
      },
      profile: PROFILE,
      externalURL: 'https://grafana.example.internal/',
    });
  });

  const cases: Array<[string, string]> = [
    ['{{labels.instance}}', 'api-01:9100'],
    ['{{annotations.summary}}', 'CPU above 90% <now> & rising'],
    ['{{alert.status}} since {{alert.startsAt}}', 'firing since 2026-11-24T10:02:00Z'],
    ['{{alert.values.B}}', '93.4'],
    ['{{profile.name}} / {{profile.uid}}', 'NOC main / noc-main'],
    ['{{externalURL}}', 'https://grafana.example.internal/'],
    ['{{default}}!', 'fallback!'],
    ['{{#each labels}}{{@key}}={{this}};{{/each}}', 'alertname=HighCPU;instance=api-01:9100;team=platform;n=4;'],
    ['{{#if labels.team}}team {{labels.team}}{{else}}no team{{/if}}', 'team platform'],
    ['  padded  ', 'padded'],
  ];

  for (const [source, expected] of cases) {
    it(`renders ${source}`, () => {
      assert.equal(render(source, 'fallback'), expected);
    });
  }

  it('renders a missing value as empty', () => {
    assert.equal(render('[{{labels.missing}}{{labels.missing.deeper}}]'), '[]');
  });

  it('denies prototype properties', () => {
    assert.equal(render('[{{labels.constructor}}{{labels.__proto__}}{{alert.constructor.name}}]'), '[]');
  });
});

describe('template helpers', () => {
  const cases: Array<[string, string | undefined]> = [
    ['{{coalesce labels.service labels.team "none"}}', 'platform'],
    ['{{coalesce labels.service "none"}}', 'none'],
    ['{{coalesce labels.service}}', undefined],
    ['{{upper labels.team}}', 'PLATFORM'],
    ['{{lower "NOC"}}', 'noc'],
    ['{{upper labels.missing}}', undefined],
    ['{{upper}}', undefined],
    ['{{json alert.values}}', '{"B":93.4,"C":1}'],
    ['{{json labels.team}}', '"platform"'],
    ['{{json}}', undefined],
  ];

  for (const [source, expected] of cases) {
    it(`renders ${source}`, () => {
      assert.equal(render(source), expected);
    });
  }
});

describe('compileFieldTemplate', () => {
  it('caches by source', () => {
    const first = compileFieldTemplate('trigger', '{{labels.alertname}} cached');
    const second = compileFieldTemplate('task_name', '{{labels.alertname}} cached');
    assert.equal(first, second);
  });

  const invalidCases: Array<[string, string]> = [
    ['unclosed mustache', '{{labels.alertname'],
    ['unclosed block', '{{#if labels.team}}x'],
    ['mismatched block', '{{#if labels.team}}x{{/each}}'],
    ['unknown helper', '{{shout labels.team}}'],
    ['unknown partial', '{{> header}}'],
    ['with without argument', '{{#with}}x{{/with}}'],
  ];

  for (const [name, source] of invalidCases) {
    it(`rejects ${name}`, () => {
      const error = compileError('task_name', source);

      assert.equal(error.code, 'PROFILE_INVALID');
      assert.equal(error.field, 'templates.task_name');
      assert.ok(error.message.startsWith('templates.task_name is not a valid Handlebars template: '), error.message);
      assert.equal(error.message.includes('\n'), false);
    });
  }

  it('names the parse error', () => {
    const error = compileError('trigger', '{{labels.alertname');
    assert.equal(
      error.message,
      "templates.trigger is not a valid Handlebars template: Parse error on line 1 near '{{labels.alertname', " +
        "expecting 'ID', got 'INVALID'",
    );
  });

  it('names the missing helper', () => {
    const error = compileError('trigger', '{{shout labels.team}}');
    assert.equal(error.message, 'templates.trigger is not a valid Handlebars template: Missing helper: "shout"');
  });
});

describe('renderFieldTemplate', () => {
  it('returns undefined when rendering throws', () => {
    const context = { ...buildTemplateContext(ALERT, PROFILE, null), default: '' } as TemplateContext;
    const throwing = (): string => {
      throw new Error('boom');
    };
    assert.equal(renderFieldTemplate(throwing, context), undefined);
  });

  it('returns undefined for whitespace', () => {
    assert.equal(render(' \n\t '), undefined);
  });
});

describe('mapAlert templates', () => {
  it('overrides a required field', () => {
    const fields = mapWithTemplates({ trigger: '{{labels.alertname}} on {{labels.instance}}' });
    assert.equal(fields.trigger, 'HighCPU on api-01:9100');
  });

  it('passes the default value', () => {
    const fields = mapWithTemplates({ task_name: '{{profile.name}}: {{default}}' });
    assert.equal(fields.task_name, 'NOC main: api-01:9100');
  });

  it('keeps the default of an empty required field', () => {
    const fields = mapWithTemplates({ trigger: '{{labels.missing}}', level: '   ' });
    assert.equal(fields.trigger, 'HighCPU');
    assert.equal(fields.level, 'Warning');
  });

  it('ignores an empty template source', () => {
    assert.equal(mapWithTemplates({ trigger: '' }).trigger, 'HighCPU');
  });

  it('sets an optional field', () => {
    const fields = mapWithTemplates({ subtask_description: '{{annotations.summary}}' });
    assert.equal(fields.subtask_description, 'CPU above 90% <now> & rising');
  });

  it('leaves out an empty optional field', () => {
    const alert = { ...ALERT, labels: { ...ALERT.labels, subtask_uri: 'udp://239.1.1.7:1234' } };
    const fields = mapWithTemplates({ subtask_uri: '{{labels.missing}}' }, alert);
    assert.equal('subtask_uri' in fields, false);
  });

  it('parses a count', () => {
    assert.equal(mapWithTemplates({ count: '{{labels.n}}' }).count, 4);
  });

  it('leaves out an invalid count', () => {
    const fields = mapWithTemplates({ count: '{{labels.team}}' });
    assert.equal('count' in fields, false);
  });

  it('leaves out an empty event count', () => {
    const alert = { ...ALERT, labels: { ...ALERT.labels, boro_type: 'event' } };
    const fields = mapWithTemplates({ count: '{{labels.missing}}' }, alert);
    assert.equal('count' in fields, false);
  });

  it('parses a pid', () => {
    assert.equal(mapWithTemplates({ pid: '{{labels.n}}00' }).pid, 400);
  });

  it('parses details JSON', () => {
    const fields = mapWithTemplates({ details: '{{json alert.values}}' });
    assert.deepEqual(fields.details, { B: 93.4, C: 1 });
  });

  it('leaves out details that are not JSON', () => {
    const fields = mapWithTemplates({ details: '{{annotations.summary}}' });
    assert.equal('details' in fields, false);
  });

  it('overrides level and project_name', () => {
    const fields = mapWithTemplates({ level: '{{upper default}}', project_name: 'Team {{labels.team}}' });
    assert.equal(fields.level, 'WARNING');
    assert.equal(fields.project_name, 'Team platform');
  });

  it('keeps defaults for an invalid stored template', () => {
    const fields = mapWithTemplates({ trigger: '{{#if}}', task_name: '{{labels.team}}' });
    assert.equal(fields.trigger, 'HighCPU');
    assert.equal(fields.task_name, 'platform');
  });

  it('keeps the key order', () => {
    const fields = mapWithTemplates({ details: '{"a":1}', subtask_uri: 'u', probe_name: 'p' });
    const keys = Object.keys(fields);
    assert.ok(keys.indexOf('subtask_uri') < keys.indexOf('trigger'));
    assert.equal(keys.at(-1), 'details');
  });
});
