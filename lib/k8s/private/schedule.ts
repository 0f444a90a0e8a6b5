import { Token } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from '../../core';

/**
 * Checks for the KEDA cron scaler's schedule fields (https://keda.sh/docs/2.20/scalers/cron/):
 * `start` / `end` are "Linux format cron" (minute hour day-of-month month day-of-week), parsed by
 * robfig/cron v3's standard parser (kedacore/keda `pkg/scalers/cron_scaler.go`); `timezone` is
 * an IANA Time Zone Database name loaded with Go's `time.LoadLocation` (case-sensitive).
 */

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: string[];
}

/** The five fields and their bounds as robfig/cron v3 defines them (`parser.go`: minutes, hours, dom, months, dow). */
const FIELDS: CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** A value of a field (a number or, for month and day of week, a three-letter name), or undefined. */
function fieldValue(f: CronField, text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    return Number(text);
  }
  const i = f.names?.indexOf(text.toUpperCase()) ?? -1;
  return i < 0 ? undefined : i + f.min;
}

/** Why one comma-separated part of a field is invalid, or undefined when it is valid. */
function partProblem(f: CronField, part: string): string | undefined {
  const [range, step, extra] = part.split('/');
  if (extra !== undefined || range === '') {
    return `'${part}' is not a value, a range a-b, '*' or a step x/n`;
  }
  if (step !== undefined && (!/^\d+$/.test(step) || Number(step) === 0)) {
    return `the step in '${part}' must be a whole number above 0`;
  }
  if (range === '*' || range === '?') {
    return undefined;
  }
  const bounds = range.split('-');
  if (bounds.length > 2) {
    return `'${part}' is not a value, a range a-b, '*' or a step x/n`;
  }
  const values = bounds.map((b) => fieldValue(f, b));
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === undefined || v < f.min || v > f.max) {
      return `'${bounds[i]}' is outside ${f.min}-${f.max}${f.names ? ` (or ${f.names[0]}-${f.names[f.names.length - 1]})` : ''}`;
    }
  }
  if (values.length === 2 && values[0]! > values[1]!) {
    return `the range '${range}' runs backwards`;
  }
  return undefined;
}

/**
 * Validates a five-field cron expression as the KEDA cron scaler's parser accepts it (numbers,
 * `*`, `?`, ranges, steps, lists, month and weekday names). Unresolved tokens are skipped.
 */
export function assertCron(scope: IConstruct, prop: string, expression: string): void {
  if (Token.isUnresolved(expression)) {
    return;
  }
  const fields = typeof expression === 'string' ? expression.trim().split(/\s+/) : [];
  let problem: string | undefined;
  if (fields.length !== 5) {
    problem = `it has ${fields.length} fields; KEDA takes 5 (minute hour day-of-month month day-of-week)`;
  } else {
    for (let i = 0; i < 5 && !problem; i++) {
      for (const part of fields[i].split(',')) {
        const p = partProblem(FIELDS[i], part);
        if (p) {
          problem = `${FIELDS[i].name}: ${p}`;
          break;
        }
      }
    }
  }
  if (problem) {
    throw new ValidationError(
      `'${prop}' ('${expression}') is not a cron expression the KEDA cron scaler accepts: ${problem}. ` +
        `For example '0 8 * * 1-5' (08:00 Monday to Friday).`,
      scope,
    );
  }
}

/** IANA names the Node.js runtime knows (ICU's canonical ids), for suggestions. */
let knownZones: string[] | undefined;
function zones(): string[] {
  knownZones ??= Intl.supportedValuesOf('timeZone');
  return knownZones;
}

/** The shape of an IANA zone name (`Area/Location[/Sub]`, `UTC`, `EST5EDT`), case as published. */
const IANA_NAME = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z0-9][A-Za-z0-9_+-]*){0,2}$/;

/**
 * Validates an IANA time zone name: one the runtime's time zone database resolves (Node's
 * `Intl`, which knows canonical names and links such as `Asia/Kolkata` or `UTC`), spelt with the
 * database's capitalisation (Go's `time.LoadLocation` reads zoneinfo files by exact name).
 * Offsets (`+01:00`) and abbreviations Go does not load are rejected. Tokens are skipped.
 */
export function assertTimeZone(scope: IConstruct, prop: string, timeZone: string): void {
  if (Token.isUnresolved(timeZone)) {
    return;
  }
  // A canonical name needs no Intl.DateTimeFormat: the first one a process makes loads ICU's
  // time zone data (about 10-30 ms of CPU; the list of names costs a few ms).
  if (typeof timeZone === 'string' && zones().includes(timeZone)) {
    return;
  }
  let resolved: string | undefined;
  try {
    resolved =
      typeof timeZone === 'string'
        ? new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone
        : undefined;
  } catch {
    resolved = undefined;
  }
  if (resolved && IANA_NAME.test(timeZone)) {
    return;
  }
  const lower = typeof timeZone === 'string' ? timeZone.toLowerCase() : '';
  const suggestion =
    zones().find((z) => z.toLowerCase() === lower) ??
    (resolved && IANA_NAME.test(resolved) ? resolved : undefined);
  throw new ValidationError(
    `'${prop}' ('${timeZone}') is not an IANA time zone name: use a name from the tz database such as 'Europe/Berlin', ` +
      `'America/New_York' or 'UTC'${suggestion ? ` (did you mean '${suggestion}'?)` : ''}. KEDA loads it with Go's ` +
      `time.LoadLocation, which is case-sensitive and takes no offsets.`,
    scope,
  );
}
