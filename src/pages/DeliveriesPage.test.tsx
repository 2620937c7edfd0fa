import React from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import '../components/testing/jsdom-gaps';
import { testIds } from '../components/testIds';
import { deliveryDetailFixture, deliveryFixture, profileFixture } from '../components/testing/fixtures';
import { relayError, requestsTo, serveRelay, type MockRoutes } from '../components/testing/relay-mock';
import { renderAtRoute } from '../components/testing/render';
import DeliveriesPage from './DeliveriesPage';

const mockFetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockFetch }),
}));

// The first render of some @grafana/ui components (EmptyState, TimeRangeInput) takes seconds in jsdom.
jest.setTimeout(20_000);

const user = userEvent.setup({ delay: null });

const delivered = deliveryFixture();
const failed = deliveryFixture({
  id: 40,
  sequenceId: 6,
  trigger: 'DiskFull',
  state: 'failed',
  attempts: 3,
  lastStatusCode: 400,
  lastError: 'receiver responded HTTP 400',
  deliveredAt: null,
});
const testMessage = deliveryFixture({ id: 39, sequenceId: 0, status: 'Event', test: true });

function renderPage(routes: MockRoutes, url = '/a/boro-webhook-app/deliveries') {
  serveRelay(mockFetch, { 'GET /api/v1/profiles': { data: { profiles: [profileFixture()] } }, ...routes });
  return renderAtRoute(<DeliveriesPage />, { paths: ['/a/boro-webhook-app/deliveries'], url });
}

function listParams(index: number): Record<string, unknown> {
  return requestsTo(mockFetch, 'GET /api/v1/deliveries')[index].params ?? {};
}

beforeEach(() => {
  mockFetch.mockReset();
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('DeliveriesPage list', () => {
  it('shows loading', () => {
    renderPage({ 'GET /api/v1/deliveries': 'pending', 'GET /api/v1/profiles': 'pending' });

    expect(screen.getByText('Loading deliveries...')).toBeInTheDocument();
  });

  it('shows load error', async () => {
    renderPage({ 'GET /api/v1/deliveries': relayError(401, 'AUTH_INVALID', 'the API token is invalid') });

    const alert = await screen.findByTestId(testIds.deliveries.error);
    expect(alert).toHaveTextContent('Loading deliveries failed');
    expect(alert).toHaveTextContent('the API token is invalid');
  });

  it('shows empty state', async () => {
    renderPage({ 'GET /api/v1/deliveries': { data: { deliveries: [], next: null } } });

    const empty = await screen.findByTestId(testIds.deliveries.emptyState);
    expect(empty).toHaveTextContent('No deliveries yet');
    expect(empty).toHaveTextContent('send a test message');
  });

  it('lists deliveries', async () => {
    renderPage({ 'GET /api/v1/deliveries': { data: { deliveries: [delivered, failed, testMessage], next: null } } });

    const deliveredRow = (await screen.findByTestId(testIds.deliveries.row(41))).closest('tr')!;
    expect(deliveredRow).toHaveTextContent('NOC main');
    expect(deliveredRow).toHaveTextContent('HighCPU');
    expect(deliveredRow).toHaveTextContent('Active');
    expect(deliveredRow).toHaveTextContent('delivered');
    expect(deliveredRow).toHaveTextContent('HTTP 200');
    expect(deliveredRow).toHaveTextContent('2026-11-24 10:02:00');

    const failedRow = screen.getByTestId(testIds.deliveries.row(40)).closest('tr')!;
    expect(failedRow).toHaveTextContent('failed');
    expect(failedRow).toHaveTextContent('HTTP 400: receiver responded HTTP 400');

    const testRow = screen.getByTestId(testIds.deliveries.row(39)).closest('tr')!;
    expect(within(testRow).getByText('test')).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.deliveries.loadMore)).not.toBeInTheDocument();
    expect(listParams(0)).toEqual({ limit: 50 });
  });

  it('loads more with cursor', async () => {
    renderPage({
      'GET /api/v1/deliveries': (request) =>
        request.params?.before === '41'
          ? { data: { deliveries: [failed], next: null } }
          : { data: { deliveries: [delivered], next: '41' } },
    });

    await user.click(await screen.findByTestId(testIds.deliveries.loadMore));

    expect(await screen.findByTestId(testIds.deliveries.row(40))).toBeInTheDocument();
    expect(screen.getByTestId(testIds.deliveries.row(41))).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.deliveries.loadMore)).not.toBeInTheDocument();
    expect(listParams(1)).toEqual({ limit: 50, before: '41' });
  });

  it('shows load more failure', async () => {
    renderPage({
      'GET /api/v1/deliveries': (request) =>
        request.params?.before ? { status: 502 } : { data: { deliveries: [delivered], next: '41' } },
    });

    await user.click(await screen.findByTestId(testIds.deliveries.loadMore));

    expect(await screen.findByText('Loading more deliveries failed')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.deliveries.row(41))).toBeInTheDocument();
  });
});

