import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

import type { BoroMessage } from '../../contract/message.js';
import { SLACK_LIMITS, buildSlackMessage, escapeMrkdwn, truncateMrkdwn, truncatePlainText } from './slack-message.js';

interface TextObject {
  type: string;
  text: string;
  emoji?: boolean;
}

interface Block {
  type: string;
  text?: TextObject;
  fields?: TextObject[];
  elements?: Array<{ type: string; action_id: string; text: TextObject; url: string }>;
}

const cleared: BoroMessage = {
  version: '1',
  sequenceId: 42,
  referenceNumber: 41,
  project_name: 'Grafana',
  probe_name: 'grafana.example.internal',
  task_uri: 'db-02:9100',
  task_name: 'node',
  trigger: 'DiskFillingUp',
  status: 'Cleared',
  level: 'Warning',
  time: '2026-11-24T09:40:00Z',
  time_end: '2026-11-24T10:01:00Z',
  duration: '21 min',
  profile_name: 'NOC main',
  links: [
    { type: 'task', href: 'https://grafana.example/alerting/grafana/abc/view' },
    { type: 'subtask', href: 'https://grafana.example/d/xyz?viewPanel=2' },
    { type: 'profile', href: 'https://grafana.example/a/boro-webhook-app/profiles/noc-main' },
  ],
};

function blocksOf(message: BoroMessage): Block[] {
  return buildSlackMessage(message).blocks as Block[];
}

function allTexts(blocks: Block[]): TextObject[] {
  return blocks.flatMap((block) => [
    ...(block.text === undefined ? [] : [block.text]),
    ...(block.fields ?? []),
    ...(block.elements ?? []).map((element) => element.text),
  ]);
}

/** True when the string has a lone surrogate: a UTF-16 code unit that is half of a broken pair. */
function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** True when an `&` is not the start of one of the three Slack escapes. */
function hasBrokenEscape(text: string): boolean {
  return /&(?!amp;|lt;|gt;)/.test(text);
}

function assertWithinLimits(message: BoroMessage): void {
  const { text, blocks } = buildSlackMessage(message);
  const typed = blocks as Block[];

  assert.ok(text.length <= SLACK_LIMITS.fallbackText, `fallback text has ${text.length} code units`);
  assert.ok(typed.length <= SLACK_LIMITS.blocks, `${typed.length} blocks`);
  for (const block of typed) {
    if (block.type === 'header') assert.ok((block.text?.text.length ?? 0) <= SLACK_LIMITS.headerText, 'header text');
    if (block.type === 'section' && block.text !== undefined) assert.ok(block.text.text.length <= SLACK_LIMITS.sectionText, 'section text');
    for (const field of block.fields ?? []) assert.ok(field.text.length <= SLACK_LIMITS.fieldText, `field ${field.text.slice(0, 20)}`);
    assert.ok((block.fields ?? []).length <= SLACK_LIMITS.fieldsPerSection, 'fields per section');
    assert.ok((block.elements ?? []).length <= SLACK_LIMITS.actionElements, 'action elements');
    for (const element of block.elements ?? []) {
      assert.ok(element.text.text.length <= SLACK_LIMITS.buttonText, 'button text');
      assert.ok(element.url.length <= SLACK_LIMITS.buttonUrl, 'button url');
    }
  }
  for (const textObject of allTexts(typed)) {
    assert.equal(hasLoneSurrogate(textObject.text), false, `lone surrogate in ${textObject.text.slice(-20)}`);
    assert.ok(textObject.text.length > 0, 'empty text');
  }
  assert.equal(hasLoneSurrogate(text), false);
}

