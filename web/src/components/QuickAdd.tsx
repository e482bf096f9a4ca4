import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import type { Task, TaskDraft } from '../api/types';
import { summarizeRecurrence } from '../lib/recurrence';
import { reminderLabel, sortReminders } from '../lib/reminders';
import { describeDue } from '../lib/time';

/** How long typing pauses before the preview is asked for. */
const PREVIEW_DELAY_MS = 200;

type Preview =
  | { state: 'empty' }
  | { state: 'ready'; text: string; task: TaskDraft }
  | { state: 'error'; message: string };

interface QuickAddProps {
  timeZone: string;
  onCreated: (task: Task) => void;
}

/**
 * One line above the list, as Todoist has it: "Pay rent every 1st at 9am #home p1" shows, while it is
 * typed, the task it will make (the server reads it with the chat's parser), and Enter makes it.
 */
export function QuickAdd({ timeZone, onCreated }: QuickAddProps) {
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<Preview>({ state: 'empty' });
  const [busy, setBusy] = useState(false);
  // Only the answer for the latest text is shown: earlier ones may arrive after it.
  const latest = useRef('');

  useEffect(() => {
    latest.current = text;
    if (!text.trim()) {
      setPreview({ state: 'empty' });
      return;
    }
    const timer = setTimeout(() => {
      api.parseTask(text).then(
        ({ task }) => latest.current === text && setPreview({ state: 'ready', text, task }),
        (error: Error) => latest.current === text && setPreview({ state: 'error', message: error.message }),
      );
    }, PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim() || busy) return;
    setBusy(true);
    try {
      // The preview on screen may be a keystroke behind: what is created is read from the text as sent.
      const draft =
        preview.state === 'ready' && preview.text === text ? preview.task : (await api.parseTask(text)).task;
      onCreated(await api.createTask(draft));
      setText('');
    } catch (error) {
      setPreview({ state: 'error', message: (error as Error).message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="quick-add" onSubmit={(event) => void submit(event)}>
      <input
        type="text"
        className="quick-add-input"
        aria-label="Quick add"
        placeholder="Quick add: Pay rent every 1st at 9am #home p1"
        value={text}
        maxLength={500}
        disabled={busy}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setText('');
        }}
      />
      {preview.state === 'ready' && <QuickAddPreview task={preview.task} timeZone={timeZone} />}
      {preview.state === 'error' && (
        <p className="quick-add-error" role="status">
          {preview.message}
        </p>
      )}
    </form>
  );
}

function QuickAddPreview({ task, timeZone }: { task: TaskDraft; timeZone: string }) {
  const due = task.due_at ? describeDue(task.due_at, task.all_day, timeZone) : null;
  const rows: [string, string][] = [
    ['Title', task.title],
    ['Due', due ? `${due.text} (${due.title})` : 'no date'],
    ['Repeat', task.recurrence ? summarizeRecurrence(task.recurrence) : 'does not repeat'],
    ['Priority', task.priority],
    ['Tags', task.tags.length ? task.tags.map((tag) => `#${tag}`).join(' ') : 'none'],
    [
      'Reminders',
      task.reminders.length ? sortReminders(task.reminders).map(reminderLabel).join(', ') : 'none',
    ],
  ];
  return (
    <dl className="quick-add-preview" aria-label="Will be created">
      {rows.map(([name, value]) => (
        <div key={name} data-field={name.toLowerCase()}>
          <dt>{name}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