describe('DeliveriesPage filters', () => {
  it('filters by state', async () => {
    renderPage({ 'GET /api/v1/deliveries': { data: { deliveries: [], next: null } } });

    await screen.findByTestId(testIds.deliveries.emptyState);
    await user.click(within(screen.getByTestId(testIds.deliveries.stateFilter)).getByLabelText('failed'));

    await waitFor(() => expect(requestsTo(mockFetch, 'GET /api/v1/deliveries')).toHaveLength(2));
    expect(listParams(1)).toEqual({ limit: 50, state: 'failed' });
    expect(await screen.findByText('No deliveries match these filters')).toBeInTheDocument();
  });

  it('filters by profile', async () => {
    renderPage({ 'GET /api/v1/deliveries': { data: { deliveries: [], next: null } } });

    // The option list is virtualized and renders only rows that fit the list's measured height.
    jest.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(300);
    jest.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(300);

    await screen.findByTestId(testIds.deliveries.emptyState);
    await user.click(screen.getByTestId(testIds.deliveries.profileFilter));
    await user.click(await screen.findByText('NOC main'));

    await waitFor(() => expect(requestsTo(mockFetch, 'GET /api/v1/deliveries')).toHaveLength(2));
    expect(listParams(1)).toEqual({ limit: 50, profile: 'noc-main' });
  });

  it('reads profile from URL', async () => {
    renderPage(
      { 'GET /api/v1/deliveries': { data: { deliveries: [], next: null } } },
      '/a/boro-webhook-app/deliveries?profile=noc-main&state=retrying'
    );

    await screen.findByTestId(testIds.deliveries.emptyState);
    expect(listParams(0)).toEqual({ limit: 50, profile: 'noc-main', state: 'retrying' });
  });

  it('filters by time', async () => {
    const nowMs = Date.now();
    renderPage({ 'GET /api/v1/deliveries': { data: { deliveries: [], next: null } } });

    await screen.findByTestId(testIds.deliveries.emptyState);
    await user.click(within(screen.getByTestId(testIds.deliveries.timeFilter)).getByRole('button'));
    await user.click(await screen.findByText('Last 1 hour'));

    await waitFor(() => expect(requestsTo(mockFetch, 'GET /api/v1/deliveries')).toHaveLength(2));
    const { from, to } = listParams(1) as { from: number; to: number };
    expect(to - from).toBe(60 * 60 * 1000);
    expect(Math.abs(to - nowMs)).toBeLessThan(60 * 1000);
  });

  it('warns when profiles fail', async () => {
    renderPage({
      'GET /api/v1/profiles': { status: 502 },
      'GET /api/v1/deliveries': { data: { deliveries: [delivered], next: null } },
    });

    expect(await screen.findByText('The profile list is unavailable')).toBeInTheDocument();
    expect((await screen.findByTestId(testIds.deliveries.row(41))).closest('tr')).toHaveTextContent('noc-main');
  });
});

