import React from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ProfileInput } from '../contract/profile';
import { testIds } from '../components/testIds';
import { profileFixture } from '../components/testing/fixtures';
import { relayError, requestsTo, serveRelay, type MockRoutes } from '../components/testing/relay-mock';
import { renderAtRoute } from '../components/testing/render';
import ProfileEditorPage from './ProfileEditorPage';

const mockFetch = jest.fn();
jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getBackendSrv: () => ({ fetch: mockFetch }),
}));

const user = userEvent.setup({ delay: null });

const EDITOR_PATHS = ['/a/boro-webhook-app/profiles/new', '/a/boro-webhook-app/profiles/:uid'];
const SECRET_HEX = /^[0-9a-f]{64}$/;

const noc = profileFixture();

function renderEditor(url: string, routes: MockRoutes, relayUrl: string | null = 'http://relay:8686') {
  serveRelay(mockFetch, routes);
  return renderAtRoute(<ProfileEditorPage />, {
    paths: EDITOR_PATHS,
    url,
    jsonData: relayUrl === null ? {} : { relayUrl },
  });
}

function renderExisting(routes: MockRoutes = {}, profile = noc) {
  return renderEditor(`/a/boro-webhook-app/profiles/${profile.uid}`, {
    [`GET /api/v1/profiles/${profile.uid}`]: { data: profile },
    [`PUT /api/v1/profiles/${profile.uid}`]: (request) => ({ data: { ...profile, ...request.data } }),
    ...routes,
  });
}

function sentBody(key: string, index = 0): ProfileInput {
  const requests = requestsTo(mockFetch, key);
  return requests[index].data as ProfileInput;
}

async function clickSave() {
  await user.click(screen.getByTestId(testIds.profileEditor.save));
}

// The first render of some @grafana/ui components (EmptyState, Drawer) takes seconds in jsdom.
jest.setTimeout(20_000);

beforeEach(() => {
  mockFetch.mockReset();
});

describe('ProfileEditorPage loading', () => {
  it('shows loading', () => {
    renderEditor('/a/boro-webhook-app/profiles/noc-main', { 'GET /api/v1/profiles/noc-main': 'pending' });

    expect(screen.getByText('Loading profile...')).toBeInTheDocument();
  });

  it('shows load error', async () => {
    renderEditor('/a/boro-webhook-app/profiles/gone', {
      'GET /api/v1/profiles/gone': relayError(404, 'PROFILE_NOT_FOUND', "profile 'gone' does not exist"),
    });

    const alert = await screen.findByTestId(testIds.profileEditor.error);
    expect(alert).toHaveTextContent("Loading profile 'gone' failed");
    expect(alert).toHaveTextContent("profile 'gone' does not exist");
  });

  it('fills form from profile', async () => {
    renderExisting();

    expect(await screen.findByLabelText(/^Name/)).toHaveValue('NOC main');
    expect(screen.getByLabelText(/^URL/)).toHaveValue('https://receiver.example:8443/boro');
    expect(screen.getByLabelText(/^Enable Webhook notifications/)).toBeChecked();
    expect(screen.getByLabelText(/^Sign requests/)).toBeChecked();
    expect(screen.getByTestId(testIds.profileEditor.level)).toHaveValue('Warning');
    expect(screen.getByLabelText(/^Project name/)).toHaveValue('Grafana');
    expect(screen.getByLabelText(/^Timeout \(seconds\)/)).toHaveValue(10);
    expect(screen.getByLabelText('Header 1 field')).toHaveValue('X-Env');
    expect(screen.getByLabelText('Header 1 value')).toHaveValue('prod');
    expect(screen.getByTestId(testIds.profileEditor.secretKey)).toHaveValue('configured');
    expect(screen.queryByTestId(testIds.profileEditor.uid)).not.toBeInTheDocument();
  });

  it('shows new profile form', async () => {
    renderEditor('/a/boro-webhook-app/profiles/new', {});

    expect(await screen.findByTestId(testIds.profileEditor.uid)).toHaveValue('');
    expect(screen.getByLabelText(/^Name/)).toHaveValue('');
    expect(screen.getByTestId(testIds.profileEditor.level)).toHaveValue('Warning');
    expect(screen.queryByTestId(testIds.profileEditor.sendTest)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.profileEditor.contactPointUrl)).toHaveValue(
      'http://relay:8686/api/v1/webhook/<profile-uid>'
    );
  });
});

