import React, { useCallback, useEffect, useMemo, useState } from 'react';
import { PluginPage } from '@grafana/runtime';
import {
  Alert,
  Badge,
  Button,
  ConfirmModal,
  EmptyState,
  InteractiveTable,
  LinkButton,
  LoadingPlaceholder,
  Stack,
  Text,
  type Column,
} from '@grafana/ui';
import { asRelayApiError, relayClient, type RelayApiError } from '../api/relay-client';
import { PLUGIN_BASE_URL, ROUTES, profileEditorUrl } from '../constants';
import type { ProfileStatus, TestMessageResult } from '../contract/delivery';
import type { Profile } from '../contract/profile';
import { DeliveryStateBadge } from '../components/DeliveryStateBadge';
import { formatTime, formatTimeAgo, targetHost } from '../components/format';
import { testIds } from '../components/testIds';

type LoadState =
  | { status: 'loading' }
  | { status: 'error'; error: RelayApiError }
  | {
      status: 'ready';
      profiles: Profile[];
      statusByUid: Map<string, ProfileStatus>;
      statusError: RelayApiError | null;
    };

interface ProfileRow {
  profile: Profile;
  status: ProfileStatus | undefined;
}

/** The outcome of a row action (test message or delete), shown above the table. */
type ActionResult = { severity: 'success' | 'error'; title: string; detail?: string };

const NEW_PROFILE_URL = `${PLUGIN_BASE_URL}/${ROUTES.NewProfile}`;

/** Lists the relay's webhook profiles with their last delivery, and offers edit, test and delete. */
export default function ProfilesPage() {
  const [loadState, setLoadState] = useState<LoadState>({ status: 'loading' });
  const [actionResult, setActionResult] = useState<ActionResult | null>(null);
  const [profileToDelete, setProfileToDelete] = useState<Profile | null>(null);
  const [testingUid, setTestingUid] = useState<string | null>(null);

  // Each increment fetches the list again; the current table stays on screen until the new response arrives.
  const [reloadCount, setReloadCount] = useState(0);
  const reload = useCallback(() => setReloadCount((count) => count + 1), []);

  useEffect(() => {
    let cancelled = false;
    fetchProfiles().then((state) => {
      if (!cancelled) {
        setLoadState(state);
      }
    });
    return () => {
      cancelled = true;
    };
  }, [reloadCount]);

  const sendTest = useCallback(
    async (profile: Profile) => {
      setTestingUid(profile.uid);
      setActionResult(null);
      try {
        setActionResult(describeTestResult(profile, await relayClient.sendTestMessage(profile.uid)));
      } catch (error) {
        setActionResult({
          severity: 'error',
          title: `Sending a test message to '${profile.name}' failed`,
          detail: asRelayApiError(error).message,
        });
      } finally {
        setTestingUid(null);
      }
      reload();
    },
    [reload]
  );

  const deleteProfile = async (profile: Profile) => {
    setProfileToDelete(null);
    try {
      await relayClient.deleteProfile(profile.uid);
      setActionResult({ severity: 'success', title: `Profile '${profile.name}' deleted` });
    } catch (error) {
      setActionResult({
        severity: 'error',
        title: `Deleting profile '${profile.name}' failed`,
        detail: asRelayApiError(error).message,
      });
    }
    reload();
  };

  return (
    <PluginPage>
      <div data-testid={testIds.profiles.container}>
        <Stack direction="column" gap={2}>
          <Stack direction="row" justifyContent="flex-end">
            <LinkButton icon="plus" href={NEW_PROFILE_URL} data-testid={testIds.profiles.newProfile}>
              New profile
            </LinkButton>
          </Stack>

          {actionResult && (
            <Alert
              severity={actionResult.severity}
              title={actionResult.title}
              data-testid={testIds.profiles.actionResult}
              onRemove={() => setActionResult(null)}
            >
              {actionResult.detail}
            </Alert>
          )}

          <ProfilesContent
            loadState={loadState}
            testingUid={testingUid}
            onSendTest={sendTest}
            onDelete={setProfileToDelete}
          />
        </Stack>

        <ConfirmModal
          isOpen={profileToDelete !== null}
          title="Delete profile?"
          body={
            profileToDelete &&
            `Profile '${profileToDelete.name}' and its delivery log will be deleted. Contact points that post to /api/v1/webhook/${profileToDelete.uid} will then get 404.`
          }
          confirmText="Delete"
          onConfirm={() => (profileToDelete ? deleteProfile(profileToDelete) : undefined)}
          onDismiss={() => setProfileToDelete(null)}
        />
      </div>
    </PluginPage>
  );
}

