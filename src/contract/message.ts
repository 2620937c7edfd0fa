/** A link from a Boro message to the object that raised it. */
export interface BoroLink {
  type: 'task' | 'subtask' | 'profile';
  href: string;
}

export type BoroStatus = 'Active' | 'Cleared' | 'Event';

/**
 * A Boro webhook notification, one per alert instance. Keys are serialised in the order declared
 * here, and optional keys are left out when empty.
 */
export interface BoroMessage {
  version: '1';
  sequenceId: number;
  referenceNumber?: number;
  project_name: string;
  probe_name: string;
  task_uri: string;
  task_name: string;
  subtask_uri?: string;
  subtask_description?: string;
  trigger: string;
  status: BoroStatus;
  level: string;
  /** RFC 3339 UTC with seconds precision, for example `2026-11-24T10:02:00Z`. */
  time: string;
  time_end?: string;
  /** `1 d 2 h 3 min 4 s`, zero parts left out. */
  duration?: string;
  profile_name: string;
  links?: BoroLink[];
  pid?: string | number;
  count_by_pids?: unknown;
  count?: number;
  details?: unknown;
}

/** The key order of a serialised Boro message. */
export const BORO_MESSAGE_KEYS = [
  'version',
  'sequenceId',
  'referenceNumber',
  'project_name',
  'probe_name',
  'task_uri',
  'task_name',
  'subtask_uri',
  'subtask_description',
  'trigger',
  'status',
  'level',
  'time',
  'time_end',
  'duration',
  'profile_name',
  'links',
  'pid',
  'count_by_pids',
  'count',
  'details',
] as const satisfies ReadonlyArray<keyof BoroMessage>;