describe('buildSlackMessage layout', () => {
  it('starts with a header', () => {
    const [header] = blocksOf(cleared);

    assert.deepEqual(header, { type: 'header', text: { type: 'plain_text', text: '✅ Cleared: DiskFillingUp', emoji: true } });
  });

  for (const [status, emoji] of [['Active', '🔴'], ['Cleared', '✅'], ['Event', 'ℹ️']] as const) {
    it(`marks ${status} with ${emoji}`, () => {
      const [header] = blocksOf({ ...cleared, status });

      assert.ok(header?.text?.text.startsWith(`${emoji} ${status}: `));
    });
  }

  it('lists the fields', () => {
    const section = blocksOf(cleared)[1];

    assert.deepEqual(
      section?.fields?.map((field) => field.text),
      [
        '*Project*\nGrafana',
        '*Probe*\ngrafana.example.internal',
        '*Task*\nnode\ndb-02:9100',
        '*Level*\nWarning',
        '*Time*\n2026-11-24T09:40:00Z',
        '*Ended*\n2026-11-24T10:01:00Z',
        '*Duration*\n21 min',
        '*Sequence*\n42 (reference 41)',
        '*Profile*\nNOC main',
      ],
    );
  });

  it('marks fields as mrkdwn', () => {
    const section = blocksOf(cleared)[1];

    assert.ok(section?.fields?.every((field) => field.type === 'mrkdwn'));
  });

  it('omits absent fields', () => {
    const { referenceNumber, time_end, duration, ...event } = cleared;
    const section = blocksOf({ ...event, status: 'Event', task_uri: 'node' })[1];
    const labels = section?.fields?.map((field) => field.text.split('\n')[0]);

    assert.deepEqual(labels, ['*Project*', '*Probe*', '*Task*', '*Level*', '*Time*', '*Sequence*', '*Profile*']);
  });

  it('splits sections at 10 fields', () => {
    const message = { ...cleared, subtask_uri: 'disk /var', subtask_description: 'Disk /var', pid: 'p-1', count: 3 };
    const sections = blocksOf(message).filter((block) => block.fields !== undefined);

    assert.deepEqual(
      sections.map((section) => section.fields?.length),
      [10, 2],
    );
  });

  it('turns links into buttons', () => {
    const actions = blocksOf(cleared).find((block) => block.type === 'actions');

    assert.deepEqual(
      actions?.elements?.map((element) => [element.text.text, element.url]),
      [
        ['Open task', 'https://grafana.example/alerting/grafana/abc/view'],
        ['Open subtask', 'https://grafana.example/d/xyz?viewPanel=2'],
        ['Open profile', 'https://grafana.example/a/boro-webhook-app/profiles/noc-main'],
      ],
    );
  });

  it('gives buttons unique action ids', () => {
    const actions = blocksOf(cleared).find((block) => block.type === 'actions');
    const ids = actions?.elements?.map((element) => element.action_id) ?? [];

    assert.equal(new Set(ids).size, 3);
  });

  it('omits the actions block without links', () => {
    const { links, ...message } = cleared;

    assert.equal(blocksOf(message).some((block) => block.type === 'actions'), false);
  });

  it('drops links Slack would reject', () => {
    const links = [
      { type: 'task' as const, href: `https://grafana.example/${'a'.repeat(3000)}` },
      { type: 'subtask' as const, href: 'javascript:alert(1)' },
      { type: 'profile' as const, href: 'not a url' },
    ];

    assert.equal(blocksOf({ ...cleared, links }).some((block) => block.type === 'actions'), false);
  });

  it('keeps 25 buttons at most', () => {
    const links = Array.from({ length: 40 }, (_, i) => ({ type: 'task' as const, href: `https://grafana.example/${i}` }));
    const actions = blocksOf({ ...cleared, links }).find((block) => block.type === 'actions');

    assert.equal(actions?.elements?.length, 25);
  });

  it('shows details as a code block', () => {
    const details = blocksOf({ ...cleared, details: { disk: '/var', free: 3 } }).find((block) => block.text?.text.startsWith('*Details*'));

    assert.equal(details?.text?.text, '*Details*\n```{\n  "disk": "/var",\n  "free": 3\n}```');
  });

  it('writes the fallback text', () => {
    assert.equal(buildSlackMessage(cleared).text, '✅ Cleared: DiskFillingUp (Grafana, node)');
  });

  it('counts the blocks', () => {
    const message = { ...cleared, subtask_uri: 'u', pid: 1, count: 2, details: { a: 1 }, count_by_pids: { p: 1 } };

    assert.deepEqual(
      blocksOf(message).map((block) => block.type),
      ['header', 'section', 'section', 'section', 'section', 'actions'],
    );
  });
});

describe('buildSlackMessage escaping', () => {
  const message = { ...cleared, trigger: 'A & B <C>', task_name: '<!channel> & <https://evil.example|click>', project_name: 'R&D' };

  it('escapes fields', () => {
    const task = blocksOf(message)[1]?.fields?.find((field) => field.text.startsWith('*Task*'));

    assert.equal(task?.text, '*Task*\n&lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;\ndb-02:9100');
  });

  it('escapes the fallback', () => {
    assert.equal(
      buildSlackMessage(message).text,
      '✅ Cleared: A &amp; B &lt;C&gt; (R&amp;D, &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;)',
    );
  });

  it('leaves the header plain', () => {
    const [header] = blocksOf(message);

    assert.equal(header?.text?.text, '✅ Cleared: A & B <C>');
  });

  it('escapes details', () => {
    const details = blocksOf({ ...cleared, details: '<b>&</b>' }).find((block) => block.text?.text.startsWith('*Details*'));

    assert.equal(details?.text?.text, '*Details*\n```&lt;b&gt;&amp;&lt;/b&gt;```');
  });

  it('escapes each character', () => {
    assert.equal(escapeMrkdwn('&<>&amp;"\''), '&amp;&lt;&gt;&amp;amp;"\'');
  });
});