/** Loads the profiles and their delivery status into a screen state, turning a failed request into the error state. */
async function fetchProfiles(): Promise<LoadState> {
  try {
    const [profiles, statusOutcome] = await Promise.all([relayClient.listProfiles(), loadStatus()]);
    return { status: 'ready', profiles, ...statusOutcome };
  } catch (error) {
    return { status: 'error', error: asRelayApiError(error) };
  }
}

/** Loads the delivery status of every profile; the table still shows the profiles when this fails. */
async function loadStatus(): Promise<{ statusByUid: Map<string, ProfileStatus>; statusError: RelayApiError | null }> {
  try {
    const statuses = await relayClient.status();
    return { statusByUid: new Map(statuses.map((status) => [status.uid, status])), statusError: null };
  } catch (error) {
    return { statusByUid: new Map(), statusError: asRelayApiError(error) };
  }
}

function describeTestResult(profile: Profile, result: TestMessageResult): ActionResult {
  const response = result.statusCode === null ? 'no HTTP response' : `HTTP ${result.statusCode}`;
  if (result.delivered) {
    return {
      severity: 'success',
      title: `Test message to '${profile.name}' delivered: ${response} in ${result.durationMs} ms`,
    };
  }
  return {
    severity: 'error',
    title: `Test message to '${profile.name}' not delivered: ${response}`,
    detail: `${result.error ?? 'The receiver did not accept the message.'} The profile editor shows the request and response.`,
  };
}

interface ProfilesContentProps {
  loadState: LoadState;
  testingUid: string | null;
  onSendTest: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
}

function ProfilesContent({ loadState, testingUid, onSendTest, onDelete }: ProfilesContentProps) {
  if (loadState.status === 'loading') {
    return <LoadingPlaceholder text="Loading profiles..." />;
  }

  if (loadState.status === 'error') {
    return (
      <Alert severity="error" title="Loading profiles failed" data-testid={testIds.profiles.error}>
        {loadState.error.message}
      </Alert>
    );
  }

  if (loadState.profiles.length === 0) {
    return <ProfilesEmptyState />;
  }

  const rows = loadState.profiles.map((profile) => ({ profile, status: loadState.statusByUid.get(profile.uid) }));
  return (
    <>
      {loadState.statusError && (
        <Alert severity="warning" title="Delivery status is unavailable">
          {loadState.statusError.message}
        </Alert>
      )}
      <ProfilesTable rows={rows} testingUid={testingUid} onSendTest={onSendTest} onDelete={onDelete} />
    </>
  );
}

function ProfilesEmptyState() {
  return (
    <div data-testid={testIds.profiles.emptyState}>
      <EmptyState
        variant="call-to-action"
        message="No webhook profiles yet"
        button={
          <LinkButton icon="plus" href={NEW_PROFILE_URL}>
            New profile
          </LinkButton>
        }
      >
        A profile says where the relay delivers alerts: a Boro HTTP receiver or a Slack incoming webhook. Create a
        profile, then point a Grafana contact point of type Webhook at the relay&apos;s URL for it
        (/api/v1/webhook/&lt;profile uid&gt;). The profile editor shows that URL and a provisioning file.
      </EmptyState>
    </div>
  );
}

interface ProfilesTableProps {
  rows: ProfileRow[];
  testingUid: string | null;
  onSendTest: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
}