describe('ProfileEditorPage save', () => {
  it('creates then opens editor', async () => {
    const created = profileFixture({ uid: 'ops', name: 'Ops', signRequests: false, secretKeySet: false, headers: [] });
    renderEditor('/a/boro-webhook-app/profiles/new', {
      'POST /api/v1/profiles': { status: 201, data: created },
      'GET /api/v1/profiles/ops': { data: created },
    });

    await user.type(await screen.findByTestId(testIds.profileEditor.uid), 'ops');
    await user.type(screen.getByLabelText(/^Name/), 'Ops');
    await user.type(screen.getByLabelText(/^URL/), 'https://receiver.example/boro');
    await clickSave();

    expect(await screen.findByTestId(testIds.profileEditor.saveResult)).toHaveTextContent('Profile saved');
    expect(screen.getByTestId(testIds.profileEditor.contactPointUrl)).toHaveValue(
      'http://relay:8686/api/v1/webhook/ops'
    );
    const body = sentBody('POST /api/v1/profiles');
    expect(body).toMatchObject({ uid: 'ops', name: 'Ops', url: 'https://receiver.example/boro', kind: 'webhook' });
    expect(body).toMatchObject({
      enabled: true,
      signRequests: false,
      level: 'Warning',
      timeoutSeconds: 10,
      headers: [],
    });
    expect(body).not.toHaveProperty('secretKey');
  });

  it('updates existing profile', async () => {
    renderExisting();

    const level = await screen.findByTestId(testIds.profileEditor.level);
    await user.clear(level);
    await user.type(level, 'Critical');
    await user.type(screen.getByLabelText(/^Level from label/), 'severity');
    await user.click(screen.getByLabelText(/^Enable Webhook notifications/));
    await clickSave();

    expect(await screen.findByTestId(testIds.profileEditor.saveResult)).toHaveTextContent('Profile saved');
    const body = sentBody('PUT /api/v1/profiles/noc-main');
    expect(body).toMatchObject({ level: 'Critical', levelFromLabel: 'severity', enabled: false });
    expect(body).not.toHaveProperty('uid');
    expect(body).not.toHaveProperty('secretKey');
    expect(body.tls).toEqual({ caPem: null, insecureSkipVerify: false });
  });

  it.each([
    ['url', "url must be an http or https URL, got 'ftp://x'", () => screen.getByLabelText(/^URL/)],
    [
      'timeoutSeconds',
      'timeoutSeconds must be an integer from 1 to 60',
      () => screen.getByLabelText(/^Timeout \(seconds\)/),
    ],
    ['headers[0].value', 'headers[0].value must not contain CR, LF', () => screen.getByLabelText('Header 1 value')],
    ['secretKey', 'secretKey must be 32 to 256 hex digits', () => screen.getByTestId(testIds.profileEditor.secretKey)],
  ])('shows %s error at field', async (field, message, getInput) => {
    renderExisting({ 'PUT /api/v1/profiles/noc-main': relayError(400, 'PROFILE_INVALID', message, field) });

    await screen.findByLabelText(/^Name/);
    await clickSave();

    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(getInput()).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByTestId(testIds.profileEditor.saveResult)).toHaveTextContent(`The relay rejected ${field}`);
  });

  it('opens advanced on template error', async () => {
    const message = 'templates.trigger is not a valid Handlebars template';
    renderExisting({
      'PUT /api/v1/profiles/noc-main': relayError(400, 'PROFILE_INVALID', message, 'templates.trigger'),
    });

    await screen.findByLabelText(/^Name/);
    expect(screen.queryByLabelText('trigger')).not.toBeInTheDocument();
    await clickSave();

    expect(await screen.findByText(message)).toBeInTheDocument();
    expect(screen.getByLabelText('trigger')).toHaveAttribute('aria-invalid', 'true');
  });

  it('shows other errors in alert', async () => {
    renderExisting({ 'PUT /api/v1/profiles/noc-main': relayError(500, 'INTERNAL', 'an unexpected error') });

    await screen.findByLabelText(/^Name/);
    await clickSave();

    const alert = await screen.findByTestId(testIds.profileEditor.saveResult);
    expect(alert).toHaveTextContent('The profile was not saved');
    expect(alert).toHaveTextContent('an unexpected error');
  });

  it('switches kind for Slack URL', async () => {
    renderEditor('/a/boro-webhook-app/profiles/new', { 'POST /api/v1/profiles': 'pending' });

    await user.click(await screen.findByLabelText(/^URL/));
    await user.paste('https://hooks.slack.com/services/T0/B0/x');
    await clickSave();

    expect(sentBody('POST /api/v1/profiles').kind).toBe('slack');
  });
});

