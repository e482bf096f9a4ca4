/**
 * The built-in chat assistant: the language engine used when no LLM is configured. Pure — no
 * I/O, no clock, no network — so the embedded default works offline and without an API key.
 *
 * How the chat endpoint drives it, one request at a time (the server keeps no memory):
 *
 * 1. Load the conversation's persisted `PendingState` (null at first) and the user's tasks.
 * 2. `const command = interpret(message, { now, timeZone, tasks, pending })`.
 * 3. Execute it with the same tool functions as the MCP server: `add_task` (`command.task` is a
 *    REST-shaped payload), `list_tasks` (`command.filter` uses the `GET /api/tasks` filter names),
 *    `complete_task`, `update_task` (`command.changes`), `delete_task`; `batch` runs its steps
 *    (several tasks confirmed at once) and `undo` runs `command.commands` in order; `clarify`, `cancelled` and `help` execute nothing. The tasks it
 *    touched go into the Outcome as `outcomeTaskOf(task)`.
 * 4. Persist `rememberOutcome(command, outcome, pending)` as the new PendingState — it keeps a
 *    question awaiting an answer, or the inverse of what was just done for "undo".
 * 5. Answer with `renderReply(command, outcome, { now, timeZone, tasks })`.
 */
export { interpret, readNewTask, stripFiller } from './interpret.js';
export { describeDue, describeRule, type ReplyContext, renderReply } from './reply.js';
export type {
  AssistantContext,
  AwaitingChoice,
  AwaitingConfirmation,
  BatchCommand,
  Command,
  CommandKind,
  ListFilter,
  ListRef,
  PendingState,
  TaskAction,
  TaskChanges,
  TaskPayload,
  TaskRef,
} from './types.js';
export { confirmedTaskIds, intentOf } from './types.js';
export { inverseOf, type Outcome, type OutcomeTask, outcomeTaskOf, rememberOutcome } from './undo.js';
