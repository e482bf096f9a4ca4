/**
 * Loose references to existing tasks ("the dentist one", "gym", "the report", "dentst") matched
 * against titles and tags by word overlap, tolerating typos and plural/prefix forms.
 */

import { normalizeTag } from './attributes.js';
import { editDistance, engineWork, words } from './text.js';
import type { TaskRef } from './types.js';

/** Words that carry no identity in a reference ("mark *the dentist one* done"). */
const FILLER = new Set([
  'the',
  'a',
  'an',
  'my',
  'our',
  'one',
  'ones',
  'task',
  'tasks',
  'todo',
  'to',
  'do',
  'item',
  'thing',
  'that',
  'this',
  'it',
  'about',
  'called',
  'named',
  'titled',
  's',
  'of',
  'for',
  'please',
  'pls',
  'plz',
  'thanks',
  'again',
  'just',
  'reminder',
  'entry',
  'up',
  'with',
  'on',
  'thx',
  'oh',
  'ok',
  'okay',
  'so',
]);

export interface ScoredTask {
  task: TaskRef;
  /** Share of the reference's words found in the task (0–1): the main signal. */
  score: number;
  /** Share of the title's words the reference covered; separates "milk" from "oat milk and eggs". */
  coverage: number;
}

export type Resolution =
  | { kind: 'one'; task: TaskRef }
  | { kind: 'ambiguous'; candidates: TaskRef[] }
  | { kind: 'none' };

/**
 * Words that name a kind of task rather than a particular one ("the vet appointment"): they count
 * half, so the specific word decides between "Take Rex to the vet" and "Dentist appointment".
 */
const GENERIC = new Set([
  'appointment',
  'appt',
  'meeting',
  'call',
  'session',
  'class',
  'errand',
  'event',
  'stuff',
  'booking',
  'work',
]);

function weightOf(word: string): number {
  return GENERIC.has(word) ? 0.5 : 1;
}

/**
 * Bounds on the work of matching one reference, whatever the message and the task list: a
 * reference names a task in a few words, and a title is recognised by its first few dozen.
 * Scoring is then at most words × candidates × title words comparisons, each with an edit
 * distance of at most wordLength² cells.
 */
export const REFERENCE_LIMITS = {
  /** Distinct identity words of a reference considered (the first ones). */
  words: 8,
  /** Distinct words of a title (plus its tags) compared. */
  titleWords: 40,
  /** Tasks scored per reference. */
  candidates: 300,
  /** Longer words match only exactly or by prefix, never by edit distance. */
  wordLength: 24,
} as const;

/** Identity words of a reference phrase: distinct, at most `REFERENCE_LIMITS.words`. */
export function referenceWords(reference: string): string[] {
  const identity = new Set(words(reference.replace(/#/g, ' ')).filter((w) => !FILLER.has(w)));
  return [...identity].slice(0, REFERENCE_LIMITS.words);
}

function stem(word: string): string {
  return word.length > 3 ? word.replace(/(?:'s|s)$/, '') : word;
}

/** How well one reference word matches one task word (1 exact … 0 unrelated). */
export function wordSimilarity(ref: string, target: string): number {
  if (ref === target || stem(ref) === stem(target)) return 1;
  if (ref.length >= 3 && target.startsWith(ref)) return 0.85;
  if (target.length >= 4 && ref.startsWith(target)) return 0.8;
  const longest = Math.max(ref.length, target.length);
  if (longest > REFERENCE_LIMITS.wordLength) return 0;
  const allowed = longest >= 8 ? 2 : longest >= 4 ? 1 : 0;
  if (allowed > 0 && editDistance(ref, target, allowed) <= allowed) return 0.75;
  return 0;
}

/** Scores every task against the reference, best first; tasks sharing nothing are left out. */
export function scoreTasks(reference: string, tasks: TaskRef[]): ScoredTask[] {
  const refWords = referenceWords(reference);
  if (refWords.length === 0) return [];
  const scored: ScoredTask[] = [];
  let comparisons = 0;
  for (const task of tasks.slice(0, REFERENCE_LIMITS.candidates)) {
    const titleWords = [...new Set(words(task.title))].slice(0, REFERENCE_LIMITS.titleWords);
    const targets = [...titleWords, ...task.tags.map(normalizeTag)].slice(0, REFERENCE_LIMITS.titleWords);
    comparisons += refWords.length * targets.length;
    let total = 0;
    let weights = 0;
    const covered = new Set<number>();
    for (const ref of refWords) {
      let best = 0;
      let bestIndex = -1;
      targets.forEach((target, i) => {
        const s = wordSimilarity(ref, target);
        if (s > best) {
          best = s;
          bestIndex = i;
        }
      });
      total += best * weightOf(ref);
      weights += weightOf(ref);
      if (bestIndex >= 0 && bestIndex < titleWords.length) covered.add(bestIndex);
    }
    const score = weights ? total / weights : 0;
    if (score > 0)
      scored.push({ task, score, coverage: titleWords.length ? covered.size / titleWords.length : 0 });
  }
  engineWork.scoringCalls++;
  engineWork.comparisons += comparisons;
  engineWork.maxComparisonsPerCall = Math.max(engineWork.maxComparisonsPerCall, comparisons);
  return scored.sort((a, b) => b.score - a.score || b.coverage - a.coverage);
}

/** Minimum score to accept a reference at all. */
const ACCEPT = 0.5;

/**
 * Picks the task a reference means, or says it is ambiguous. Open tasks are preferred; a
 * completed task is only considered when no open one matches (e.g. reopening).
 */
export function resolveReference(reference: string, tasks: TaskRef[]): Resolution {
  const open = tasks.filter((t) => t.status === 'open');
  for (const pool of [open, tasks]) {
    const exact = pool.filter((t) => t.title.toLowerCase().trim() === reference.toLowerCase().trim());
    if (exact.length === 1) return { kind: 'one', task: exact[0]! };
    const scored = scoreTasks(reference, pool).filter((s) => s.score >= ACCEPT);
    const top = scored[0];
    if (!top) continue;
    const rivals = scored.filter(
      (s) =>
        s !== top &&
        s.score >= top.score - 0.1 &&
        !(top.score === 1 && s.score < 1) &&
        top.coverage - s.coverage < 0.34,
    );
    if (rivals.length === 0) return { kind: 'one', task: top.task };
    return { kind: 'ambiguous', candidates: [top, ...rivals].slice(0, 5).map((s) => s.task) };
  }
  return { kind: 'none' };
}

/** Tasks carrying a tag (for "delete all #errands tasks"). */
export function tasksWithTag(tag: string, tasks: TaskRef[]): TaskRef[] {
  const wanted = normalizeTag(tag);
  return tasks.filter((t) => t.status === 'open' && t.tags.some((x) => normalizeTag(x) === wanted));
}
