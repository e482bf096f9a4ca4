import type { RecurrenceAnchor } from '../api/types';
import {
  type IntervalUnit,
  previewOccurrences,
  type RecurrenceEnd,
  type RecurrenceForm,
  type RecurrenceKind,
  summarizeRecurrence,
  toRRule,
  WEEKDAY_NAMES,
} from '../lib/recurrence';
import { type WallClock, wallClockToInstant } from '../lib/time';

interface RecurrencePickerProps {
  value: RecurrenceForm;
  anchor: RecurrenceAnchor;
  due: WallClock | null;
  allDay: boolean;
  timeZone: string;
  onChange: (value: RecurrenceForm) => void;
  onAnchorChange: (anchor: RecurrenceAnchor) => void;
}

const KINDS: { value: RecurrenceKind; label: string }[] = [
  { value: 'none', label: 'Does not repeat' },
  { value: 'daily', label: 'Daily' },
  { value: 'weekdays', label: 'Every weekday (Mon–Fri)' },
  { value: 'weekly', label: 'Weekly on…' },
  { value: 'monthly', label: 'Monthly on a day' },
  { value: 'custom', label: 'Custom interval…' },
];

function seriesStart(due: WallClock, allDay: boolean, timeZone: string): Date {
  return allDay ? new Date(Date.UTC(due.year, due.month - 1, due.day)) : wallClockToInstant(due, timeZone);
}

function formatOccurrence(occurrence: Date, allDay: boolean, timeZone: string): string {
  return occurrence.toLocaleString(undefined, {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    ...(allDay ? { timeZone: 'UTC' } : { hour: 'numeric', minute: '2-digit', timeZone }),
  });
}

export function RecurrencePicker({
  value,
  anchor,
  due,
  allDay,
  timeZone,
  onChange,
  onAnchorChange,
}: RecurrencePickerProps) {
  const set = <K extends keyof RecurrenceForm>(key: K, next: RecurrenceForm[K]) =>
    onChange({ ...value, [key]: next });
  const rule = due ? toRRule(value) : null;
  const showWeekdays = value.kind === 'weekly' || (value.kind === 'custom' && value.unit === 'week');
  const showMonthDay = value.kind === 'monthly' || (value.kind === 'custom' && value.unit === 'month');

  return (
    <fieldset className="recurrence" disabled={!due}>
      <legend>Repeat{due ? '' : ' (set a due date first)'}</legend>
      <label className="sr-only" htmlFor="recurrence-kind">
        Repeat
      </label>
      <select
        id="recurrence-kind"
        value={value.kind}
        onChange={(event) => set('kind', event.target.value as RecurrenceKind)}
      >
        {KINDS.map((kind) => (
          <option key={kind.value} value={kind.value}>
            {kind.label}
          </option>
        ))}
      </select>

      {value.kind === 'custom' && (
        <div className="inline-fields">
          <label>
            Every
            <input
              type="number"
              min={1}
              max={365}
              className="narrow"
              value={value.interval}
              onChange={(event) => set('interval', Math.max(1, Number(event.target.value) || 1))}
            />
          </label>
          <select
            aria-label="Interval unit"
            value={value.unit}
            onChange={(event) => set('unit', event.target.value as IntervalUnit)}
          >
            <option value="day">days</option>
            <option value="week">weeks</option>
            <option value="month">months</option>
            <option value="year">years</option>
          </select>
        </div>
      )}

      {showWeekdays && (
        <fieldset className="weekday-picker">
          <legend className="sr-only">Days of the week</legend>
          {WEEKDAY_NAMES.map((name, day) => {
            const on = value.weekdays.includes(day);
            return (
              <button
                key={name}
                type="button"
                className={`weekday${on ? ' on' : ''}`}
                aria-pressed={on}
                onClick={() =>
                  set(
                    'weekdays',
                    on ? value.weekdays.filter((other) => other !== day) : [...value.weekdays, day],
                  )
                }
              >
                {name}
              </button>
            );
          })}
        </fieldset>
      )}

      {showMonthDay && (
        <label className="inline-fields">
          On day
          <input
            type="number"
            min={1}
            max={31}
            className="narrow"
            value={value.monthDay}
            onChange={(event) => set('monthDay', Math.min(31, Math.max(1, Number(event.target.value) || 1)))}
          />
        </label>
      )}

      {value.kind !== 'none' && (
        <>
          <div className="inline-fields">
            <label>
              Ends
              <select value={value.end} onChange={(event) => set('end', event.target.value as RecurrenceEnd)}>
                <option value="never">never</option>
                <option value="count">after…</option>
                <option value="until">on date…</option>
              </select>
            </label>
            {value.end === 'count' && (
              <label>
                <input
                  type="number"
                  min={1}
                  className="narrow"
                  aria-label="Number of occurrences"
                  value={value.count}
                  onChange={(event) => set('count', Math.max(1, Number(event.target.value) || 1))}
                />{' '}
                times
              </label>
            )}
            {value.end === 'until' && (
              <input
                type="date"
                aria-label="Last date"
                value={value.until}
                onChange={(event) => set('until', event.target.value)}
              />
            )}
          </div>
          <label className="inline-fields">
            Next one counts from
            <select
              value={anchor}
              onChange={(event) => onAnchorChange(event.target.value as RecurrenceAnchor)}
            >
              <option value="due">the due date</option>
              <option value="completion">when I complete it</option>
            </select>
          </label>
          {rule && due && (
            <div className="occurrences" aria-live="polite">
              <p>
                <strong>↻ {summarizeRecurrence(rule)}</strong>
              </p>
              <p className="muted">
                Dates:{' '}
                {previewOccurrences(rule, seriesStart(due, allDay, timeZone), allDay, timeZone, 5)
                  .map((occurrence) => formatOccurrence(occurrence, allDay, timeZone))
                  .join(' · ')}
              </p>
            </div>
          )}
        </>
      )}
    </fieldset>
  );
}
