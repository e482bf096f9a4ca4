/**
 * Acting on a task named loosely: resolve the reference ("the dentist one", "it") to one task,
 * ask which one when several match about equally, or say nothing matched.
 */
import { dueOfTask } from './dates.js';
import { resolveReference } from './references.js';
import {
  type AssistantContext,
  type Command,
  conversationMemory,
  type TaskAction,
  type TaskRef,
} from './types.js';

const PRONOUN =
  /^(?:it|that|this|them|that one|this one|that task|this task|the last one|the one i just added)$/i;

/** Turns a reference into the command, a "which one?" question, or a not-found answer. */
export function actOn(
  reference: string,
  ctx: AssistantContext,
  build: (task: TaskRef) => TaskAction | null,
  verb: string,
): Command | null {
  if (PRONOUN.test(reference.trim())) {
    // "make it urgent" right after adding or finding a task.
    const ids = ctx.pending?.lastTaskIds ?? [];
    const task = ids.length === 1 ? ctx.tasks.find((t) => t.id === ids[0]) : undefined;
    if (task) return build(task);
    return {
      kind: 'clarify',
      question: 'Which task do you mean? Say its name, e.g. “mark the report done”.',
      pending: conversationMemory(ctx.pending),
    };
  }
  const resolution = resolveReference(reference, ctx.tasks);
  if (resolution.kind === 'one') return build(resolution.task);
  if (resolution.kind === 'ambiguous') {
    const candidates = resolution.candidates.flatMap((t) => {
      const action = build(t);
      const dueAt = t.dueAt ? t.dueAt.toISOString() : null;
      return action ? [{ id: t.id, title: t.title, dueAt, allDay: t.allDay, action }] : [];
    });
    if (candidates.length === 0) return null;
    const lines = candidates.map(
      (t, i) => `${i + 1}. ${t.title}${dueSuffix(resolution.candidates.find((c) => c.id === t.id)!, ctx)}`,
    );
    return {
      kind: 'clarify',
      question: `Which one do you want me to ${verb}?\n${lines.join('\n')}`,
      pending: { ...conversationMemory(ctx.pending), awaiting: { type: 'choose_task', candidates } },
    };
  }
  return null;
}

function dueSuffix(task: TaskRef, ctx: AssistantContext): string {
  const due = dueOfTask(task.dueAt, task.allDay, ctx.timeZone);
  if (!due) return '';
  return due.allDay
    ? ` (due ${due.date.toFormat('ccc, LLL d')})`
    : ` (due ${due.at.toFormat('ccc, LLL d, h:mm a')})`;
}
