import React from 'react';
import { Field, FieldSet, Input, RadioButtonGroup, Switch } from '@grafana/ui';
import type { RelayApiError } from '../../api/relay-client';
import type { ProfileKind, SecretKeyEncoding } from '../../contract/profile';
import { testIds } from '../testIds';
import { AdvancedSection } from './AdvancedSection';
import { fieldErrorProps } from './field-errors';
import { HeadersEditor } from './HeadersEditor';
import { isSlackWebhookUrl, type ProfileFormState } from './profile-form';
import { SecretKeyField } from './SecretKeyField';

const KIND_OPTIONS = [
  { label: 'Webhook', value: 'webhook' as const, description: 'A Boro HTTP receiver' },
  { label: 'Slack', value: 'slack' as const, description: 'A Slack incoming webhook' },
];

const ENCODING_OPTIONS = [
  {
    label: 'Text',
    value: 'text' as const,
    description: 'The key characters are the HMAC key, as api_auth verifiers use it',
  },
  { label: 'Hex', value: 'hex' as const, description: 'The decoded bytes are the HMAC key' },
];

interface ProfileFormProps {
  form: ProfileFormState;
  /** Uid of the stored profile, or null while a profile is created. */
  profileUid: string | null;
  disabled: boolean;
  error: RelayApiError | null;
  advancedOpen: boolean;
  onAdvancedToggle: (isOpen: boolean) => void;
  onChange: (patch: Partial<ProfileFormState>) => void;
  onSecretGenerated: (secretKey: string) => void;
}

