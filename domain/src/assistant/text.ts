/** Small text utilities shared by the phrase parsers. */

/** Longest message we analyse; the rest is ignored so pathological input stays cheap. */
export const MAX_MESSAGE_LENGTH = 2000;

/**
 * Canonical form for matching, keeping the user's casing (titles are stored as typed):
 * typographic quotes made ASCII (dashes stay: “Renovation – 2nd floor” is a title), emoji and control characters dropped (currency signs,
 * "%", "&" stay: "pay $50", "2% milk"), whitespace collapsed. Phrase parsers match it case-insensitively.
 */
export function clean(message: string): string {
  return message
    .slice(0, MAX_MESSAGE_LENGTH)
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/(?:[\p{Extended_Pictographic}\p{Cc}\p{Cf}\p{Co}\p{Cn}]|\uFE0F|\u20E3)/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Misspellings of the words the parsers key on (dates, weekdays, "remind"), as people type them. */
const TYPOS = new Map<string, string>(
  Object.entries({
    tomorrow: 'tommorow tommorrow tomorow tomorro tommorw tmrw 2moro 2morrow tomrrow tomoorow',
    today: 'tody 2day',
    tonight: 'tonite tonigt',
    monday: 'mondy monady mondday',
    tuesday: 'tuesay tusday teusday tueday tuseday',
    wednesday: 'wensday wendsday wednsday wedensday wednesay wedsday wenesday',
    thursday: 'thrusday thursay thurday thurdsay thrsday',
    friday: 'firday fridy frday',
    saturday: 'saterday satuday saturady',
    sunday: 'sundy sundya',
    remind: 'remidn remnd remaind rmind remnid reimnd',
    next: 'nxt',
  }).flatMap(([word, typos]) => typos.split(' ').map((typo): [string, string] => [typo, word])),
);

/** Fixes the known misspellings word by word, keeping a capital first letter. */
export function fixTypos(text: string): string {
  return text.replace(/[\p{L}\p{N}]+/gu, (word) => {
    const fixed = TYPOS.get(word.toLowerCase());
    if (!fixed) return word;
    return word[0] === word[0]!.toUpperCase() && word[0] !== word[0]!.toLowerCase()
      ? capitalize(fixed)
      : fixed;
  });
}

/** Words of a phrase, without punctuation, for fuzzy comparison. */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * What the engine's unbounded-looking steps have cost since the last reset, counted rather than
 * timed so tests can bound it: `scoreTasks` calls, reference words compared with task words (in
 * all, and the most in one call), edit-distance cells, and the longest text chrono read at once.
 */
export const engineWork = {
  scoringCalls: 0,
  comparisons: 0,
  maxComparisonsPerCall: 0,
  editCells: 0,
  longestChronoInput: 0,
};

export function resetEngineWork(): void {
  Object.assign(engineWork, {
    scoringCalls: 0,
    comparisons: 0,
    maxComparisonsPerCall: 0,
    editCells: 0,
    longestChronoInput: 0,
  });
}

/**
 * Edit distance counting an adjacent swap as one edit (optimal string alignment), since "dentsit"
 * is one typo, not two. Bounded: returns max+1 as soon as the distance must exceed `max`.
 */
export function editDistance(a: string, b: string, max = 3): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  engineWork.editCells += a.length * b.length;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, beforePrevious[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > max) return max + 1;
    beforePrevious = previous;
    previous = current;
  }
  return previous[b.length]!;
}

const NUMBER_WORDS: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  'forty-five': 45,
  fifty: 50,
  sixty: 60,
  ninety: 90,
  half: 0.5,
};

/** "30", "thirty", "an", "a couple of" → a number, or null. */
export function parseCount(token: string): number | null {
  const t = token.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  if (t === 'a couple of' || t === 'couple of' || t === 'a couple') return 2;
  if (t === 'a few' || t === 'few') return 3;
  return NUMBER_WORDS[t] ?? null;
}

/** Regex fragment matching what `parseCount` understands. */
export const COUNT_PATTERN =
  '\\d+(?:\\.\\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty-five|forty|fifty|sixty|ninety|half|a couple of|a couple|a few';

/** Removes a matched span and tidies the spaces and dangling punctuation left around it. */
export function cut(text: string, start: number, length: number): string {
  return tidy(`${text.slice(0, start)} ${text.slice(start + length)}`);
}

/**
 * Removes characters of `leading` from the start and of `trailing` from the end. A loop, not
 * `/[…]+$/`: an unanchored run-until-end pattern retries from every character of a long run.
 */
export function trimChars(text: string, leading: string, trailing: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && leading.includes(text[start]!)) start++;
  while (end > start && trailing.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** What `between` found: the middle, the tail's match and whatever follows it. */
export interface Between {
  middle: string;
  tail: RegExpExecArray;
  after: string;
}

/**
 * `^lead(.+?)tail(.+)$` without a wildcard the regex engine would retry at every split: `lead`
 * (anchored at the start) is matched once, then `tail` (unanchored, fixed words) at its leftmost
 * place that leaves a non-empty middle — what the lazy group would have chosen. `after` must be
 * non-empty, or empty when `tail` ends the text (`rest: 'none'`, for tails ending in `$`), or
 * either (`'any'`).
 */
export function between(
  text: string,
  lead: RegExp,
  tail: RegExp,
  rest: 'some' | 'none' | 'any' = 'some',
): Between | null {
  const head = lead.exec(text);
  if (!head) return null;
  const remainder = text.slice(head[0].length);
  const found = tail.exec(remainder);
  if (!found || found.index === 0) return null;
  const after = remainder.slice(found.index + found[0].length);
  if (rest !== 'any' && (rest === 'some') !== after.length > 0) return null;
  return { middle: remainder.slice(0, found.index), tail: found, after };
}

/** Collapses whitespace and trims separators a removed phrase may leave behind. */
export function tidy(text: string): string {
  return trimChars(text.replace(/\s+/g, ' ').replace(/ ([,.?;:])(?= |$)/g, '$1'), ' ,;:.-–—', ' ,;:-–—');
}

/** Upper-cases the first letter (titles are stored as the user would write them). */
export function capitalize(text: string): string {
  return text.length === 0 ? text : text[0]!.toUpperCase() + text.slice(1);
}
