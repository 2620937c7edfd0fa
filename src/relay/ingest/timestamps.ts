/**
 * RFC 3339 timestamps as Go writes them: `2026-11-24T10:02:00.123456789Z` or `...+05:30`, with 0 to 9
 * fractional digits. `Date.parse` is not used because engines differ on fractions beyond milliseconds
 * and map two-digit years such as `0001` to the 1900s.
 */
const RFC_3339_PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

const MS_PER_SECOND = 1000;
const MS_PER_MINUTE = 60 * MS_PER_SECOND;
const MS_PER_HOUR = 60 * MS_PER_MINUTE;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/** Go's zero `time.Time`, which Grafana and Alertmanager send as `endsAt` of an alert that has not ended. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** `GO_ZERO_TIME` as epoch milliseconds. */
export const GO_ZERO_TIME_MS = -62_135_596_800_000;

/**
 * Parses an RFC 3339 timestamp to epoch milliseconds, or returns undefined when the text is not one.
 * Fractions finer than a millisecond are truncated towards the earlier instant. Leap seconds (`:60`) are
 * rejected, as Go's `time.Parse` does.
 */
export function parseRfc3339(text: string): number | undefined {
  const match = RFC_3339_PATTERN.exec(text);
  if (match === null) return undefined;

  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number, number, number, number, number, number,
  ];
  if (month < 1 || month > 12) return undefined;
  if (day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;

  const offsetMs = parseOffsetMs(match[8], match[9], match[10], match[11]);
  if (offsetMs === undefined) return undefined;

  const fractionMs = Number((match[7] ?? '').padEnd(3, '0').slice(0, 3));
  const localMs =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    hour * MS_PER_HOUR +
    minute * MS_PER_MINUTE +
    second * MS_PER_SECOND +
    fractionMs;
  return localMs - offsetMs;
}

/** Formats epoch milliseconds as a Boro time: RFC 3339 in UTC, truncated to seconds (`2026-11-24T10:02:00Z`). */
export function formatBoroTime(epochMs: number): string {
  const wholeSecondsMs = Math.floor(epochMs / MS_PER_SECOND) * MS_PER_SECOND;
  return new Date(wholeSecondsMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseOffsetMs(
  utcDesignator: string | undefined,
  sign: string | undefined,
  hours: string | undefined,
  minutes: string | undefined,
): number | undefined {
  if (utcDesignator !== undefined) return 0;

  const offsetHours = Number(hours);
  const offsetMinutes = Number(minutes);
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;

  const magnitudeMs = offsetHours * MS_PER_HOUR + offsetMinutes * MS_PER_MINUTE;
  return sign === '-' ? -magnitudeMs : magnitudeMs;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
