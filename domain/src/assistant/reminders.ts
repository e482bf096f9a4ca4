/**
 * Reminder phrases → ISO 8601 offsets before the due time ("remind me 30 minutes before" →
 * PT30M, "a day before" → P1D, "remind me at 7" on a task due at 9 → PT2H).
 */
import type { DateTime } from 'luxon';
import { DEFAULT_ALL_DAY_REMINDER_TIME } from '../reminders/index.js';
import type { Due } from './dates.js';
import { COUNT_PATTERN, parseCount } from './text.js';

export interface ReminderMatch {
  /** An offset before due, or an absolute time of day to turn into one once the due is known. */
  offset?: string;
  at?: { hour: number; minute: number; meridiemKnown: boolean };
  index: number;
  length: number;
}

const REMIND_VERB =
  '(?:(?:and |, ?|with )?(?:please )?(?:remind(?: me)?|alert(?: me)?|notify(?: me)?|ping(?: me)?|nudge(?: me)?|send (?:me )?a reminder|(?:set |add |with |and )?an? (?:reminder|alert|notification)))';

const UNIT = '(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w)';

/**
 * "remind me 30 minutes before", read around its keyword rather than by one pattern from the verb
 * on (which backtracked polynomially): each " before"/" earlier"/… is found once, the offset is one
 * of the few words before it, and the verb must end right before the offset.
 */
