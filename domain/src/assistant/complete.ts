/** Completing tasks: "mark the dentist one done", "i finished the report", "booked the flight". */
import { actOn } from './act-on.js';
import { noSuchTask } from './command-verbs.js';
import { scoreTasks } from './references.js';
import { between } from './text.js';
import type { AssistantContext, Command } from './types.js';

/** "mark the dentist one done", "i finished the report", "gym is done", "done with laundry". */
export function parseComplete(text: string, ctx: AssistantContext): Command | null {
  const references: ((text: string) => string | null)[] = [
    (t) =>
      between(
        t,
        /^(?:mark|set|tick|check|cross) /i,
        / (?:as )?(?:done|complete|completed|finished|checked|off|as finished)$/i,
        'none',
      )?.middle ?? null,
    (t) => between(t, /^(?:please )?i got /i, / done ?:? /i)?.after ?? verbFirst(t),
    (t) =>
      between(
        t,
        /^/,
        / (?:is|are|was|were|'s) (?:all )?(?:done|finished|complete|completed|sorted|taken care of|handled|dealt with)$/i,
        'none',
      )?.middle ?? null,
    (t) => /^(?:finished|completed|done) ?[:-] ?(.+)$/i.exec(t)?.[1] ?? null,
  ];
  const found = references.map((read) => read(text));
  // "dentist done", "report finished ✅": only when the words before name a task.
  const trailing = between(text, /^/, / ?[:-]? (?:done|finished|complete|completed|checked off)$/i, 'none');
  if (trailing && found.every((r) => r === null)) {
    return actOn(trailing.middle, ctx, (task) => ({ kind: 'complete_task', taskId: task.id }), 'mark done');
  }
  for (const [i, reference] of found.entries()) {
    if (reference === null) continue;
    const command = actOn(
      reference,
      ctx,
      (task) => ({ kind: 'complete_task', taskId: task.id }),
      'mark done',
    );
    if (command) return command;
    // "finish the essay by Friday" starts like a completion but, naming no task, is a new one.
    if (i === 1 && /^(?:please )?(?:complete|finish|close) /i.test(text)) return null;
    return noSuchTask(reference, 'complete', ctx);
  }
  return null;
}

/** "complete the report", "i've finished the taxes", "done with laundry": the verb, then the task. */
function verbFirst(text: string): string | null {
  const verb =
    /^(?:please )?(?:complete|finish|check off|tick off|cross off|close|done with|done|finished|completed|i(?:'ve| have)? (?:just )?(?:finished|completed|done|did)|i'?m done with|im done with|just (?:finished|did|completed)) ?:? /i.exec(
      text,
    );
  const rest = verb ? text.slice(verb[0].length) : '';
  return rest.length > 0 ? rest : null;
}

/** Past-tense verbs that report a task as done ("picked up the dry cleaning", "booked the flight"). */
const PAST_TENSE =
  /^(?:i (?:just |already |finally )?)?(?:just |already |finally )?((?:[a-z]+ed|did|paid|bought|sent|wrote|got|made|took|went to|ran|read|gave|put|fed|ate|met|brought|drove|swept|cut|won|hung|sold|sang|spoke|threw|built|caught|taught)\b.*)$/i;

/** Base forms, so "paid the taxes" matches "Pay taxes" word for word. */
const IRREGULAR_PAST: Record<string, string> = {
  paid: 'pay',
  went: 'go',
  bought: 'buy',
  sent: 'send',
  wrote: 'write',
  made: 'make',
  took: 'take',
  got: 'get',
  did: 'do',
  ran: 'run',
  gave: 'give',
  fed: 'feed',
  met: 'meet',
  brought: 'bring',
  drove: 'drive',
  swept: 'sweep',
  sold: 'sell',
  built: 'build',
  read: 'read',
  put: 'put',
  cut: 'cut',
  ate: 'eat',
};

/**
 * "booked the flight", "i picked up the dry cleaning": a statement in the past tense whose words
 * clearly name one open task means it is done. The bar is higher than for explicit commands,
 * since "booked a table for friday" with no such task is a new task, not a completion.
 */
export function parsePastTenseCompletion(text: string, ctx: AssistantContext): Command | null {
  const m = PAST_TENSE.exec(text);
  if (!m) return null;
  const [verb = '', ...rest] = m[1]!.split(/ /);
  const phrase = [IRREGULAR_PAST[verb.toLowerCase()] ?? verb, ...rest].join(' ');
  const object = rest.join(' ').replace(/^to /i, '');
  const open = ctx.tasks.filter((t) => t.status === 'open');
  const best = Math.max(scoreTasks(phrase, open)[0]?.score ?? 0, scoreTasks(object, open)[0]?.score ?? 0);
  if (best < 0.7) return null;
  const reference = (scoreTasks(phrase, open)[0]?.score ?? 0) >= 0.7 ? phrase : object;
  return actOn(reference, ctx, (task) => ({ kind: 'complete_task', taskId: task.id }), 'mark done');
}
