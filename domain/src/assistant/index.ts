/** The built-in chat assistant: message + context → Command, and replies for executed commands. */
export { interpret, stripFiller } from './interpret.js';
export { describeDue, describeReminder, describeRule, type ReplyContext, renderReply } from './reply.js';
export type {
  AssistantContext,
  AwaitingChoice,
  AwaitingConfirmation,
  Command,
  CommandKind,
  ListFilter,
  PendingState,
  TaskAction,
  TaskChanges,
  TaskPayload,
  TaskRef,
} from './types.js';
export { inverseOf, type Outcome, rememberOutcome, type TaskSnapshot } from './undo.js';
