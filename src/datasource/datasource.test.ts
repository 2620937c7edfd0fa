import {
  dateTime,
  FieldType,
  type DataFrame,
  type DataQueryRequest,
  type DataSourceInstanceSettings,
  type DataSourcePluginMeta,
} from '@grafana/data';
import type { Delivery, DeliveryList, ProfileStatus, StatsResult } from '../contract/delivery';
import { BoroDataSource, MAX_STATS_BUCKETS, stepSecondsFor } from './datasource';
import { installFakeProxy, installTemplateVariables, relayError, type FakeProxy } from './testing/fake-grafana';
import type { BoroDataSourceOptions, BoroQuery } from './types';

const UID = 'boro-webhook';
const FROM_MS = Date.parse('2026-11-24T10:00:00Z');
const TO_MS = Date.parse('2026-11-24T11:00:00Z');

function makeDataSource(jsonData: BoroDataSourceOptions = { relayUrl: 'http://relay:8686' }): BoroDataSource {
  const settings: DataSourceInstanceSettings<BoroDataSourceOptions> = {
    uid: UID,
    type: 'boro-webhook-datasource',
    name: 'Boro Webhook status',
    meta: { id: 'boro-webhook-datasource' } as DataSourcePluginMeta,
    jsonData,
    access: 'proxy',
    readOnly: false,
  };
  return new BoroDataSource(settings);
}

