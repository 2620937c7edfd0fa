import React from 'react';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { testIds } from '../components/testIds';
import { profileFixture, profileStatusFixture } from '../components/testing/fixtures';
import { relayError, requestsTo, serveRelay } from '../components/testing/relay-mock';
import ProfilesPage from './ProfilesPage';

const mockFetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockFetch }),
}));

const noc = profileFixture();
const slack = profileFixture({
  uid: 'team-slack',
  name: 'Team Slack',
  kind: 'slack',
  url: 'https://hooks.slack.com/services/…',
  signRequests: false,
  enabled: false,
  provisioned: true,
  provisionedFrom: '/etc/boro/profiles/slack.yaml',
});

function renderPage() {
  return render(<ProfilesPage />);
}

// The first render of some @grafana/ui components (EmptyState, Drawer) takes seconds in jsdom.
jest.setTimeout(20_000);

beforeEach(() => {
  mockFetch.mockReset();
});

describe('ProfilesPage', () => {
  it('shows loading', () => {
    serveRelay(mockFetch, { 'GET /api/v1/profiles': 'pending', 'GET /api/v1/status': 'pending' });
    renderPage();

    expect(screen.getByText('Loading profiles...')).toBeInTheDocument();
  });

  it('shows load error', async () => {
    serveRelay(mockFetch, { 'GET /api/v1/profiles': { status: 502 }, 'GET /api/v1/status': { status: 502 } });
    renderPage();

    const alert = await screen.findByTestId(testIds.profiles.error);
    expect(alert).toHaveTextContent('Loading profiles failed');
    expect(alert).toHaveTextContent('the relay is unreachable from Grafana');
  });

  it('shows empty state', async () => {
    serveRelay(mockFetch, {
      'GET /api/v1/profiles': { data: { profiles: [] } },
      'GET /api/v1/status': { data: { profiles: [] } },
    });
    renderPage();

    const empty = await screen.findByTestId(testIds.profiles.emptyState);
    expect(empty).toHaveTextContent('No webhook profiles yet');
    expect(empty).toHaveTextContent('/api/v1/webhook/<profile uid>');
    expect(within(empty).getByRole('link', { name: /new profile/i })).toHaveAttribute(
      'href',
      '/a/boro-webhook-app/profiles/new'
    );
  });

  it('lists profiles with status', async () => {
    serveRelay(mockFetch, {
      'GET /api/v1/profiles': { data: { profiles: [noc, slack] } },
      'GET /api/v1/status': { data: { profiles: [profileStatusFixture({ lastState: 'failed' })] } },
    });
    renderPage();

    const nocRow = (await screen.findByTestId(testIds.profiles.row('noc-main'))).closest('tr')!;
    expect(within(nocRow).getByRole('link', { name: 'NOC main' })).toHaveAttribute(
      'href',
      '/a/boro-webhook-app/profiles/noc-main'
    );
    expect(nocRow).toHaveTextContent('Webhook');
    expect(nocRow).toHaveTextContent('receiver.example:8443');
    expect(nocRow).toHaveTextContent('Enabled');
    expect(nocRow).toHaveTextContent('Signed');
    expect(nocRow).toHaveTextContent('failed');

    const slackRow = screen.getByTestId(testIds.profiles.row('team-slack')).closest('tr')!;
    expect(slackRow).toHaveTextContent('Slack');
    expect(slackRow).toHaveTextContent('hooks.slack.com');
    expect(slackRow).toHaveTextContent('Disabled');
    expect(slackRow).toHaveTextContent('Not signed');
    expect(slackRow).toHaveTextContent('No deliveries yet');
  });

  it('marks provisioned, hides delete', async () => {
    serveRelay(mockFetch, {
      'GET /api/v1/profiles': { data: { profiles: [noc, slack] } },
      'GET /api/v1/status': { data: { profiles: [] } },
    });
    renderPage();

    expect(await screen.findByTestId(testIds.profiles.provisionedBadge('team-slack'))).toHaveTextContent('Provisioned');
    expect(screen.queryByTestId(testIds.profiles.provisionedBadge('noc-main'))).not.toBeInTheDocument();
    expect(screen.queryByTestId(testIds.profiles.delete('team-slack'))).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.profiles.delete('noc-main'))).toBeInTheDocument();
  });

  it('keeps table when status fails', async () => {
    serveRelay(mockFetch, {
      'GET /api/v1/profiles': { data: { profiles: [noc] } },
      'GET /api/v1/status': relayError(500, 'INTERNAL', 'status query failed'),
    });
    renderPage();

    expect(await screen.findByText('Delivery status is unavailable')).toBeInTheDocument();
    expect(screen.getByText('status query failed')).toBeInTheDocument();
    expect(screen.getByTestId(testIds.profiles.row('noc-main'))).toBeInTheDocument();
  });

  it('deletes after confirmation', async () => {
    let profiles = [noc];
    serveRelay(mockFetch, {
      'GET /api/v1/profiles': () => ({ data: { profiles } }),
      'GET /api/v1/status': { data: { profiles: [] } },
      'DELETE /api/v1/profiles/noc-main': () => {
        profiles = [];
        return { status: 204 };
      },
    });
    renderPage();

    await userEvent.click(await screen.findByTestId(testIds.profiles.delete('noc-main')));
    expect(screen.getByText(/and its delivery log will be deleted/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));

    expect(await screen.findByTestId(testIds.profiles.emptyState)).toBeInTheDocument();
    expect(screen.getByTestId(testIds.profiles.actionResult)).toHaveTextContent("Profile 'NOC main' deleted");
    expect(requestsTo(mockFetch, 'DELETE /api/v1/profiles/noc-main')).toHaveLength(1);
  });

  it('shows delete failure', async () => {
    serveRelay(mockFetch, {
      'GET /api/v1/profiles': { data: { profiles: [noc] } },
      'GET /api/v1/status': { data: { profiles: [] } },
      'DELETE /api/v1/profiles/noc-main': relayError(409, 'PROFILE_PROVISIONED', "profile 'noc-main' is provisioned"),
    });
    renderPage();

    await userEvent.click(await screen.findByTestId(testIds.profiles.delete('noc-main')));
    await userEvent.click(screen.getByRole('button', { name: 'Delete' }));

    const result = await screen.findByTestId(testIds.profiles.actionResult);
    expect(result).toHaveTextContent("Deleting profile 'NOC main' failed");
    expect(result).toHaveTextContent("profile 'noc-main' is provisioned");
  });

  it('dismisses delete', async () => {
    serveRelay(mockFetch, {
      'GET /api/v1/profiles': { data: { profiles: [noc] } },
      'GET /api/v1/status': { data: { profiles: [] } },
    });
    renderPage();

    await userEvent.click(await screen.findByTestId(testIds.profiles.delete('noc-main')));
    await userEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    expect(requestsTo(mockFetch, 'DELETE /api/v1/profiles/noc-main')).toHaveLength(0);
    expect(screen.getByTestId(testIds.profiles.row('noc-main'))).toBeInTheDocument();
  });

  it.each([
    [{ delivered: true, statusCode: 200, error: null }, "Test message to 'NOC main' delivered: HTTP 200 in 35 ms"],
    [{ delivered: false, statusCode: 500, error: 'receiver responded HTTP 500' }, 'receiver responded HTTP 500'],
    [{ delivered: false, statusCode: null, error: 'connection refused' }, 'not delivered: no HTTP response'],
  ])('send test shows %j', async (outcome, expectedText) => {
    serveRelay(mockFetch, {
      'GET /api/v1/profiles': { data: { profiles: [noc] } },
      'GET /api/v1/status': { data: { profiles: [] } },
      'POST /api/v1/profiles/noc-main/test': {
        data: { ...outcome, durationMs: 35, responseBody: '', request: { url: noc.url, headers: {}, body: '{}' } },
      },
    });
    renderPage();

    await userEvent.click(await screen.findByTestId(testIds.profiles.sendTest('noc-main')));

    expect(await screen.findByTestId(testIds.profiles.actionResult)).toHaveTextContent(expectedText);
  });
});
