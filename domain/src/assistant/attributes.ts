/** Priority words and #hashtags in a message; both are cut out of the task title. */
import type { Priority } from '../tasks/task.js';
import { cut, tidy } from './text.js';

export interface Extracted<T> {
  value: T;
  rest: string;
}

const PRIORITY_PHRASES: { pattern: RegExp; priority: Priority }[] = [
  { pattern: /(?:^|\s)!(?:urgent|asap|critical)\b|(?:^|\s)!!!(?=\s|$|[,.])/i, priority: 'urgent' },
  // Todoist's p1–p4, p1 the highest.
  { pattern: /(?:^|\s)p1(?=\s|$|[,.])/i, priority: 'urgent' },
  { pattern: /(?:^|\s)p2(?=\s|$|[,.])/i, priority: 'high' },
  { pattern: /(?:^|\s)p3(?=\s|$|[,.])/i, priority: 'medium' },
  { pattern: /(?:^|\s)p4(?=\s|$|[,.])/i, priority: 'low' },
  { pattern: /(?:^|\s)!(?:high|hi|important|!)(?=\s|$|[,.])/i, priority: 'high' },
  { pattern: /(?:^|\s)!(?:med|medium|normal)\b/i, priority: 'medium' },
  { pattern: /(?:^|\s)!(?:low|lo)\b/i, priority: 'low' },
  { pattern: /(?:^|\s)!(?=\s|$)/, priority: 'high' },
  {
    pattern:
      /[,(]? ?\b(?:(?:with |as |at )?(?:an? )?(?:urgent|top|highest|critical) priority|priority:? ?(?:urgent|top|critical)|super urgent|very urgent|urgent(?:ly)?|asap|a\.s\.a\.p\.?)\b ?\)?/i,
    priority: 'urgent',
  },
  {
    pattern:
      /[,(]? ?\b(?:(?:with |as |at )?(?:an? )?(?:high|hi)[- ]?(?:prio(?:rity)?|pri)|priority:? ?high|(?:very |really |super )?important)\b ?\)?/i,
    priority: 'high',
  },
  {
    pattern:
      /[,(]? ?\b(?:(?:with |as |at )?(?:an? )?(?:medium|normal|mid)[- ]?(?:prio(?:rity)?|pri)|priority:? ?(?:medium|normal))\b ?\)?/i,
    priority: 'medium',
  },
  {
    pattern:
      /[,(]? ?\b(?:(?:with |as |at )?(?:an? )?(?:low|lo)[- ]?(?:prio(?:rity)?|pri)|priority:? ?low|not (?:very |that )?(?:important|urgent)|no rush|whenever)\b ?\)?/i,
    priority: 'low',
  },
];

/** Finds a priority phrase ("urgent", "high priority", "!high", "low priority"). */
export function extractPriority(text: string): Extracted<Priority> | null {
  for (const { pattern, priority } of PRIORITY_PHRASES) {
    const m = pattern.exec(text);
    if (m) return { value: priority, rest: cut(text, m.index, m[0].length) };
  }
  return null;
}

/** Whether the text names a priority level, e.g. for "show my high priority tasks". */
export function priorityWord(word: string): Priority | null {
  const w = word.toLowerCase();
  if (/^(urgent|critical|top|asap)$/.test(w)) return 'urgent';
  if (/^(high|hi|important)$/.test(w)) return 'high';
  if (/^(medium|normal|mid)$/.test(w)) return 'medium';
  if (/^(low|lo)$/.test(w)) return 'low';
  return null;
}

/** #tag, or @label as other apps write it (a letter first, so "@ 5pm" and "@5pm" stay times). */
const HASHTAG = /(?:^|\s)(?:#([\p{L}\p{N}_][\p{L}\p{N}_\-/]*)|@(\p{L}[\p{L}\p{N}_\-/]*))/gu;

/** Tag names are compared and stored lower-case so #Work and #work are one tag. */
export function normalizeTag(tag: string): string {
  return tag.replace(/^#/, '').toLowerCase();
}

/** Collects #hashtags (deduplicated, lower-case) and removes them from the text. */
export function extractTags(text: string): Extracted<string[]> {
  const tags: string[] = [];
  for (const m of text.matchAll(HASHTAG)) {
    const tag = normalizeTag(m[1] ?? m[2]!);
    if (!tags.includes(tag)) tags.push(tag);
  }
  let rest = tidy(text.replace(HASHTAG, ' '));
  const worded = wordedTags(rest);
  if (worded) {
    for (const tag of worded.tags) if (!tags.includes(tag)) tags.push(tag);
    rest = cut(rest, worded.index, rest.length - worded.index);
  }
  return { value: tags, rest: cut(rest, 0, 0) };
}

const TAG_KEYWORD = /^(?:tagged|tags?:?|labell?ed|label:?)$/i;
const TAG_WORD = /^[\p{L}\p{N}_-]+$/u;
const isSeparator = (token: string) => token === ',' || /^and$/i.test(token);

/**
 * "… tagged work, home and errands" at the end of the text: tags named in words, only right
 * after such a keyword. Decided over tokens from the end backwards, so the work is one pass
 * however many keywords and separators the text repeats.
 */
function wordedTags(text: string): { tags: string[]; index: number } | null {
  const tokens = [...text.matchAll(/,|[^ ,]+/g)];
  // listFrom[i]: tokens i… read "a, b and c" to the end.
  const listFrom: boolean[] = new Array(tokens.length + 2).fill(false);
  for (let i = tokens.length - 1; i >= 0; i--) {
    const word = tokens[i]![0];
    listFrom[i] =
      TAG_WORD.test(word) &&
      !isSeparator(word) &&
      (i === tokens.length - 1 || (isSeparator(tokens[i + 1]![0]) && listFrom[i + 2]!));
  }
  const keyword = tokens.findIndex((t, i) => TAG_KEYWORD.test(t[0]) && listFrom[i + 1]);
  if (keyword < 0) return null;
  const tags = tokens
    .slice(keyword + 1)
    .map((t) => t[0])
    .filter((t) => !isSeparator(t))
    .map(normalizeTag);
  return { tags, index: tokens[keyword]!.index };
}
