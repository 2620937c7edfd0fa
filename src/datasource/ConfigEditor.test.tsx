import React, { useState } from 'react';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { DataSourceSettings } from '@grafana/data';
import { ConfigEditor, relayUrlProblem } from './ConfigEditor';
import type { BoroDataSourceOptions, BoroSecureJsonData } from './types';

type Settings = DataSourceSettings<BoroDataSourceOptions, BoroSecureJsonData>;

function makeSettings(overrides: Partial<Settings> = {}): Settings {
  return {
    id: 1,
    uid: 'boro-webhook',
    orgId: 1,
    name: 'Boro Webhook status',
    type: 'boro-webhook-datasource',
    typeName: 'Boro Webhook status',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    // DataSourceSettings still requires this deprecated field.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    database: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    withCredentials: false,
    readOnly: false,
    jsonData: {},
    secureJsonFields: {},
    ...overrides,
  };
}

/** Renders the editor with its settings kept in state, as Grafana's data source page does. */
function renderEditor(initial: Settings) {
  const changes: Settings[] = [];

  function Harness() {
    const [options, setOptions] = useState(initial);
    const onOptionsChange = (next: Settings) => {
      changes.push(next);
      setOptions(next);
    };
    return <ConfigEditor options={options} onOptionsChange={onOptionsChange} />;
  }

  render(<Harness />);
  return { lastSettings: () => changes.at(-1) };
}

describe('ConfigEditor', () => {
  it('sets relay URL', async () => {
    const { lastSettings } = renderEditor(makeSettings());
    await userEvent.type(screen.getByRole('textbox', { name: /^Relay URL/ }), 'http://relay:8686');

    expect(lastSettings()?.jsonData.relayUrl).toBe('http://relay:8686');
  });

  it('trims relay URL on blur', async () => {
    const { lastSettings } = renderEditor(makeSettings());
    await userEvent.type(screen.getByRole('textbox', { name: /^Relay URL/ }), ' http://relay:8686// ');
    await userEvent.tab();

    expect(lastSettings()?.jsonData.relayUrl).toBe('http://relay:8686');
  });

  it('flags invalid relay URL', () => {
    renderEditor(makeSettings({ jsonData: { relayUrl: 'relay:8686' } }));

    expect(
      screen.getByText("The relay URL must be an http or https URL such as http://relay:8686, got 'relay:8686'")
    ).toBeInTheDocument();
  });

  it('sets API token', async () => {
    const { lastSettings } = renderEditor(makeSettings());
    await userEvent.type(screen.getByLabelText(/^API token/), 's3cret-token');

    expect(lastSettings()?.secureJsonData?.apiToken).toBe('s3cret-token');
    expect(lastSettings()?.jsonData).toEqual({});
  });

  it('shows configured token', () => {
    renderEditor(makeSettings({ secureJsonFields: { apiToken: true } }));

    expect(screen.getByLabelText(/^API token/)).toHaveValue('configured');
    expect(screen.getByLabelText(/^API token/)).toBeDisabled();
  });

  it('resets configured token', async () => {
    const { lastSettings } = renderEditor(makeSettings({ secureJsonFields: { apiToken: true } }));
    await userEvent.click(screen.getByRole('button', { name: 'Reset' }));

    expect(lastSettings()?.secureJsonFields.apiToken).toBe(false);
    expect(lastSettings()?.secureJsonData?.apiToken).toBe('');
    expect(screen.getByLabelText(/^API token/)).toBeEnabled();
  });
});

describe('relayUrlProblem', () => {
  it.each(['', 'http://relay:8686', 'https://relay.example:8443/base'])('accepts %j', (text) => {
    expect(relayUrlProblem(text)).toBeNull();
  });

  it.each(['relay:8686', 'ftp://relay', 'not a url'])('rejects %j', (text) => {
    expect(relayUrlProblem(text)).toBe(
      `The relay URL must be an http or https URL such as http://relay:8686, got '${text}'`
    );
  });
});
