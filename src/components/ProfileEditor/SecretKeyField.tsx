import React, { useState } from 'react';
import { Alert, Button, ClipboardButton, ConfirmModal, Field, SecretInput, Stack } from '@grafana/ui';
import { asRelayApiError, relayClient } from '../../api/relay-client';
import { testIds } from '../testIds';
import { generateSecretKeyHex } from './profile-form';

interface SecretKeyFieldProps {
  /** Uid of the stored profile, or null while a profile is created. */
  profileUid: string | null;
  value: string;
  isConfigured: boolean;
  disabled: boolean;
  invalid: boolean;
  error?: string;
  onChange: (value: string) => void;
  onReset: () => void;
  /** Called with a generated key: kept in the form for a new profile, already stored by the relay otherwise. */
  onGenerated: (secretKey: string) => void;
}

/**
 * Renders the write-only secret key, which a person pastes as hex digits or generates. A generated key is shown once, because
 * the relay never returns it. For a stored profile the relay generates and stores the key at once.
 */
export function SecretKeyField(props: SecretKeyFieldProps) {
  const { profileUid, isConfigured, disabled, onGenerated } = props;
  const [generatedKey, setGeneratedKey] = useState<string | null>(null);
  const [generating, setGenerating] = useState(false);
  const [generateError, setGenerateError] = useState<string | null>(null);
  const [confirmReplace, setConfirmReplace] = useState(false);

  const generate = async () => {
    setConfirmReplace(false);
    setGenerateError(null);

    if (profileUid === null) {
      const secretKey = generateSecretKeyHex();
      setGeneratedKey(secretKey);
      onGenerated(secretKey);
      return;
    }

    setGenerating(true);
    try {
      const { secretKey } = await relayClient.generateSecret(profileUid);
      setGeneratedKey(secretKey);
      onGenerated(secretKey);
    } catch (error) {
      setGenerateError(asRelayApiError(error).message);
    } finally {
      setGenerating(false);
    }
  };

  const onGenerateClick = () => {
    if (profileUid !== null && isConfigured) {
      setConfirmReplace(true);
      return;
    }
    void generate();
  };

  return (
    <>
      <Field
        label="Secret key"
        description="Hex digits (at least 32, an even count), shared with the receiver, which verifies the signature with it. It is write-only: the relay never shows it again."
        htmlFor="profile-secret-key"
        invalid={props.invalid}
        error={props.error}
        disabled={disabled}
      >
        <SecretInput
          id="profile-secret-key"
          data-testid={testIds.profileEditor.secretKey}
          width={80}
          value={props.value}
          isConfigured={isConfigured}
          placeholder="Paste hex digits, for example from openssl rand -hex 32"
          disabled={disabled}
          onChange={(event) => props.onChange(event.currentTarget.value)}
          onReset={props.onReset}
          addonAfter={
            <Button
              variant="secondary"
              icon="key-skeleton-alt"
              data-testid={testIds.profileEditor.generateSecret}
              disabled={disabled || generating}
              onClick={onGenerateClick}
            >
              {generating ? 'Generating...' : 'Generate'}
            </Button>
          }
        />
      </Field>

      {generateError && (
        <Alert severity="error" title="Generating a secret key failed">
          {generateError}
        </Alert>
      )}

      {generatedKey && <GeneratedKey secretKey={generatedKey} storedOnRelay={profileUid !== null} />}

      <ConfirmModal
        isOpen={confirmReplace}
        title="Replace the secret key?"
        body="The relay stores a new key at once. Receivers that verify with the old key reject messages until they get the new one."
        confirmText="Replace key"
        onConfirm={generate}
        onDismiss={() => setConfirmReplace(false)}
      />
    </>
  );
}

function GeneratedKey({ secretKey, storedOnRelay }: { secretKey: string; storedOnRelay: boolean }) {
  const where = storedOnRelay
    ? 'The relay has stored it already.'
    : 'It is sent to the relay when you save the profile.';

  return (
    <Alert severity="warning" title="Copy the secret key now: it is shown only once">
      <Stack direction="column" gap={1}>
        <div>
          {where} Configure the same key on the receiver. After you leave this page, the key cannot be shown again;
          generate a new one if it is lost.
        </div>
        <Stack direction="row" gap={1} alignItems="center">
          <code data-testid={testIds.profileEditor.generatedSecret}>{secretKey}</code>
          <ClipboardButton icon="copy" variant="secondary" size="sm" getText={() => secretKey}>
            Copy
          </ClipboardButton>
        </Stack>
      </Stack>
    </Alert>
  );
}
