import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { ChatAction } from '../api/types';
import { useChat } from '../hooks/useChat';
import { Icon } from './Icon';

const TOOL_LABELS: Record<string, string> = {
  add_task: 'Added',
  create_task: 'Added',
  list_tasks: 'Looked up',
  search_tasks: 'Searched',
  update_task: 'Updated',
  complete_task: 'Completed',
  reopen_task: 'Reopened',
  delete_task: 'Deleted',
};

function actionLabel(action: ChatAction): string {
  const verb = TOOL_LABELS[action.tool] ?? action.tool.replaceAll('_', ' ');
  const result = action.result as { title?: string; task?: { title?: string }; items?: unknown[] } | null;
  const title = (action.input.title as string | undefined) ?? result?.title ?? result?.task?.title;
  if (title) return `${verb}: ${title}`;
  if (Array.isArray(result?.items)) return `${verb}: ${result.items.length} tasks`;
  return verb;
}

interface ChatPanelProps {
  onTasksChanged: () => void;
  onClose: () => void;
}

export function ChatPanel({ onTasksChanged, onClose }: ChatPanelProps) {
  const {
    conversationId,
    conversations,
    messages,
    sending,
    loadingHistory,
    error,
    send,
    open,
    startOver,
    remove,
  } = useChat(onTasksChanged);
  const [draft, setDraft] = useState('');
  const log = useRef<HTMLOListElement>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever a message arrives
  useEffect(() => {
    log.current?.scrollTo({ top: log.current.scrollHeight });
  }, [messages.length, sending]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text || sending) return;
    setDraft('');
    void send(text);
  };

  return (
    <aside className="chat" aria-label="Assistant">
      <header className="chat-header">
        <h2>Assistant</h2>
        <select
          aria-label="Conversation"
          className="conversation-picker"
          value={conversationId ?? ''}
          disabled={sending}
          onChange={(event) => (event.target.value ? void open(event.target.value) : startOver())}
        >
          <option value="">New conversation</option>
          {conversations.map((conversation) => (
            <option key={conversation.id} value={conversation.id}>
              {conversation.title}
            </option>
          ))}
        </select>
        {conversationId && (
          <button
            type="button"
            className="icon-button"
            aria-label="Delete this conversation"
            onClick={() => void remove()}
            disabled={sending}
          >
            <Icon name="trash" />
          </button>
        )}
        <button
          type="button"
          className="icon-button chat-close"
          aria-label="Close assistant"
          onClick={onClose}
        >
          ×
        </button>
      </header>
      <ol className="chat-log" ref={log} aria-live="polite" aria-busy={sending || loadingHistory}>
        {messages.length === 0 && !loadingHistory && (
          <li className="chat-hint">
            Try “remind me to pay rent on the 1st of every month at 9am” or “what’s due this week?”
          </li>
        )}
        {loadingHistory && <li className="chat-hint">Loading conversation…</li>}
        {messages.map((message, index) => (
          // Messages have no stable id until the server assigns one; the list is append-only.
          <li
            key={message.id ?? index}
            className={`message ${message.role === 'user' ? 'from-user' : 'from-assistant'}`}
          >
            <p>{message.content}</p>
            {message.actions && message.actions.length > 0 && (
              <ul className="action-chips" aria-label="Actions taken">
                {message.actions.map((action, actionIndex) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: actions are fixed per message
                  <li key={actionIndex} className="action-chip" title={JSON.stringify(action.input)}>
                    {actionLabel(action)}
                  </li>
                ))}
              </ul>
            )}
          </li>
        ))}
        {sending && <li className="message from-assistant typing">Thinking…</li>}
      </ol>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <form className="chat-form" onSubmit={submit}>
        <input
          aria-label="Message the assistant"
          placeholder="Ask or tell me something…"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" className="primary" disabled={sending || !draft.trim()}>
          Send
        </button>
      </form>
    </aside>
  );
}