describe('ProfileEditorPage secret key', () => {
  it('generates key for new profile', async () => {
    renderEditor('/a/boro-webhook-app/profiles/new', { 'POST /api/v1/profiles': 'pending' });

    await user.click(await screen.findByTestId(testIds.profileEditor.generateSecret));

    const shown = screen.getByTestId(testIds.profileEditor.generatedSecret).textContent ?? '';
    expect(shown).toMatch(SECRET_HEX);
    expect(screen.getByText('Copy the secret key now: it is shown only once')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    expect(requestsTo(mockFetch, 'POST /api/v1/profiles/noc-main/secret')).toHaveLength(0);

    await clickSave();
    expect(sentBody('POST /api/v1/profiles').secretKey).toBe(shown);
  });

  it('generates distinct keys', async () => {
    renderEditor('/a/boro-webhook-app/profiles/new', {});

    const generate = await screen.findByTestId(testIds.profileEditor.generateSecret);
    await user.click(generate);
    const first = screen.getByTestId(testIds.profileEditor.generatedSecret).textContent;
    await user.click(generate);
    const second = screen.getByTestId(testIds.profileEditor.generatedSecret).textContent;

    expect(second).toMatch(SECRET_HEX);
    expect(second).not.toBe(first);
  });

  it('generates key on relay once', async () => {
    const secretKey = 'ab'.repeat(32);
    renderExisting({ 'POST /api/v1/profiles/noc-main/secret': { data: { secretKey } } });

    await user.click(await screen.findByTestId(testIds.profileEditor.generateSecret));
    expect(screen.getByText('Replace the secret key?')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Replace key' }));

    expect(await screen.findByTestId(testIds.profileEditor.generatedSecret)).toHaveTextContent(secretKey);
    expect(screen.getByText(/The relay has stored it already/)).toBeInTheDocument();
    expect(requestsTo(mockFetch, 'POST /api/v1/profiles/noc-main/secret')).toHaveLength(1);

    await clickSave();
    expect(sentBody('PUT /api/v1/profiles/noc-main')).not.toHaveProperty('secretKey');
  });

  it('generates without confirm when unset', async () => {
    const profile = profileFixture({ signRequests: false, secretKeySet: false });
    renderExisting({ 'POST /api/v1/profiles/noc-main/secret': { data: { secretKey: 'cd'.repeat(32) } } }, profile);

    await user.click(await screen.findByTestId(testIds.profileEditor.generateSecret));

    expect(await screen.findByTestId(testIds.profileEditor.generatedSecret)).toHaveTextContent('cd'.repeat(32));
    expect(screen.queryByText('Replace the secret key?')).not.toBeInTheDocument();
  });

  it('shows generate failure', async () => {
    renderExisting({
      'POST /api/v1/profiles/noc-main/secret': relayError(409, 'PROFILE_PROVISIONED', 'profile is provisioned', 'uid'),
    });

    await user.click(await screen.findByTestId(testIds.profileEditor.generateSecret));
    await user.click(screen.getByRole('button', { name: 'Replace key' }));

    expect(await screen.findByText('Generating a secret key failed')).toBeInTheDocument();
    expect(screen.getByText('profile is provisioned')).toBeInTheDocument();
    expect(screen.queryByTestId(testIds.profileEditor.generatedSecret)).not.toBeInTheDocument();
  });

  it('sends pasted key', async () => {
    renderExisting();

    await screen.findByLabelText(/^Name/);
    await user.click(screen.getByRole('button', { name: 'Reset' }));
    await user.click(screen.getByTestId(testIds.profileEditor.secretKey));
    await user.paste('ef'.repeat(16));
    await clickSave();

    expect(sentBody('PUT /api/v1/profiles/noc-main').secretKey).toBe('ef'.repeat(16));
  });

  it('reset without key removes it', async () => {
    renderExisting();

    await screen.findByLabelText(/^Name/);
    await user.click(screen.getByRole('button', { name: 'Reset' }));
    await clickSave();

    expect(sentBody('PUT /api/v1/profiles/noc-main').secretKey).toBeNull();
  });
});

describe('ProfileEditorPage headers', () => {
  it('adds and removes rows', async () => {
    renderExisting();

    await user.click(await screen.findByTestId(testIds.profileEditor.addHeader));
    await user.type(screen.getByLabelText('Header 2 field'), 'X-Team');
    await user.type(screen.getByLabelText('Header 2 value'), 'noc');
    await user.click(screen.getByTestId(testIds.profileEditor.removeHeader(0)));

    expect(screen.getByLabelText('Header 1 field')).toHaveValue('X-Team');
    expect(screen.queryByLabelText('Header 2 field')).not.toBeInTheDocument();
    await clickSave();
    expect(sentBody('PUT /api/v1/profiles/noc-main').headers).toEqual([{ name: 'X-Team', value: 'noc' }]);
  });

  it('keeps redacted value as null', async () => {
    const profile = profileFixture({
      headers: [
        { name: 'X-Env', value: 'prod' },
        { name: 'Authorization', value: null, redacted: true },
      ],
    });
    renderExisting({}, profile);

    const value = await screen.findByLabelText('Header 2 value');
    expect(value).toHaveValue('configured');
    expect(value).toBeDisabled();
    await clickSave();

    expect(sentBody('PUT /api/v1/profiles/noc-main').headers).toEqual([
      { name: 'X-Env', value: 'prod' },
      { name: 'Authorization', value: null },
    ]);
  });

  it('replaces redacted value after reset', async () => {
    const profile = profileFixture({ headers: [{ name: 'X-Api-Token', value: null, redacted: true }] });
    renderExisting({}, profile);

    await screen.findByLabelText('Header 1 value');
    const resetButtons = screen.getAllByRole('button', { name: 'Reset' });
    await user.click(resetButtons[resetButtons.length - 1]);
    await user.type(screen.getByLabelText('Header 1 value'), 'new-token');
    await clickSave();

    expect(sentBody('PUT /api/v1/profiles/noc-main').headers).toEqual([{ name: 'X-Api-Token', value: 'new-token' }]);
  });
});

describe('ProfileEditorPage test message', () => {
  const request = {
    url: 'https://receiver.example:8443/boro',
    headers: { 'Content-Type': 'application/json', Authorization: 'APIAuth-HMAC-SHA256 noc-main:[redacted]' },
    body: '{"version":"1","sequenceId":0}',
    canonicalString:
      'POST,application/json,47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=,/boro,Fri, 04 Dec 2026 19:23:52 GMT',
  };

  it('shows delivered result', async () => {
    renderExisting({
      'POST /api/v1/profiles/noc-main/test': {
        data: { delivered: true, statusCode: 200, durationMs: 42, error: null, responseBody: '{"ok":true}', request },
      },
    });

    await user.click(await screen.findByTestId(testIds.profileEditor.sendTest));

    const result = await screen.findByTestId(testIds.profileEditor.testResult);
    expect(result).toHaveTextContent('Test message delivered: HTTP 200 in 42 ms');
    expect(result).toHaveTextContent('{"ok":true}');
    expect(result).toHaveTextContent('POST https://receiver.example:8443/boro');
    expect(result).toHaveTextContent('Authorization: APIAuth-HMAC-SHA256 noc-main:[redacted]');
    expect(result).toHaveTextContent('"sequenceId": 0');
    expect(within(result).getByText(request.canonicalString)).toBeInTheDocument();
  });

  it('shows not delivered result', async () => {
    const { canonicalString: _omitted, ...unsignedRequest } = request;
    renderExisting({
      'POST /api/v1/profiles/noc-main/test': {
        data: {
          delivered: false,
          statusCode: 503,
          durationMs: 7,
          error: 'receiver responded HTTP 503',
          responseBody: 'busy',
          request: unsignedRequest,
        },
      },
    });

    await user.click(await screen.findByTestId(testIds.profileEditor.sendTest));

    const result = await screen.findByTestId(testIds.profileEditor.testResult);
    expect(result).toHaveTextContent('Test message not delivered: HTTP 503 after 7 ms');
    expect(result).toHaveTextContent('Error: receiver responded HTTP 503');
    expect(result).toHaveTextContent('busy');
    expect(result).not.toHaveTextContent('Canonical string');
  });

  it('shows test request failure', async () => {
    renderExisting({ 'POST /api/v1/profiles/noc-main/test': { status: 502 } });

    await user.click(await screen.findByTestId(testIds.profileEditor.sendTest));

    expect(await screen.findByText('Sending the test message failed')).toBeInTheDocument();
    expect(screen.getByText(/the relay is unreachable from Grafana/)).toBeInTheDocument();
  });
});

describe('ProfileEditorPage wiring and provisioning', () => {
  it('shows contact point YAML', async () => {
    renderExisting();

    expect(await screen.findByTestId(testIds.profileEditor.contactPointUrl)).toHaveValue(
      'http://relay:8686/api/v1/webhook/noc-main'
    );
    const yaml = screen.getByTestId(testIds.profileEditor.provisioningYaml).textContent ?? '';
    expect(yaml).toContain('apiVersion: 1\ncontactPoints:\n');
    expect(yaml).toContain('        type: webhook\n');
    expect(yaml).toContain('          url: "http://relay:8686/api/v1/webhook/noc-main"\n');
    expect(yaml).toContain('          httpMethod: POST\n');
    expect(yaml).toContain('          authorization_scheme: Bearer\n');
    expect(yaml).toContain('          authorization_credentials: $BORO_RELAY_INGEST_TOKEN\n');
    expect(screen.getByRole('button', { name: 'Copy YAML' })).toBeInTheDocument();
  });

  it('uses placeholder relay URL', async () => {
    renderEditor('/a/boro-webhook-app/profiles/noc-main', { 'GET /api/v1/profiles/noc-main': { data: noc } }, null);

    expect(await screen.findByTestId(testIds.profileEditor.contactPointUrl)).toHaveValue(
      'http://<relay-host>:8686/api/v1/webhook/noc-main'
    );
    expect(screen.getByText('The relay URL is not configured')).toBeInTheDocument();
  });

  it('makes provisioned profile read-only', async () => {
    const profile = profileFixture({ provisioned: true, provisionedFrom: '/etc/boro/profiles/noc.yaml' });
    renderExisting({}, profile);

    expect(await screen.findByTestId(testIds.profileEditor.provisionedInfo)).toHaveTextContent(
      '/etc/boro/profiles/noc.yaml'
    );
    expect(screen.getByLabelText(/^Name/)).toBeDisabled();
    expect(screen.getByLabelText(/^URL/)).toBeDisabled();
    expect(screen.getByLabelText(/^Enable Webhook notifications/)).toBeDisabled();
    expect(screen.getByTestId(testIds.profileEditor.generateSecret)).toBeDisabled();
    expect(screen.getByTestId(testIds.profileEditor.addHeader)).toBeDisabled();
    expect(screen.queryByTestId(testIds.profileEditor.save)).not.toBeInTheDocument();
    expect(screen.getByTestId(testIds.profileEditor.sendTest)).toBeEnabled();
  });

  it('saves nothing while pending', async () => {
    renderExisting({ 'PUT /api/v1/profiles/noc-main': 'pending' });

    await screen.findByLabelText(/^Name/);
    await clickSave();

    await waitFor(() => expect(screen.getByTestId(testIds.profileEditor.save)).toBeDisabled());
    expect(screen.getByTestId(testIds.profileEditor.save)).toHaveTextContent('Saving...');
  });
});