function ProfilesTable({ rows, testingUid, onSendTest, onDelete }: ProfilesTableProps) {
  const columns = useMemo<Array<Column<ProfileRow>>>(
    () => [
      { id: 'name', header: 'Name', cell: ({ row }) => <NameCell profile={row.original.profile} /> },
      { id: 'kind', header: 'Kind', cell: ({ row }) => (row.original.profile.kind === 'slack' ? 'Slack' : 'Webhook') },
      { id: 'target', header: 'Target host', cell: ({ row }) => targetHost(row.original.profile.url) },
      {
        id: 'enabled',
        header: 'Enabled',
        cell: ({ row }) =>
          row.original.profile.enabled ? (
            <Badge color="green" text="Enabled" />
          ) : (
            <Badge color="darkgrey" text="Disabled" />
          ),
      },
      {
        id: 'signed',
        header: 'Signed',
        cell: ({ row }) => (row.original.profile.signRequests ? 'Signed' : 'Not signed'),
      },
      {
        id: 'lastDelivery',
        header: 'Last delivery',
        cell: ({ row }) => <LastDeliveryCell status={row.original.status} />,
      },
      {
        id: 'actions',
        header: '',
        cell: ({ row }) => (
          <ActionsCell
            profile={row.original.profile}
            testing={testingUid === row.original.profile.uid}
            onSendTest={onSendTest}
            onDelete={onDelete}
          />
        ),
      },
    ],
    [testingUid, onSendTest, onDelete]
  );

  return (
    <div data-testid={testIds.profiles.table}>
      <InteractiveTable columns={columns} data={rows} getRowId={(row) => row.profile.uid} />
    </div>
  );
}

function NameCell({ profile }: { profile: Profile }) {
  return (
    <Stack direction="row" gap={1} alignItems="center" data-testid={testIds.profiles.row(profile.uid)}>
      <LinkButton fill="text" size="sm" href={profileEditorUrl(profile.uid)}>
        {profile.name}
      </LinkButton>
      {profile.provisioned && (
        <span data-testid={testIds.profiles.provisionedBadge(profile.uid)}>
          <Badge
            color="purple"
            text="Provisioned"
            tooltip={`Provisioned from ${profile.provisionedFrom ?? 'a YAML file'}`}
          />
        </span>
      )}
    </Stack>
  );
}

function LastDeliveryCell({ status }: { status: ProfileStatus | undefined }) {
  if (!status?.lastState || !status.lastDeliveryAt) {
    return <Text color="secondary">No deliveries yet</Text>;
  }
  return (
    <Stack direction="row" gap={1} alignItems="center">
      <DeliveryStateBadge state={status.lastState} />
      <span title={formatTime(status.lastDeliveryAt)}>{formatTimeAgo(status.lastDeliveryAt)}</span>
    </Stack>
  );
}

interface ActionsCellProps {
  profile: Profile;
  testing: boolean;
  onSendTest: (profile: Profile) => void;
  onDelete: (profile: Profile) => void;
}

function ActionsCell({ profile, testing, onSendTest, onDelete }: ActionsCellProps) {
  return (
    <Stack direction="row" gap={1} justifyContent="flex-end">
      <LinkButton
        size="sm"
        variant="secondary"
        icon="pen"
        href={profileEditorUrl(profile.uid)}
        data-testid={testIds.profiles.edit(profile.uid)}
      >
        Edit
      </LinkButton>
      <LinkButton
        size="sm"
        variant="secondary"
        fill="text"
        href={`${PLUGIN_BASE_URL}/${ROUTES.Deliveries}?profile=${encodeURIComponent(profile.uid)}`}
      >
        Deliveries
      </LinkButton>
      <Button
        size="sm"
        variant="secondary"
        icon="message"
        disabled={testing}
        data-testid={testIds.profiles.sendTest(profile.uid)}
        onClick={() => onSendTest(profile)}
      >
        {testing ? 'Sending...' : 'Send test'}
      </Button>
      {!profile.provisioned && (
        <Button
          size="sm"
          variant="destructive"
          icon="trash-alt"
          aria-label={`Delete ${profile.name}`}
          data-testid={testIds.profiles.delete(profile.uid)}
          onClick={() => onDelete(profile)}
        />
      )}
    </Stack>
  );
}