/** Renders the profile editor's inputs. Each input shows the relay's validation error when the error names its field. */
export function ProfileForm(props: ProfileFormProps) {
  const { form, profileUid, disabled, error, onChange } = props;
  const isNew = profileUid === null;

  const onUrlChange = (url: string) => {
    onChange(isSlackWebhookUrl(url) ? { url, kind: 'slack' } : { url });
  };

  return (
    <>
      <FieldSet label="Receiver">
        <Field label="Enable Webhook notifications" description="A disabled profile accepts alerts and skips them">
          <Switch
            id="profile-enabled"
            data-testid={testIds.profileEditor.enabled}
            value={form.enabled}
            disabled={disabled}
            onChange={(event) => onChange({ enabled: event.currentTarget.checked })}
          />
        </Field>

        {isNew && (
          <Field
            label="Uid"
            description="Part of the contact-point URL: 1 to 40 letters, digits, '_' or '-'. Generated when empty."
            {...fieldErrorProps(error, 'uid')}
          >
            <Input
              id="profile-uid"
              data-testid={testIds.profileEditor.uid}
              width={40}
              value={form.uid}
              placeholder="noc-main"
              onChange={(event) => onChange({ uid: event.currentTarget.value })}
            />
          </Field>
        )}

        <Field label="Name" required disabled={disabled} {...fieldErrorProps(error, 'name')}>
          <Input
            id="profile-name"
            data-testid={testIds.profileEditor.name}
            width={60}
            value={form.name}
            placeholder="NOC main"
            disabled={disabled}
            onChange={(event) => onChange({ name: event.currentTarget.value })}
          />
        </Field>

        <Field
          label="URL"
          required
          description={urlDescription(form.kind, isNew)}
          disabled={disabled}
          {...fieldErrorProps(error, 'url')}
        >
          <Input
            id="profile-url"
            data-testid={testIds.profileEditor.url}
            width={80}
            value={form.url}
            placeholder="https://receiver.example/boro"
            disabled={disabled}
            onChange={(event) => onUrlChange(event.currentTarget.value)}
          />
        </Field>

        <Field label="Kind" disabled={disabled} useFieldset {...fieldErrorProps(error, 'kind')}>
          <RadioButtonGroup<ProfileKind>
            data-testid={testIds.profileEditor.kind}
            options={KIND_OPTIONS}
            value={form.kind}
            disabled={disabled}
            onChange={(kind) => onChange({ kind })}
          />
        </Field>
      </FieldSet>

      <FieldSet label="Signing">
        <Field
          label="Sign requests"
          description="Adds Date, X-Authorization-Content-SHA256 and an APIAuth-HMAC-SHA256 Authorization header"
        >
          <Switch
            id="profile-sign-requests"
            data-testid={testIds.profileEditor.signRequests}
            value={form.signRequests}
            disabled={disabled}
            onChange={(event) => onChange({ signRequests: event.currentTarget.checked })}
          />
        </Field>

        <SecretKeyField
          profileUid={profileUid}
          value={form.secretKey}
          isConfigured={form.secretKeyConfigured}
          disabled={disabled}
          {...fieldErrorProps(error, 'secretKey')}
          onChange={(secretKey) => onChange({ secretKey })}
          onReset={() => onChange({ secretKey: '', secretKeyConfigured: false })}
          onGenerated={props.onSecretGenerated}
        />

        <Field
          label="Secret key encoding"
          disabled={disabled}
          useFieldset
          {...fieldErrorProps(error, 'secretKeyEncoding')}
        >
          <RadioButtonGroup<SecretKeyEncoding>
            data-testid={testIds.profileEditor.secretKeyEncoding}
            options={ENCODING_OPTIONS}
            value={form.secretKeyEncoding}
            disabled={disabled}
            onChange={(secretKeyEncoding) => onChange({ secretKeyEncoding })}
          />
        </Field>
      </FieldSet>

      <FieldSet>
        <HeadersEditor
          rows={form.headers}
          disabled={disabled}
          error={error}
          onChange={(headers) => onChange({ headers })}
        />
      </FieldSet>

      <FieldSet label="Message defaults">
        <Field
          label="Level"
          description="The Boro level of every message, such as Warning, Critical or Minor"
          disabled={disabled}
          {...fieldErrorProps(error, 'level')}
        >
          <Input
            id="profile-level"
            data-testid={testIds.profileEditor.level}
            width={30}
            value={form.level}
            disabled={disabled}
            onChange={(event) => onChange({ level: event.currentTarget.value })}
          />
        </Field>
        <Field
          label="Project name"
          description="Used when an alert has no project_name label"
          disabled={disabled}
          {...fieldErrorProps(error, 'projectName')}
        >
          <Input
            id="profile-project-name"
            data-testid={testIds.profileEditor.projectName}
            width={40}
            value={form.projectName}
            disabled={disabled}
            onChange={(event) => onChange({ projectName: event.currentTarget.value })}
          />
        </Field>
        <Field
          label="Level from label"
          description="Name of an alert label, such as severity, whose value replaces the level when an alert has it"
          disabled={disabled}
          {...fieldErrorProps(error, 'levelFromLabel')}
        >
          <Input
            id="profile-level-from-label"
            data-testid={testIds.profileEditor.levelFromLabel}
            width={30}
            value={form.levelFromLabel}
            placeholder="severity"
            disabled={disabled}
            onChange={(event) => onChange({ levelFromLabel: event.currentTarget.value })}
          />
        </Field>
        <Field
          label="Timeout (seconds)"
          description="Time limit of each delivery attempt, 1 to 60"
          disabled={disabled}
          {...fieldErrorProps(error, 'timeoutSeconds')}
        >
          <Input
            id="profile-timeout-seconds"
            data-testid={testIds.profileEditor.timeoutSeconds}
            type="number"
            min={1}
            max={60}
            width={12}
            value={form.timeoutSeconds}
            disabled={disabled}
            onChange={(event) => onChange({ timeoutSeconds: event.currentTarget.value })}
          />
        </Field>
      </FieldSet>

      <AdvancedSection
        form={form}
        disabled={disabled}
        error={error}
        isOpen={props.advancedOpen}
        onToggle={props.onAdvancedToggle}
        onChange={onChange}
      />
    </>
  );
}

function urlDescription(kind: ProfileKind, isNew: boolean): string {
  if (kind === 'slack' && !isNew) {
    return 'The relay hides the path of a Slack webhook URL, which is a credential. Leave it to keep the stored URL, or paste a new one.';
  }
  return 'An http or https URL. A hooks.slack.com URL selects the Slack kind.';
}
