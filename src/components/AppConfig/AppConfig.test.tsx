import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PluginType } from '@grafana/data';
import { testIds } from '../testIds';
import { relayError, requestsTo, serveRelay, type MockRoutes } from '../testing/relay-mock';
import AppConfig, { type AppConfigProps } from './AppConfig';

const mockFetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockFetch }),
}));

const user = userEvent.setup({ delay: null });
const SETTINGS = 'POST /api/plugins/boro-webhook-app/settings';

interface MetaOptions {
  relayUrl?: string;
  tokenSet?: boolean;
}

function renderConfig(routes: MockRoutes, { relayUrl = 'http://relay:8686', tokenSet = true }: MetaOptions = {}) {
  serveRelay(mockFetch, routes);
  const props = {
    plugin: {
      meta: {
        id: 'boro-webhook-app',
        name: 'Boro Webhook',
        type: PluginType.app,
        enabled: true,
        pinned: false,
        jsonData: { relayUrl },
        secureJsonFields: { apiToken: tokenSet },
      },
    },
    query: {},
  } as unknown as AppConfigProps;
  return render(<AppConfig {...props} />);
}

function savedBody(index = 0): Record<string, unknown> {
  return requestsTo(mockFetch, SETTINGS)[index].data;
}

const healthy: MockRoutes = {
  'GET /healthz': { data: { status: 'ok', version: '0.1.0' } },
  'GET /readyz': { data: { status: 'ready', version: '0.1.0' } },
  'GET /api/v1/profiles': { data: { profiles: [{ uid: 'a' }, { uid: 'b' }] } },
};

beforeEach(() => {
  mockFetch.mockReset();
});

describe('AppConfig save', () => {
  it('shows saved settings', () => {
    renderConfig({});

    expect(screen.getByTestId(testIds.appConfig.relayUrl)).toHaveValue('http://relay:8686');
    expect(screen.getByTestId(testIds.appConfig.apiToken)).toHaveValue('configured');
    expect(screen.getByTestId(testIds.appConfig.apiToken)).toBeDisabled();
  });

  it('saves URL, keeps token', async () => {
    renderConfig({ [SETTINGS]: { data: { message: 'Plugin settings updated' } } });

    const url = screen.getByTestId(testIds.appConfig.relayUrl);
    await user.clear(url);
    await user.type(url, 'http://relay.internal:8686 ');
    await user.click(screen.getByTestId(testIds.appConfig.save));

    expect(await screen.findByTestId(testIds.appConfig.saveResult)).toHaveTextContent('Settings saved');
    expect(savedBody()).toEqual({ enabled: true, pinned: false, jsonData: { relayUrl: 'http://relay.internal:8686' } });
  });

  it('sends new token once', async () => {
    renderConfig({ [SETTINGS]: { data: {} } }, { tokenSet: false });

    await user.type(screen.getByTestId(testIds.appConfig.apiToken), 'relay-api-token');
    await user.click(screen.getByTestId(testIds.appConfig.save));

    expect(await screen.findByTestId(testIds.appConfig.saveResult)).toHaveTextContent('Settings saved');
    expect(savedBody().secureJsonData).toEqual({ apiToken: 'relay-api-token' });
    expect(screen.getByTestId(testIds.appConfig.apiToken)).toHaveValue('configured');

    await user.click(screen.getByTestId(testIds.appConfig.save));
    await waitFor(() => expect(requestsTo(mockFetch, SETTINGS)).toHaveLength(2));
    expect(savedBody(1)).not.toHaveProperty('secureJsonData');
  });

  it('reset clears token', async () => {
    renderConfig({ [SETTINGS]: { data: {} } });

    await user.click(screen.getByRole('button', { name: 'Reset' }));
    await user.click(screen.getByTestId(testIds.appConfig.save));

    await screen.findByTestId(testIds.appConfig.saveResult);
    expect(savedBody().secureJsonData).toEqual({ apiToken: '' });
  });

  it('rejects invalid URL', async () => {
    renderConfig({ [SETTINGS]: { data: {} } });

    const url = screen.getByTestId(testIds.appConfig.relayUrl);
    await user.clear(url);
    await user.type(url, 'relay:8686');
    await user.click(screen.getByTestId(testIds.appConfig.save));

    expect(screen.getByText("The relay URL must use http or https, got 'relay:'")).toBeInTheDocument();
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(requestsTo(mockFetch, SETTINGS)).toHaveLength(0);
  });

  it('shows save failure', async () => {
    renderConfig({ [SETTINGS]: { status: 403, data: { message: 'Permission denied' } } });

    await user.click(screen.getByTestId(testIds.appConfig.save));

    const alert = await screen.findByTestId(testIds.appConfig.saveResult);
    expect(alert).toHaveTextContent('Saving the settings failed');
    expect(alert).toHaveTextContent('Grafana answered HTTP 403: Permission denied');
  });
});

describe('AppConfig connection test', () => {
  async function runTest(routes: MockRoutes, tokenSet = true) {
    renderConfig(routes, { tokenSet });
    await user.click(screen.getByTestId(testIds.appConfig.testConnection));
    return screen.findByTestId(testIds.appConfig.connectionResult);
  }

  it('reports version and readiness', async () => {
    const result = await runTest(healthy);

    expect(result).toHaveTextContent('Connected to relay 0.1.0');
    expect(result).toHaveTextContent('The relay is ready');
    expect(result).toHaveTextContent('The API token is accepted (2 profiles)');
  });

  it('reports wrong token on 401', async () => {
    const result = await runTest({
      ...healthy,
      'GET /api/v1/profiles': relayError(401, 'AUTH_INVALID', 'the bearer token is not the API token'),
    });

    expect(result).toHaveTextContent('The API token is wrong');
    expect(result).toHaveTextContent(
      'Relay 0.1.0 is reachable but rejected the request: the bearer token is not the API token'
    );
  });

  it('reports missing token on 401', async () => {
    const result = await runTest(
      { ...healthy, 'GET /api/v1/profiles': relayError(401, 'AUTH_REQUIRED', 'missing bearer token') },
      false
    );

    expect(result).toHaveTextContent('No API token is saved');
  });

  it('reports unreachable on 502', async () => {
    const result = await runTest({ 'GET /healthz': { status: 502, data: { message: 'Bad Gateway' } } });

    expect(result).toHaveTextContent('Relay unreachable');
    expect(result).toHaveTextContent('could not reach the relay');
    expect(requestsTo(mockFetch, 'GET /api/v1/profiles')).toHaveLength(0);
  });

  it('reports not ready', async () => {
    const result = await runTest({
      ...healthy,
      'GET /readyz': relayError(503, 'NOT_READY', 'the relay is not ready: its database is unreachable'),
    });

    expect(result).toHaveTextContent('Relay 0.1.0 is reachable but not ready');
    expect(result).toHaveTextContent('its database is unreachable');
  });

  it('warns about unsaved changes', async () => {
    renderConfig(healthy);

    await user.type(screen.getByTestId(testIds.appConfig.relayUrl), '/x');

    expect(
      screen.getByText('Test connection uses the saved settings, so save your changes first.')
    ).toBeInTheDocument();
  });
});