describe('buildSlackMessage limits', () => {
  const huge = 'x'.repeat(100_000);
  const hugeMessage: BoroMessage = {
    ...cleared,
    project_name: huge,
    probe_name: '&'.repeat(10_000),
    task_uri: '🔥'.repeat(5_000),
    task_name: huge,
    subtask_uri: huge,
    subtask_description: huge,
    trigger: '👩‍👩‍👧‍👦'.repeat(1_000),
    level: '<'.repeat(3_000),
    profile_name: huge,
    pid: huge,
    count: 123,
    details: { text: huge, more: '&'.repeat(5_000) },
    count_by_pids: Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`pid-${i}`, i])),
    links: Array.from({ length: 60 }, (_, i) => ({ type: 'task' as const, href: `https://grafana.example/${i}` })),
  };

  it('keeps huge values within limits', () => {
    assertWithinLimits(hugeMessage);
  });

  it('keeps the normal message within limits', () => {
    assertWithinLimits(cleared);
  });

  it('ends truncated fields with an ellipsis', () => {
    const project = blocksOf(hugeMessage)[1]?.fields?.[0];

    assert.equal(project?.text.length, SLACK_LIMITS.fieldText);
    assert.ok(project?.text.endsWith('x…'));
  });

  it('leaves no broken escape', () => {
    const texts = allTexts(blocksOf(hugeMessage)).map((text) => text.text);

    for (const text of [...texts, buildSlackMessage(hugeMessage).text]) {
      assert.equal(hasBrokenEscape(text), false, text.slice(-30));
    }
  });

  it('truncates the header to 150', () => {
    const [header] = blocksOf(hugeMessage);

    assert.ok((header?.text?.text.length ?? 0) <= SLACK_LIMITS.headerText);
    assert.ok(header?.text?.text.endsWith('👩‍👩‍👧‍👦…'));
  });

  it('truncates the fallback to 3000', () => {
    const { text } = buildSlackMessage({ ...cleared, trigger: huge });

    assert.equal(text.length, SLACK_LIMITS.fallbackText);
  });

  it('closes a truncated code block', () => {
    const details = blocksOf(hugeMessage).find((block) => block.text?.text.startsWith('*Details*'));

    assert.ok(details?.text?.text.endsWith('…```'));
  });
});

describe('truncateMrkdwn', () => {
  const cases: Array<{ name: string; text: string; maxLength: number; expected: string }> = [
    { name: 'short text', text: 'abc', maxLength: 3, expected: 'abc' },
    { name: 'long text', text: 'abcdef', maxLength: 4, expected: 'abc…' },
    { name: 'escape at the edge', text: 'ab&cd', maxLength: 6, expected: 'ab…' },
    { name: 'escape that fits', text: 'ab&cd', maxLength: 8, expected: 'ab&amp;…' },
    { name: 'whole escaped text', text: 'a<b', maxLength: 6, expected: 'a&lt;b' },
    { name: 'emoji at the edge', text: 'ab🔥cd', maxLength: 4, expected: 'ab…' },
    { name: 'emoji that fits', text: 'ab🔥cd', maxLength: 5, expected: 'ab🔥…' },
    { name: 'ZWJ sequence', text: 'a👩‍👩‍👧‍👦b', maxLength: 10, expected: 'a…' },
    { name: 'flag at the edge', text: 'a🇫🇷b', maxLength: 5, expected: 'a…' },
    { name: 'flag that fits', text: 'a🇫🇷bc', maxLength: 6, expected: 'a🇫🇷…' },
    { name: 'combining accent', text: 'ae\u0301e\u0301', maxLength: 3, expected: 'a…' },
  ];

  for (const { name, text, maxLength, expected } of cases) {
    it(`cuts ${name}`, () => {
      assert.equal(truncateMrkdwn(text, maxLength), expected);
    });
  }
});

describe('truncatePlainText', () => {
  it('keeps markup characters', () => {
    assert.equal(truncatePlainText('a&b<c>d', 5), 'a&b<…');
  });

  it('never splits a surrogate pair', () => {
    for (let maxLength = 2; maxLength < 12; maxLength++) {
      const text = truncatePlainText('🔥'.repeat(10), maxLength);
      assert.equal(hasLoneSurrogate(text), false, `maxLength ${maxLength}`);
      assert.ok(text.length <= maxLength, `maxLength ${maxLength}`);
    }
  });
});
