import React, { useState } from 'react';
import type { AppPluginMeta, PluginConfigPageProps } from '@grafana/data';
import { Alert, Button, Field, FieldSet, Input, SecretInput, Stack } from '@grafana/ui';
import type { AppSettings } from '../../types';
import { testIds } from '../testIds';
import { testRelayConnection, type ConnectionReport } from './connection-test';
import { checkRelayUrl, savePluginSettings, type PluginSettingsUpdate } from './plugin-settings';

export interface AppConfigProps extends PluginConfigPageProps<AppPluginMeta<AppSettings>> {}

type SaveResult = { status: 'saved' } | { status: 'failed'; message: string };

/**
 * Renders the plugin's configuration page: the relay URL (jsonData) and the relay's API token (secureJsonData,
 * write-only), which Grafana's plugin proxy adds to every relay request.
 */
export default function AppConfig({ plugin }: AppConfigProps) {
  const { enabled, pinned, jsonData, secureJsonFields } = plugin.meta;
  const [relayUrl, setRelayUrl] = useState(jsonData?.relayUrl ?? '');
  const [savedRelayUrl, setSavedRelayUrl] = useState(jsonData?.relayUrl ?? '');
  const [apiToken, setApiToken] = useState('');
  const [tokenConfigured, setTokenConfigured] = useState(Boolean(secureJsonFields?.apiToken));
  const [tokenReset, setTokenReset] = useState(false);
  const [urlError, setUrlError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saveResult, setSaveResult] = useState<SaveResult | null>(null);
  const [testing, setTesting] = useState(false);
  const [connection, setConnection] = useState<ConnectionReport | null>(null);

  const tokenChanged = apiToken !== '' || tokenReset;
  const unsaved = relayUrl.trim() !== savedRelayUrl || tokenChanged;

  const save = async () => {
    const trimmedUrl = relayUrl.trim();
    const invalidUrl = checkRelayUrl(trimmedUrl);
    setUrlError(invalidUrl);
    setSaveResult(null);
    if (invalidUrl) {
      return;
    }

    const update: PluginSettingsUpdate = {
      enabled: Boolean(enabled),
      pinned: Boolean(pinned),
      jsonData: { ...jsonData, relayUrl: trimmedUrl },
    };
    if (tokenChanged) {
      update.secureJsonData = { apiToken };
    }

    setSaving(true);
    try {
      await savePluginSettings(update);
      setSavedRelayUrl(trimmedUrl);
      setTokenConfigured(apiToken !== '' || (tokenConfigured && !tokenReset));
      setApiToken('');
      setTokenReset(false);
      setSaveResult({ status: 'saved' });
    } catch (error) {
      setSaveResult({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
    } finally {
      setSaving(false);
    }
  };

  const testConnection = async () => {
    setTesting(true);
    setConnection(null);
    try {
      setConnection(await testRelayConnection(tokenConfigured));
    } finally {
      setTesting(false);
    }
  };

  return (
    <div data-testid={testIds.appConfig.container}>
      <FieldSet label="Relay connection">
        <Field
          label="Relay URL"
          description="Base URL of the relay as Grafana's server reaches it, for example http://relay:8686"
          invalid={urlError !== null}
          error={urlError}
        >
          <Input
            id="config-relay-url"
            data-testid={testIds.appConfig.relayUrl}
            width={60}
            value={relayUrl}
            placeholder="http://relay:8686"
            onChange={(event) => setRelayUrl(event.currentTarget.value)}
          />
        </Field>

        <Field
          label="API token"
          description="The relay's management API token (BORO_RELAY_API_TOKEN, or the api-token file in its data directory). Grafana stores it encrypted and adds it to relay requests; the browser never reads it back."
        >
          <SecretInput
            id="config-api-token"
            data-testid={testIds.appConfig.apiToken}
            width={60}
            value={apiToken}
            isConfigured={tokenConfigured && !tokenReset}
            placeholder="Relay API token"
            onChange={(event) => setApiToken(event.currentTarget.value.trim())}
            onReset={() => {
              setApiToken('');
              setTokenReset(true);
            }}
          />
        </Field>

        <Stack direction="row" gap={1}>
          <Button data-testid={testIds.appConfig.save} disabled={saving} onClick={save}>
            {saving ? 'Saving...' : 'Save settings'}
          </Button>
          <Button
            variant="secondary"
            data-testid={testIds.appConfig.testConnection}
            disabled={testing}
            tooltip="Calls the relay through Grafana with the saved settings"
            onClick={testConnection}
          >
            {testing ? 'Testing...' : 'Test connection'}
          </Button>
        </Stack>
      </FieldSet>

      <SaveResultAlert result={saveResult} />
      {unsaved && connection === null && (
        <Alert severity="info" title="Unsaved changes">
          Test connection uses the saved settings, so save your changes first.
        </Alert>
      )}
      {connection && (
        <Alert severity={connection.severity} title={connection.title} data-testid={testIds.appConfig.connectionResult}>
          {connection.detail}
        </Alert>
      )}
    </div>
  );
}

function SaveResultAlert({ result }: { result: SaveResult | null }) {
  if (result === null) {
    return null;
  }
  if (result.status === 'failed') {
    return (
      <Alert severity="error" title="Saving the settings failed" data-testid={testIds.appConfig.saveResult}>
        {result.message}
      </Alert>
    );
  }
  return (
    <Alert severity="success" title="Settings saved" data-testid={testIds.appConfig.saveResult}>
      <Stack direction="column" gap={1}>
        <div>
          Test connection uses them now. The app&apos;s pages read the relay URL when Grafana loads, so reload the page
          to show the new URL in the contact-point instructions.
        </div>
        <div>
          <Button size="sm" variant="secondary" icon="sync" onClick={() => window.location.reload()}>
            Reload page
          </Button>
        </div>
      </Stack>
    </Alert>
  );
}
