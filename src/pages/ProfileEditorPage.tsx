import React, { useEffect, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router-dom';
import { usePluginContext } from '@grafana/data';
import { PluginPage } from '@grafana/runtime';
import { Alert, Button, LinkButton, LoadingPlaceholder, Stack } from '@grafana/ui';
import { asRelayApiError, relayClient, type RelayApiError } from '../api/relay-client';
import { PLUGIN_BASE_URL, ROUTES, profileEditorUrl } from '../constants';
import type { TestMessageResult } from '../contract/delivery';
import type { Profile } from '../contract/profile';
import { isAdvancedField, isShownAtField } from '../components/ProfileEditor/field-errors';
import {
  emptyProfileForm,
  formToProfileInput,
  profileToForm,
  type ProfileFormState,
} from '../components/ProfileEditor/profile-form';
import { ProfileForm } from '../components/ProfileEditor/ProfileForm';
import { TestMessageResultView } from '../components/ProfileEditor/TestMessageResultView';
import { WiringPanel } from '../components/ProfileEditor/WiringPanel';
import { testIds } from '../components/testIds';
import type { AppSettings } from '../types';

type LoadState =
  { status: 'loading' } | { status: 'error'; error: RelayApiError } | { status: 'ready'; profile: Profile | null };

/** Location state set after a profile is created, so the editor of the new profile can show that it was saved. */
interface EditorLocationState {
  created?: boolean;
}

/** Editor of one profile at `/profiles/<uid>`, or of a new one at `/profiles/new`. */
export default function ProfileEditorPage() {
  const { uid } = useParams<{ uid: string }>();
  // A new key gives each profile (and the new-profile form) fresh state, also when only the uid changes.
  return <ProfileEditorLoader key={uid ?? ''} uid={uid} />;
}

function ProfileEditorLoader({ uid }: { uid: string | undefined }) {
  const [loadState, setLoadState] = useState<LoadState>(
    uid === undefined ? { status: 'ready', profile: null } : { status: 'loading' }
  );
  const [form, setForm] = useState<ProfileFormState>(emptyProfileForm);

  useEffect(() => {
    if (uid === undefined) {
      return;
    }

    let cancelled = false;
    relayClient.getProfile(uid).then(
      (profile) => {
        if (!cancelled) {
          setForm(profileToForm(profile));
          setLoadState({ status: 'ready', profile });
        }
      },
      (error: unknown) => {
        if (!cancelled) {
          setLoadState({ status: 'error', error: asRelayApiError(error) });
        }
      }
    );
    return () => {
      cancelled = true;
    };
  }, [uid]);

  if (loadState.status === 'loading') {
    return (
      <PluginPage>
        <LoadingPlaceholder text="Loading profile..." />
      </PluginPage>
    );
  }

  if (loadState.status === 'error') {
    return (
      <PluginPage>
        <Alert severity="error" title={`Loading profile '${uid}' failed`} data-testid={testIds.profileEditor.error}>
          {loadState.error.message}
        </Alert>
        <LinkButton variant="secondary" href={`${PLUGIN_BASE_URL}/${ROUTES.Profiles}`}>
          Back to profiles
        </LinkButton>
      </PluginPage>
    );
  }

  return (
    <ProfileEditor
      profile={loadState.profile}
      form={form}
      setForm={setForm}
      onSaved={(profile) => {
        setForm(profileToForm(profile));
        setLoadState({ status: 'ready', profile });
      }}
    />
  );
}

interface ProfileEditorProps {
  /** The stored profile, or null while a profile is created. */
  profile: Profile | null;
  form: ProfileFormState;
  setForm: React.Dispatch<React.SetStateAction<ProfileFormState>>;
  onSaved: (profile: Profile) => void;
}

function ProfileEditor({ profile, form, setForm, onSaved }: ProfileEditorProps) {
  const navigate = useNavigate();
  const location = useLocation();
  const relayUrl = usePluginContext<AppSettings>()?.meta.jsonData?.relayUrl;

  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<RelayApiError | null>(null);
  const [saved, setSaved] = useState(Boolean((location.state as EditorLocationState | null)?.created));
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [testing, setTesting] = useState(false);
  const [testResult, setTestResult] = useState<TestMessageResult | null>(null);
  const [testError, setTestError] = useState<RelayApiError | null>(null);

  const isNew = profile === null;
  const readOnly = profile?.provisioned ?? false;

  const updateForm = (patch: Partial<ProfileFormState>) => {
    setSaved(false);
    setForm((current) => ({ ...current, ...patch }));
  };

  const onSecretGenerated = (secretKey: string) => {
    if (isNew) {
      updateForm({ secretKey });
    } else {
      updateForm({ secretKey: '', secretKeyConfigured: true, secretKeyWasSet: true });
    }
  };

  const save = async () => {
    setSaving(true);
    setSaveError(null);
    setSaved(false);
    try {
      const input = formToProfileInput(form, isNew);
      if (isNew) {
        const created = await relayClient.createProfile(input);
        navigate(profileEditorUrl(created.uid), {
          replace: true,
          state: { created: true } satisfies EditorLocationState,
        });
        return;
      }
      onSaved(await relayClient.updateProfile(profile.uid, input));
      setSaved(true);
    } catch (error) {
      const relayError = asRelayApiError(error);
      setSaveError(relayError);
      if (isAdvancedField(relayError)) {
        setAdvancedOpen(true);
      }
    } finally {
      setSaving(false);
    }
  };

  const sendTest = async () => {
    if (profile === null) {
      return;
    }
    setTesting(true);
    setTestResult(null);
    setTestError(null);
    try {
      setTestResult(await relayClient.sendTestMessage(profile.uid));
    } catch (error) {
      setTestError(asRelayApiError(error));
    } finally {
      setTesting(false);
    }
  };

  return (
    <PluginPage pageNav={{ text: profile ? profile.name : 'New profile' }}>
      <div data-testid={testIds.profileEditor.container}>
        <Stack direction="column" gap={2}>
          {readOnly && (
            <Alert severity="info" title="Provisioned profile" data-testid={testIds.profileEditor.provisionedInfo}>
              This profile is provisioned from {profile?.provisionedFrom ?? 'a YAML file'} and is read-only here. Edit
              that file and restart the relay to change it.
            </Alert>
          )}

          <div>
            <ProfileForm
              form={form}
              profileUid={profile?.uid ?? null}
              disabled={readOnly}
              error={saveError}
              advancedOpen={advancedOpen}
              onAdvancedToggle={setAdvancedOpen}
              onChange={updateForm}
              onSecretGenerated={onSecretGenerated}
            />
          </div>

          <SaveOutcome error={saveError} saved={saved} headerCount={form.headers.length} isNew={isNew} />

          <Stack direction="row" gap={1}>
            {!readOnly && (
              <Button data-testid={testIds.profileEditor.save} disabled={saving} onClick={save}>
                {saving ? 'Saving...' : 'Save'}
              </Button>
            )}
            {profile && (
              <Button
                variant="secondary"
                icon="message"
                data-testid={testIds.profileEditor.sendTest}
                disabled={testing}
                tooltip="Sends a test message with the saved settings"
                onClick={sendTest}
              >
                {testing ? 'Sending...' : 'Send test message'}
              </Button>
            )}
            <LinkButton variant="secondary" fill="outline" href={`${PLUGIN_BASE_URL}/${ROUTES.Profiles}`}>
              Back to profiles
            </LinkButton>
          </Stack>

          {testError && (
            <Alert severity="error" title="Sending the test message failed">
              {testError.message}
            </Alert>
          )}
          {testResult && <TestMessageResultView result={testResult} />}

          <WiringPanel relayUrl={relayUrl} uid={profile?.uid ?? null} profileName={form.name} />
        </Stack>
      </div>
    </PluginPage>
  );
}

interface SaveOutcomeProps {
  error: RelayApiError | null;
  saved: boolean;
  headerCount: number;
  isNew: boolean;
}

/** Shows the result of Save: a success note, a pointer to the invalid field, or the whole error. */
function SaveOutcome({ error, saved, headerCount, isNew }: SaveOutcomeProps) {
  if (error && isShownAtField(error, headerCount, isNew)) {
    return (
      <Alert severity="error" title="The profile was not saved" data-testid={testIds.profileEditor.saveResult}>
        The relay rejected {error.field}; its message is shown at that field.
      </Alert>
    );
  }
  if (error) {
    return (
      <Alert severity="error" title="The profile was not saved" data-testid={testIds.profileEditor.saveResult}>
        {error.message}
      </Alert>
    );
  }
  if (saved) {
    return <Alert severity="success" title="Profile saved" data-testid={testIds.profileEditor.saveResult} />;
  }
  return null;
}