function makeRequest(targets: BoroQuery[], intervalMs = 15_000): DataQueryRequest<BoroQuery> {
  const from = dateTime(FROM_MS);
  const to = dateTime(TO_MS);
  return {
    requestId: 'Q100',
    app: 'dashboard',
    interval: `${intervalMs / 1000}s`,
    intervalMs,
    range: { from, to, raw: { from, to } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    startTime: Date.now(),
  };
}

function fieldOf(frame: DataFrame | undefined, name: string) {
  const field = frame?.fields.find((candidate) => candidate.name === name);
  if (field === undefined) {
    throw new Error(`frame ${frame?.name} has no field ${name}`);
  }
  return field;
}

const STATUS: ProfileStatus[] = [
  {
    uid: 'noc-main',
    name: 'NOC main',
    enabled: true,
    kind: 'webhook',
    lastDeliveryAt: '2026-11-24T10:02:00Z',
    lastState: 'delivered',
    lastError: null,
    delivered24h: 12,
    failed24h: 1,
    pending: 0,
    oldestPendingSeconds: null,
  },
  {
    uid: 'ops-slack',
    name: 'Ops Slack',
    enabled: false,
    kind: 'slack',
    lastDeliveryAt: null,
    lastState: null,
    lastError: null,
    delivered24h: 0,
    failed24h: 0,
    pending: 3,
    oldestPendingSeconds: 95,
  },
];

function delivery(id: number, overrides: Partial<Delivery> = {}): Delivery {
  return {
    id,
    profileUid: 'noc-main',
    sequenceId: id,
    referenceNumber: id,
    status: 'Active',
    trigger: 'QueueStuck',
    state: 'failed',
    attempts: 4,
    nextAttemptAt: null,
    lastStatusCode: 400,
    lastError: 'receiver responded HTTP 400',
    createdAt: '2026-11-24T10:30:00Z',
    deliveredAt: null,
    test: false,
    ...overrides,
  };
}

describe('BoroDataSource profiles status query', () => {
  let proxy: FakeProxy;

  beforeEach(() => {
    proxy = installFakeProxy(UID).respond('/api/v1/status', { status: 200, data: { profiles: STATUS } });
    installTemplateVariables({ profile: 'ops-slack', all: '*' });
  });

  it('returns one row per profile', async () => {
    const response = await makeDataSource().query(makeRequest([{ refId: 'A', queryType: 'profilesStatus' }]));
    const [frame] = response.data as DataFrame[];

    expect(response.errors).toBeUndefined();
    expect(frame?.refId).toBe('A');
    expect(frame?.length).toBe(2);
    expect(fieldOf(frame, 'uid').values).toEqual(['noc-main', 'ops-slack']);
    expect(fieldOf(frame, 'enabled').values).toEqual([true, false]);
    expect(fieldOf(frame, 'pending').values).toEqual([0, 3]);
    expect(fieldOf(frame, 'failed24h').values).toEqual([1, 0]);
    expect(fieldOf(frame, 'lastState').values).toEqual(['delivered', null]);
  });

  it('types fields', async () => {
    const response = await makeDataSource().query(makeRequest([{ refId: 'A', queryType: 'profilesStatus' }]));
    const [frame] = response.data as DataFrame[];

    expect(fieldOf(frame, 'uid').type).toBe(FieldType.string);
    expect(fieldOf(frame, 'enabled').type).toBe(FieldType.boolean);
    expect(fieldOf(frame, 'delivered24h').type).toBe(FieldType.number);
    expect(fieldOf(frame, 'lastDeliveryAt').type).toBe(FieldType.time);
    expect(fieldOf(frame, 'lastDeliveryAt').values).toEqual([Date.parse('2026-11-24T10:02:00Z'), null]);
    expect(fieldOf(frame, 'oldestPendingSeconds').config.unit).toBe('s');
  });

  it('links uid to profile editor', async () => {
    const response = await makeDataSource().query(makeRequest([{ refId: 'A', queryType: 'profilesStatus' }]));
    const [frame] = response.data as DataFrame[];

    expect(fieldOf(frame, 'uid').config.links?.[0]?.url).toBe(
      '/a/boro-webhook-app/profiles/${__value.raw:percentencode}'
    );
  });

  it.each([
    ['uid', 'noc-main', ['noc-main']],
    ['variable', '$profile', ['ops-slack']],
    ['braced variable', '${profile}', ['ops-slack']],
    ['all value', '$all', ['noc-main', 'ops-slack']],
    ['empty filter', '', ['noc-main', 'ops-slack']],
  ])('filters by %s', async (_case, profile, expectedUids) => {
    const response = await makeDataSource().query(makeRequest([{ refId: 'A', queryType: 'profilesStatus', profile }]));
    const [frame] = response.data as DataFrame[];

    expect(fieldOf(frame, 'uid').values).toEqual(expectedUids);
  });

  it('defaults to profiles status', async () => {
    const response = await makeDataSource().query(makeRequest([{ refId: 'A' }]));

    expect((response.data as DataFrame[])[0]?.name).toBe('Profiles status');
  });

  it('skips hidden queries', async () => {
    const response = await makeDataSource().query(
      makeRequest([{ refId: 'A', queryType: 'profilesStatus', hide: true }])
    );

    expect(response.data).toEqual([]);
    expect(proxy.requests).toHaveLength(0);
  });
});

describe('BoroDataSource deliveries query', () => {
  let proxy: FakeProxy;

  beforeEach(() => {
    installTemplateVariables({ profile: 'noc-main' });
  });

  function answerDeliveries(list: DeliveryList) {
    proxy = installFakeProxy(UID).respond('/api/v1/deliveries', { status: 200, data: list });
  }

  it('sends range and filters', async () => {
    answerDeliveries({ deliveries: [], next: null });
    const query: BoroQuery = { refId: 'B', queryType: 'deliveries', profile: '$profile', state: 'failed', limit: 20 };
    await makeDataSource().query(makeRequest([query]));

    expect(proxy.paramsOf('/api/v1/deliveries')).toEqual([
      { from: FROM_MS, to: TO_MS, profile: 'noc-main', state: 'failed', limit: 20 },
    ]);
  });

  it('omits unset filters', async () => {
    answerDeliveries({ deliveries: [], next: null });
    await makeDataSource().query(makeRequest([{ refId: 'B', queryType: 'deliveries' }]));

    expect(proxy.paramsOf('/api/v1/deliveries')).toEqual([{ from: FROM_MS, to: TO_MS, limit: 100 }]);
  });

  it('returns one row per delivery', async () => {
    answerDeliveries({
      deliveries: [
        delivery(7),
        delivery(6, { state: 'delivered', lastStatusCode: 200, lastError: null, deliveredAt: '2026-11-24T10:31:00Z' }),
      ],
      next: null,
    });
    const response = await makeDataSource().query(makeRequest([{ refId: 'B', queryType: 'deliveries' }]));
    const [frame] = response.data as DataFrame[];

    expect(frame?.refId).toBe('B');
    expect(fieldOf(frame, 'id').values).toEqual([7, 6]);
    expect(fieldOf(frame, 'state').values).toEqual(['failed', 'delivered']);
    expect(fieldOf(frame, 'lastStatusCode').values).toEqual([400, 200]);
    expect(fieldOf(frame, 'lastError').values).toEqual(['receiver responded HTTP 400', null]);
    expect(fieldOf(frame, 'createdAt').type).toBe(FieldType.time);
    expect(fieldOf(frame, 'createdAt').values).toEqual([
      Date.parse('2026-11-24T10:30:00Z'),
      Date.parse('2026-11-24T10:30:00Z'),
    ]);
    expect(fieldOf(frame, 'deliveredAt').values).toEqual([null, Date.parse('2026-11-24T10:31:00Z')]);
    expect(fieldOf(frame, 'test').type).toBe(FieldType.boolean);
    expect(frame?.meta?.notices).toEqual([]);
  });

  it('notes older deliveries', async () => {
    answerDeliveries({ deliveries: [delivery(9), delivery(8)], next: '8' });
    const response = await makeDataSource().query(makeRequest([{ refId: 'B', queryType: 'deliveries', limit: 2 }]));
    const [frame] = response.data as DataFrame[];

    expect(frame?.meta?.notices?.[0]?.text).toMatch(/newest 2 deliveries/);
  });
});

describe('BoroDataSource delivery rate query', () => {
  let proxy: FakeProxy;

  beforeEach(() => {
    installTemplateVariables({ profile: 'noc-main' });
  });

  /** Responds with 10-minute buckets over the request's hour, as the relay would for stepSeconds=600. */
  function answerStats(buckets: StatsResult['buckets']) {
    const stats: StatsResult = {
      from: new Date(FROM_MS).toISOString(),
      to: new Date(TO_MS).toISOString(),
      stepSeconds: 600,
      buckets,
    };
    proxy = installFakeProxy(UID).respond('/api/v1/stats', { status: 200, data: stats });
  }

  const BUCKETS: StatsResult['buckets'] = [
    { time: '2026-11-24T10:00:00.000Z', profileUid: 'noc-main', outcome: 'delivered', count: 4 },
    { time: '2026-11-24T10:00:00.000Z', profileUid: 'noc-main', outcome: 'failed', count: 1 },
    { time: '2026-11-24T10:20:00.000Z', profileUid: 'noc-main', outcome: 'delivered', count: 2 },
    { time: '2026-11-24T10:50:00.000Z', profileUid: 'alpha', outcome: 'retried', count: 3 },
  ];

  it('sends range, step and profile', async () => {
    answerStats([]);
    const query: BoroQuery = { refId: 'C', queryType: 'deliveryRate', profile: '$profile' };
    await makeDataSource().query(makeRequest([query], 60_000));

    expect(proxy.paramsOf('/api/v1/stats')).toEqual([
      { from: FROM_MS, to: TO_MS, stepSeconds: 60, profile: 'noc-main' },
    ]);
  });

  it('returns one frame per profile and outcome', async () => {
    answerStats(BUCKETS);
    const response = await makeDataSource().query(makeRequest([{ refId: 'C', queryType: 'deliveryRate' }]));
    const frames = response.data as DataFrame[];

    expect(frames.map((frame) => frame.name)).toEqual(['alpha retried', 'noc-main delivered', 'noc-main failed']);
    expect(frames.every((frame) => frame.refId === 'C')).toBe(true);
  });

  it('zero-fills buckets', async () => {
    answerStats(BUCKETS);
    const response = await makeDataSource().query(makeRequest([{ refId: 'C', queryType: 'deliveryRate' }]));
    const delivered = (response.data as DataFrame[]).find((frame) => frame.name === 'noc-main delivered');

    const tenMinutesMs = 600_000;
    expect(fieldOf(delivered, 'Time').type).toBe(FieldType.time);
    expect(fieldOf(delivered, 'Time').values).toEqual(
      [0, 1, 2, 3, 4, 5].map((index) => FROM_MS + index * tenMinutesMs)
    );
    expect(fieldOf(delivered, 'attempts').type).toBe(FieldType.number);
    expect(fieldOf(delivered, 'attempts').values).toEqual([4, 0, 2, 0, 0, 0]);
  });

  it('labels series', async () => {
    answerStats(BUCKETS);
    const response = await makeDataSource().query(makeRequest([{ refId: 'C', queryType: 'deliveryRate' }]));
    const failed = (response.data as DataFrame[]).find((frame) => frame.name === 'noc-main failed');

    expect(fieldOf(failed, 'attempts').labels).toEqual({ profile: 'noc-main', outcome: 'failed' });
    expect(fieldOf(failed, 'attempts').config.displayNameFromDS).toBe('noc-main failed');
  });

  it('filters by outcome', async () => {
    answerStats(BUCKETS);
    const query: BoroQuery = { refId: 'C', queryType: 'deliveryRate', outcome: 'failed' };
    const response = await makeDataSource().query(makeRequest([query]));
    const frames = response.data as DataFrame[];

    expect(frames.map((frame) => frame.name)).toEqual(['noc-main failed']);
    expect(fieldOf(frames[0], 'attempts').values).toEqual([1, 0, 0, 0, 0, 0]);
  });

  it('returns no frames without attempts', async () => {
    answerStats([]);
    const response = await makeDataSource().query(makeRequest([{ refId: 'C', queryType: 'deliveryRate' }]));

    expect(response.data).toEqual([]);
  });
});

describe('stepSecondsFor', () => {
  const hourMs = 3_600_000;

  it.each([
    ['short interval', 1_000, hourMs, 10],
    ['interval in seconds', 60_000, hourMs, 60],
    ['fractional interval', 15_500, hourMs, 16],
    ['long range', 1_000, 400 * 24 * hourMs, Math.ceil((400 * 24 * 3600) / MAX_STATS_BUCKETS)],
  ])('uses %s', (_case, intervalMs, rangeMs, expected) => {
    expect(stepSecondsFor(intervalMs, rangeMs)).toBe(expected);
  });

  it('stays within bucket limit', () => {
    const rangeMs = 90 * 24 * hourMs;
    const stepSeconds = stepSecondsFor(1, rangeMs);

    expect(rangeMs / (stepSeconds * 1000)).toBeLessThanOrEqual(MAX_STATS_BUCKETS);
  });
});

describe('BoroDataSource query errors', () => {
  beforeEach(() => {
    installTemplateVariables({});
  });

  it('reports rejected token', async () => {
    installFakeProxy(UID).respond(
      '/api/v1/status',
      relayError(401, 'AUTH_INVALID', 'the bearer token is wrong for this route')
    );
    const response = await makeDataSource().query(makeRequest([{ refId: 'A', queryType: 'profilesStatus' }]));

    expect(response.errors).toHaveLength(1);
    expect(response.errors?.[0]?.refId).toBe('A');
    expect(response.errors?.[0]?.status).toBe(401);
    expect(response.errors?.[0]?.message).toMatch(/rejected the data source's API token/);
    expect(response.errors?.[0]?.message).toMatch(/data source settings/);
  });

  it('reports unreachable relay', async () => {
    installFakeProxy(UID).respond('/api/v1/status', { status: 502, statusText: 'Bad Gateway', data: {} });
    const response = await makeDataSource().query(makeRequest([{ refId: 'A', queryType: 'profilesStatus' }]));

    expect(response.errors?.[0]?.message).toBe(
      'Grafana cannot reach the relay: HTTP 502 Bad Gateway; check the relay URL in the data source settings and that the relay is running.'
    );
  });

  it('passes relay message', async () => {
    installFakeProxy(UID).respond(
      '/api/v1/deliveries',
      relayError(400, 'REQUEST_INVALID', "limit must be an integer from 1 to 1000, got '5000'")
    );
    const response = await makeDataSource().query(makeRequest([{ refId: 'B', queryType: 'deliveries', limit: 5000 }]));

    expect(response.errors?.[0]?.message).toBe("limit must be an integer from 1 to 1000, got '5000'");
  });

  it('keeps frames of other queries', async () => {
    installFakeProxy(UID)
      .respond('/api/v1/status', { status: 200, data: { profiles: STATUS } })
      .respond('/api/v1/deliveries', { status: 502, data: {} });
    const response = await makeDataSource().query(
      makeRequest([
        { refId: 'A', queryType: 'profilesStatus' },
        { refId: 'B', queryType: 'deliveries' },
      ])
    );

    expect((response.data as DataFrame[]).map((frame) => frame.refId)).toEqual(['A']);
    expect(response.errors?.map((error) => error.refId)).toEqual(['B']);
  });

  it('rejects unknown query type', async () => {
    installFakeProxy(UID);
    const query = { refId: 'A', queryType: 'alerts' } as unknown as BoroQuery;
    const response = await makeDataSource().query(makeRequest([query]));

    expect(response.errors?.[0]?.message).toBe(
      "query type 'alerts' is unknown; use profilesStatus, deliveries or deliveryRate"
    );
  });
});

describe('BoroDataSource metricFindQuery', () => {
  it('lists profiles', async () => {
    installFakeProxy(UID).respond('/api/v1/status', { status: 200, data: { profiles: STATUS } });

    await expect(makeDataSource().metricFindQuery()).resolves.toEqual([
      { text: 'NOC main', value: 'noc-main' },
      { text: 'Ops Slack', value: 'ops-slack' },
    ]);
  });

  it('explains failure', async () => {
    installFakeProxy(UID).respond(
      '/api/v1/status',
      relayError(401, 'AUTH_REQUIRED', 'the request has no bearer token')
    );

    await expect(makeDataSource().metricFindQuery()).rejects.toThrow(/an Org Admin must enter/);
  });
});

describe('BoroDataSource interpolateVariablesInQueries', () => {
  it('replaces profile variable', () => {
    installTemplateVariables({ profile: 'noc-main' });
    const [query] = makeDataSource().interpolateVariablesInQueries([{ refId: 'A', profile: '$profile' }], {});

    expect(query?.profile).toBe('noc-main');
  });
});

describe('BoroDataSource testDatasource', () => {
  const READY = { status: 200, data: { status: 'ready', version: '0.1.0' } };

  it('reports success', async () => {
    installFakeProxy(UID)
      .respond('/readyz', READY)
      .respond('/api/v1/profiles', { status: 200, data: { profiles: [{ uid: 'a' }, { uid: 'b' }] } });

    await expect(makeDataSource().testDatasource()).resolves.toEqual({
      status: 'success',
      message: 'Connected to relay 0.1.0 at http://relay:8686; it accepts the API token and has 2 profiles.',
    });
  });

  it('checks readiness and token', async () => {
    const proxy = installFakeProxy(UID)
      .respond('/readyz', READY)
      .respond('/api/v1/profiles', { status: 200, data: { profiles: [] } });
    await makeDataSource().testDatasource();

    expect(proxy.requests.map((request) => `${request.method} ${request.url}`)).toEqual([
      'GET /api/datasources/proxy/uid/boro-webhook/relay/readyz',
      'GET /api/datasources/proxy/uid/boro-webhook/relay/api/v1/profiles',
    ]);
  });

  it.each([
    ['missing URL', {}, /^The relay URL is missing/],
    ['non-http URL', { relayUrl: 'ftp://relay:21' }, /^The relay URL 'ftp:\/\/relay:21' is not an http or https URL/],
    ['URL without scheme', { relayUrl: 'relay:8686' }, /is not an http or https URL/],
  ])('rejects %s', async (_case, jsonData: BoroDataSourceOptions, expected) => {
    const proxy = installFakeProxy(UID);
    const result = await makeDataSource(jsonData).testDatasource();

    expect(result.status).toBe('error');
    expect(result.message).toMatch(expected);
    expect(proxy.requests).toHaveLength(0);
  });

  it.each([
    [
      'unreachable relay',
      { status: 502, statusText: 'Bad Gateway', data: {} },
      'Grafana cannot reach the relay at http://relay:8686 (HTTP 502 Bad Gateway). ' +
        'Check the relay URL and that the relay is running and reachable from the Grafana server.',
    ],
    [
      'timeout',
      { status: 504, data: { message: 'Gateway Timeout' } },
      'Grafana cannot reach the relay at http://relay:8686 (HTTP 504 Gateway Timeout). ' +
        'Check the relay URL and that the relay is running and reachable from the Grafana server.',
    ],
    [
      'relay not ready',
      relayError(503, 'NOT_READY', 'the relay is not ready: its database is unreachable or its workers are stopped'),
      'The relay at http://relay:8686 is running but not ready: the relay is not ready: its database is unreachable or its workers are stopped.',
    ],
    [
      'other server',
      { status: 404, data: '<html>Not Found</html>' },
      'http://relay:8686/readyz answered HTTP 404: the relay URL does not point at a Boro Webhook relay.',
    ],
  ])('reports %s', async (_case, readyz, expected) => {
    installFakeProxy(UID).respond('/readyz', readyz);
    const result = await makeDataSource().testDatasource();

    expect(result).toEqual({ status: 'error', message: expected });
  });

  it.each([
    [
      'missing token',
      relayError(401, 'AUTH_REQUIRED', 'the request has no bearer token'),
      "The relay requires an API token: enter the relay's BORO_RELAY_API_TOKEN, or the api-token file in its data directory, and save.",
    ],
    [
      'wrong token',
      relayError(401, 'AUTH_INVALID', 'the bearer token is wrong for this route'),
      "The relay rejected the API token: enter the current token (the relay's BORO_RELAY_API_TOKEN, or the api-token file in its data directory), and save.",
    ],
    [
      'denied route',
      { status: 403, data: { message: 'plugin proxy route access denied' } },
      "Grafana denied the request for the relay's profiles, which only Org Admins may read (HTTP 403 plugin proxy route access denied).",
    ],
  ])('reports %s', async (_case, profiles, expected) => {
    installFakeProxy(UID).respond('/readyz', READY).respond('/api/v1/profiles', profiles);
    const result = await makeDataSource().testDatasource();

    expect(result).toEqual({ status: 'error', message: expected });
  });
});
