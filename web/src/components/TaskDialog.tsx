import { type FormEvent, useState } from 'react';
import { api, conflictingTask } from '../api/client';
import { PRIORITIES, type TagCount, type Task, type TaskDraft, type TaskList } from '../api/types';
import { changedFields, formDue, formToDraft, newTaskForm, type TaskForm, taskToForm } from '../lib/taskForm';
import { ConflictPanel } from './ConflictPanel';
import { Modal } from './Modal';
import { RecurrencePicker } from './RecurrencePicker';
import { ReminderPicker } from './ReminderPicker';
import { TagInput } from './TagInput';

interface TaskDialogProps {
  /** The task being edited, or null to create one. */
  task: Task | null;
  timeZone: string;
  tagSuggestions: TagCount[];
  lists: TaskList[];
  /** The list a new task goes to (the one being viewed); null: the Inbox. */
  defaultListId: string | null;
  onSaved: (task: Task) => void;
  onToggleComplete: (task: Task) => void;
  onDelete: (task: Task) => void;
  onClose: () => void;
}

export function TaskDialog({
  task,
  timeZone,
  tagSuggestions,
  lists,
  defaultListId,
  onSaved,
  onToggleComplete,
  onDelete,
  onClose,
}: TaskDialogProps) {
  const [base, setBase] = useState<Task | null>(task);
  const [form, setForm] = useState<TaskForm>(() =>
    task ? taskToForm(task, timeZone) : newTaskForm(defaultListId),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState<{ theirs: Task; mine: Partial<TaskDraft> } | null>(null);

  const set = <K extends keyof TaskForm>(key: K, value: TaskForm[K]) =>
    setForm((current) => ({ ...current, [key]: value }));
  const due = formDue(form);

  const save = async (patch: Partial<TaskDraft>, version: number | null) => {
    setBusy(true);
    setError(null);
    try {
      const saved =
        base && version !== null
          ? await api.updateTask(base.id, patch, version)
          : await api.createTask(patch as TaskDraft);
      onSaved(saved);
      onClose();
    } catch (failure) {
      const theirs = conflictingTask(failure);
      if (theirs) setConflict({ theirs, mine: patch });
      else setError((failure as Error).message);
      setBusy(false);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const draft = formToDraft(form, timeZone);
    if (!draft.title) {
      setError('Give the task a title.');
      return;
    }
    if (!base) return void save(draft, null);
    const patch = changedFields(base, draft);
    if (Object.keys(patch).length === 0) return onClose();
    void save(patch, base.version);
  };

  const keepTheirs = () => {
    if (!conflict) return;
    setBase(conflict.theirs);
    setForm(taskToForm(conflict.theirs, timeZone));
    setConflict(null);
  };

  const overwrite = () => {
    if (!conflict) return;
    setBase(conflict.theirs);
    const { mine, theirs } = conflict;
    setConflict(null);
    void save(mine, theirs.version);
  };

  return (
    <Modal title={base ? 'Edit task' : 'New task'} onClose={onClose} className="task-dialog">
      <form onSubmit={submit} className="task-form">
        {conflict && (
          <ConflictPanel
            theirs={conflict.theirs}
            mine={conflict.mine}
            timeZone={timeZone}
            busy={busy}
            onKeepTheirs={keepTheirs}
            onOverwrite={overwrite}
          />
        )}
        <label>
          Title
          <input
            name="title"
            required
            // biome-ignore lint/a11y/noAutofocus: the dialog exists to type a title
            autoFocus
            value={form.title}
            onChange={(event) => set('title', event.target.value)}
            placeholder="Pay rent"
          />
        </label>
        <label>
          Description
          <textarea
            rows={2}
            value={form.description}
            onChange={(event) => set('description', event.target.value)}
          />
        </label>
        <div className="field-row">
          <label>
            Priority
            <select
              value={form.priority}
              onChange={(event) => set('priority', event.target.value as TaskForm['priority'])}
            >
              {PRIORITIES.map((priority) => (
                <option key={priority} value={priority}>
                  {priority}
                </option>
              ))}
            </select>
          </label>
          <label>
            Due date
            <input
              type="date"
              value={form.dueDate}
              onChange={(event) => set('dueDate', event.target.value)}
            />
          </label>
          {!form.allDay && (
            <label>
              Time
              <input
                type="time"
                value={form.dueTime}
                disabled={!due}
                onChange={(event) => set('dueTime', event.target.value)}
              />
            </label>
          )}
          <label className="choice">
            <input
              type="checkbox"
              checked={form.allDay}
              disabled={!due}
              onChange={(event) => set('allDay', event.target.checked)}
            />
            All day
          </label>
        </div>
        {due && (
          <p className="hint">
            Times are in {timeZone}.{' '}
            <button type="button" className="link" onClick={() => set('dueDate', '')}>
              Clear due date
            </button>
          </p>
        )}
        {form.parentId === null && (
          <label>
            List
            <select value={form.listId ?? ''} onChange={(event) => set('listId', event.target.value || null)}>
              <option value="">Inbox</option>
              {lists.map((list) => (
                <option key={list.id} value={list.id}>
                  {list.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <TagInput tags={form.tags} suggestions={tagSuggestions} onChange={(tags) => set('tags', tags)} />
        <ReminderPicker
          reminders={form.reminders}
          disabled={!due}
          onChange={(reminders) => set('reminders', reminders)}
        />
        <RecurrencePicker
          value={form.recurrence}
          anchor={form.recurrenceAnchor}
          due={due}
          allDay={form.allDay}
          timeZone={timeZone}
          onChange={(recurrence) => set('recurrence', recurrence)}
          onAnchorChange={(anchor) => set('recurrenceAnchor', anchor)}
        />
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <footer className="actions">
          {base && (
            <>
              <button type="button" className="danger" onClick={() => onDelete(base)} disabled={busy}>
                Delete
              </button>
              <button type="button" onClick={() => onToggleComplete(base)} disabled={busy}>
                {base.status === 'completed' ? 'Reopen' : 'Mark complete'}
              </button>
            </>
          )}
          <span className="spacer" />
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || conflict !== null}>
            {busy ? 'Saving…' : base ? 'Save' : 'Add task'}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