describe('DeliveriesPage drawer', () => {
  it('shows message and attempts', async () => {
    renderPage({
      'GET /api/v1/deliveries': { data: { deliveries: [delivered], next: null } },
      'GET /api/v1/deliveries/41': { data: deliveryDetailFixture() },
    });

    await user.click(await screen.findByTestId(testIds.deliveries.details(41)));

    const message = await screen.findByTestId(testIds.deliveries.message);
    expect(message.tagName).toBe('PRE');
    expect(message.textContent).toContain('\n  "trigger": "HighCPU",\n');
    const attempts = screen.getByTestId(testIds.deliveries.attempts);
    expect(attempts).toHaveTextContent('35 ms');
    expect(attempts).toHaveTextContent('200');
    expect(attempts).toHaveTextContent('2026-11-24 10:02:00');
    expect(attempts).toHaveTextContent('ok');
    expect(screen.queryByTestId(testIds.deliveries.retry)).not.toBeInTheDocument();
  });

  it('shows drawer error', async () => {
    renderPage({
      'GET /api/v1/deliveries': { data: { deliveries: [delivered], next: null } },
      'GET /api/v1/deliveries/41': relayError(
        404,
        'DELIVERY_NOT_FOUND',
        'delivery 41 does not exist or was pruned',
        'id'
      ),
    });

    await user.click(await screen.findByTestId(testIds.deliveries.details(41)));

    expect(await screen.findByTestId(testIds.deliveries.drawerError)).toHaveTextContent(
      'delivery 41 does not exist or was pruned'
    );
  });

  it('retries failed delivery', async () => {
    let state: 'failed' | 'pending' = 'failed';
    const failedDetail = () =>
      deliveryDetailFixture({
        ...failed,
        state,
        attemptLog: [
          {
            attempt: 1,
            startedAt: '2026-11-24T10:02:00.000Z',
            durationMs: 12,
            statusCode: 400,
            error: 'receiver responded HTTP 400',
            responseBody: 'bad request',
          },
        ],
      });
    renderPage({
      'GET /api/v1/deliveries': { data: { deliveries: [failed], next: null } },
      'GET /api/v1/deliveries/40': () => ({ data: failedDetail() }),
      'POST /api/v1/deliveries/40/retry': () => {
        state = 'pending';
        return { status: 202, data: failedDetail() };
      },
    });

    await user.click(await screen.findByTestId(testIds.deliveries.details(40)));
    expect(await screen.findByTestId(testIds.deliveries.attempts)).toHaveTextContent('bad request');
    await user.click(screen.getByTestId(testIds.deliveries.retry));

    await waitFor(() => expect(screen.queryByTestId(testIds.deliveries.retry)).not.toBeInTheDocument());
    expect(requestsTo(mockFetch, 'POST /api/v1/deliveries/40/retry')).toHaveLength(1);
    expect(requestsTo(mockFetch, 'GET /api/v1/deliveries/40')).toHaveLength(2);
    expect(within(screen.getByTestId(testIds.deliveries.drawer)).getByText('pending')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.deliveries.row(40)).closest('tr')).toHaveTextContent('pending');
  });

  it('shows retry failure', async () => {
    renderPage({
      'GET /api/v1/deliveries': { data: { deliveries: [failed], next: null } },
      'GET /api/v1/deliveries/40': { data: deliveryDetailFixture({ ...failed }) },
      'POST /api/v1/deliveries/40/retry': relayError(
        409,
        'DELIVERY_NOT_RETRYABLE',
        'delivery 40 is pending; only failed deliveries can be retried',
        'id'
      ),
    });

    await user.click(await screen.findByTestId(testIds.deliveries.details(40)));
    await user.click(await screen.findByTestId(testIds.deliveries.retry));

    expect(await screen.findByText('Retrying the delivery failed')).toBeInTheDocument();
    expect(screen.getByText('delivery 40 is pending; only failed deliveries can be retried')).toBeInTheDocument();
  });
});
