/** Deleting: "delete the dentist task", "remove milk", "delete all #errands tasks" (asks first). */
import { actOn } from './act-on.js';
import { normalizeTag } from './attributes.js';
import { noSuchTask } from './command-verbs.js';
import { tasksWithTag } from './references.js';
import { between } from './text.js';
import { type AssistantContext, type Command, conversationMemory, type TaskRef } from './types.js';

/** Asks before deleting several tasks; the answer is resolved by `answerPending`. */
function confirmDelete(tasks: TaskRef[], label: string, ctx: AssistantContext): Command {
  if (tasks.length === 0) return { kind: 'help', reply: `You have no ${label} tasks to delete.` };
  const action = { kind: 'delete_task' as const, taskIds: tasks.map((t) => t.id) };
  const list = tasks.map((t) => `• ${t.title}`).join('\n');
  const what = tasks.length === 1 ? 'this task' : `these ${tasks.length} tasks`;
  return {
    kind: 'clarify',
    question: `Delete ${what} (${label})?\n${list}\nReply “yes” to delete or “no” to keep them.`,
    pending: { ...conversationMemory(ctx.pending), awaiting: { type: 'confirm', action } },
  };
}

/** "i don't need the vet task anymore, delete it": the task, without the trailing request. */
function unwanted(text: string): string | null {
  const lead = /^(?:i )?(?:don'?t|do not|no longer) (?:need|want) /i.exec(text);
  if (!lead) return null;
  const rest = text.slice(lead[0].length);
  const request = /[,;.]? ?(?:so )?(?:please )?(?:delete|remove|trash|drop) (?:it|that|this|them)$/i.exec(
    rest,
  );
  const reference = request && request.index > 0 ? rest.slice(0, request.index) : rest;
  return reference.length > 0 ? reference : null;
}

/** "delete the dentist task", "remove milk", "delete all #errands tasks" (asks first). */
export function parseDelete(text: string, ctx: AssistantContext): Command | null {
  // "I don't need the vet task anymore, delete it", "the gym thing — remove it".
  const noLongerNeeded =
    unwanted(text) ??
    between(text, /^/, /[,;.]? (?:please )?(?:delete|remove|trash|drop) (?:it|that|this)$/i, 'none')?.middle;
  if (noLongerNeeded) {
    const reference = noLongerNeeded.replace(/ any ?more$/i, '');
    const found = actOn(reference, ctx, (task) => ({ kind: 'delete_task', taskIds: [task.id] }), 'delete');
    if (found) return found;
  }
  const m =
    /^(?:delete|remove|trash|erase|get rid of|cancel|drop|scrap|kill|nuke|bin|discard|forget about|forget|throw away|throw out|ditch|clear|empty|wipe) (.+)$/i.exec(
      text,
    );
  if (!m) return null;
  const target = m[1]!.replace(/ (?:from|off|of) (?:my |the )?(?:to-?do |task )?(?:list|tasks|todos?)$/i, '');
  const everything =
    /^(?:everything|all(?: of)?(?: my| the)? (?:tasks|todos|to-dos)|(?:my|the) (?:whole |entire )?(?:to-?do |task )?list|all)$/i.test(
      target,
    );
  if (everything)
    return confirmDelete(
      ctx.tasks.filter((t) => t.status === 'open'),
      'open',
      ctx,
    );
  const bulk = /^(?:all|every|each|everything)\b/i.test(target);
  if (bulk) {
    let tasks: TaskRef[] = [];
    let label = '';
    const tag =
      /#([\p{L}\p{N}_-]+)/u.exec(target) ??
      /\b(?:tagged|labell?ed|with tag|with the tag) #?([\p{L}\p{N}_-]+)/iu.exec(target);
    if (tag) {
      tasks = tasksWithTag(tag[1]!, ctx.tasks);
      label = `tagged #${normalizeTag(tag[1]!)}`;
    } else if (/\b(?:completed|done|finished)\b/i.test(target)) {
      tasks = ctx.tasks.filter((t) => t.status === 'completed');
      label = 'completed';
    } else {
      const word =
        /^(?:all|every|each) (?:(?:of )?(?:my|the) )?([\p{L}\p{N}_-]+) (?:tasks?|todos?|items?|ones?)$/iu.exec(
          target,
        );
      if (word && ctx.tasks.some((t) => t.tags.map(normalizeTag).includes(normalizeTag(word[1]!)))) {
        tasks = tasksWithTag(word[1]!, ctx.tasks);
        label = `tagged #${normalizeTag(word[1]!)}`;
      } else if (/overdue/i.test(target)) {
        tasks = ctx.tasks.filter((t) => t.status === 'open' && t.dueAt !== null && t.dueAt < ctx.now);
        label = 'overdue';
      } else {
        return {
          kind: 'help',
          reply:
            'To delete several tasks at once, say e.g. “delete all #errands tasks” or “delete all completed tasks”.',
        };
      }
    }
    return confirmDelete(tasks, label, ctx);
  }
  const found = actOn(target, ctx, (task) => ({ kind: 'delete_task', taskIds: [task.id] }), 'delete');
  if (found) return found;
  // "cancel the gym membership", "trash night every Wednesday": verbs that also start new tasks.
  return /^(?:delete|remove|erase|get rid of)\s/i.test(text) ? noSuchTask(target, 'delete', ctx) : null;
}
