const DURATION_UNITS = [
  { name: 'd', seconds: 86_400 },
  { name: 'h', seconds: 3_600 },
  { name: 'min', seconds: 60 },
  { name: 's', seconds: 1 },
] as const;

/**
 * Formats a duration as Boro writes it: `1 d 2 h 3 min 4 s`, zero parts left out, `0 s` when nothing
 * is left. Milliseconds are truncated to whole seconds, and a negative duration becomes `0 s`.
 */
export function formatDuration(durationMs: number): string {
  let remainingSeconds = Math.max(0, Math.floor(durationMs / 1000));
  const parts: string[] = [];

  for (const unit of DURATION_UNITS) {
    const count = Math.floor(remainingSeconds / unit.seconds);
    remainingSeconds -= count * unit.seconds;
    if (count > 0) parts.push(`${count} ${unit.name}`);
  }

  return parts.length === 0 ? '0 s' : parts.join(' ');
}