const BEFORE_KEYWORD =
  / (?:before|earlier|ahead|in advance|prior)(?: (?:it(?:'s| is)? due|(?:it )?starts|the due time|that))?/gi;
const OFFSET_WORDS = new RegExp(
  `^(?:(${COUNT_PATTERN}) ?${UNIT}|(the day|the night|the week|the hour))$`,
  'i',
);
const VERB_AT_END = new RegExp(`${REMIND_VERB}(?: (?:me|it))?(?: about it| of it)? $`, 'i');
/** The longest offset in words ("a couple of hours"), the most text the verb can span, and both with room to spare. */
const MAX_OFFSET_WORDS = 4;
const MAX_VERB_LENGTH = 48;
const LOOK_BEHIND = 160;

/** The offset an "N units" / "the day" phrase names, e.g. "15 minutes" → PT15M, or null. */
function offsetOfWords(offsetWords: RegExpExecArray): string | null {
  if (offsetWords[3]) {
    const unit = offsetWords[3].toLowerCase().replace('the ', '');
    return unit === 'week' ? 'P7D' : unit === 'hour' ? 'PT1H' : 'P1D';
  }
  const count = parseCount(offsetWords[1]!.toLowerCase());
  return count === null ? null : offsetFor(count, offsetWords[2]!);
}

const REMINDER_LEAD =
  /^(?:remind me|ping me|alert me|notify me|nudge me|(?:add|set(?: up)?|put) an? (?:reminder|alert|notification)) /i;

/**
 * "ping me 15 minutes before the vet", "add a reminder 1 day before the budget review": a
 * reminder for a task named after "before". The offset is the words in between.
 */
export function reminderBeforeTask(text: string): { offset: string; reference: string } | null {
  const lead = REMINDER_LEAD.exec(text);
  if (!lead) return null;
  const rest = text.slice(lead[0].length);
  const before = rest.toLowerCase().indexOf(' before ');
  if (before < 0 || before > 24) return null;
  const offsetWords = OFFSET_WORDS.exec(rest.slice(0, before));
  const offset = offsetWords ? offsetOfWords(offsetWords) : null;
  const reference = rest.slice(before + ' before '.length);
  return offset && reference ? { offset, reference } : null;
}

/** The reminder-before phrase ending at a keyword, read backwards from it: at most a few short tests. */
function beforeAt(text: string, keyword: RegExpExecArray): { offset: string | null; index: number } | null {
  const start = Math.max(0, keyword.index - LOOK_BEHIND);
  const words = text.slice(start, keyword.index).split(' ');
  for (let n = Math.min(MAX_OFFSET_WORDS, words.length - 1); n >= 1; n--) {
    const offsetWords = OFFSET_WORDS.exec(words.slice(words.length - n).join(' '));
    if (!offsetWords) continue;
    const beforeOffset = `${words.slice(0, words.length - n).join(' ')} `;
    const window = beforeOffset.slice(-MAX_VERB_LENGTH);
    const verb = VERB_AT_END.exec(window);
    if (!verb) continue;
    return {
      offset: offsetOfWords(offsetWords),
      index: start + beforeOffset.length - window.length + verb.index,
    };
  }
  return null;
}

const AT_TIME = new RegExp(
  `${REMIND_VERB}(?: me)? at (\\d{1,2}(?::\\d{2})? ?(?:am|pm|a\\.m\\.|p\\.m\\.)?|noon)\\b`,
  'i',
);

/** ISO 8601 offset for `count` units; fractional hours become minutes ("half an hour" → PT30M). */
export function offsetFor(count: number, unit: string): string | null {
  const u = unit.toLowerCase();
  const minutes = u.startsWith('m')
    ? count
    : u.startsWith('h')
      ? count * 60
      : u.startsWith('d')
        ? count * 1440
        : u.startsWith('w')
          ? count * 10080
          : null;
  if (minutes === null || !Number.isFinite(minutes) || minutes < 0) return null;
  return minutesToOffset(Math.round(minutes));
}

/** Whole days as P…D (weeks too: "P7D", as the API's examples use days), otherwise hours and minutes: the forms the API documents ("PT30M", "P1D"). */
export function minutesToOffset(minutes: number): string {
  if (minutes === 0) return 'PT0M';
  if (minutes % 1440 === 0) return `P${minutes / 1440}D`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return `PT${hours ? `${hours}H` : ''}${rest ? `${rest}M` : ''}`;
}

/** Finds a reminder phrase with a relative offset or an absolute time. */
export function parseReminder(text: string): ReminderMatch | null {
  for (const keyword of text.matchAll(BEFORE_KEYWORD)) {
    const before = beforeAt(text, keyword);
    if (!before) continue;
    const end = keyword.index + keyword[0].length;
    if (before.offset) return { offset: before.offset, index: before.index, length: end - before.index };
    break;
  }
  const at = AT_TIME.exec(text);
  if (at) {
    const raw = at[1]!.toLowerCase().replace(/\./g, '').replace(/ /g, '');
    if (raw === 'noon')
      return { at: { hour: 12, minute: 0, meridiemKnown: true }, index: at.index, length: at[0].length };
    const m = /^(\d{1,2})(?::(\d{2}))?(am|pm)?$/.exec(raw);
    if (m) {
      let hour = Number(m[1]);
      if (m[3] === 'pm' && hour < 12) hour += 12;
      if (m[3] === 'am' && hour === 12) hour = 0;
      if (hour <= 23) {
        const at2 = { hour, minute: Number(m[2] ?? 0), meridiemKnown: m[3] !== undefined };
        return { at: at2, index: at.index, length: at[0].length };
      }
    }
  }
  return null;
}

/**
 * The moment reminders count back from: the due time, or for an all-day task the shared
 * all-day reminder time (09:00) on its date — as `reminderFireTimes` computes fire times.
 */
export function reminderReference(due: Due): DateTime {
  if (!due.allDay) return due.at;
  const [hour = 9, minute = 0] = DEFAULT_ALL_DAY_REMINDER_TIME.split(':').map(Number);
  return due.date.set({ hour, minute, second: 0, millisecond: 0 });
}

/**
 * Offset for "remind me at 7" given the due time: the latest such time of day at or before due
 * (so 7 before a 9:00 due is 7:00 am, two hours ahead; 8 pm before a 9 am due is the evening before).
 */
export function offsetForTimeOfDay(
  due: DateTime,
  at: { hour: number; minute: number; meridiemKnown: boolean },
): string {
  const candidates = at.meridiemKnown || at.hour >= 12 ? [at.hour] : [at.hour, at.hour + 12];
  let best: number | null = null;
  for (const hour of candidates) {
    for (const dayShift of [0, -1]) {
      const reminder = due
        .plus({ days: dayShift })
        .set({ hour, minute: at.minute, second: 0, millisecond: 0 });
      const minutes = Math.round(due.diff(reminder, 'minutes').minutes);
      if (minutes >= 0 && (best === null || minutes < best)) best = minutes;
    }
  }
  return minutesToOffset(best ?? 0);
}
