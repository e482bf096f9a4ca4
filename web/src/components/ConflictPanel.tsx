import type { Task, TaskDraft } from '../api/types';
import { summarizeRecurrence } from '../lib/recurrence';
import { sameFieldValue } from '../lib/taskForm';
import { describeDue } from '../lib/time';

interface ConflictPanelProps {
  theirs: Task;
  mine: Partial<TaskDraft>;
  timeZone: string;
  busy: boolean;
  onKeepTheirs: () => void;
  onOverwrite: () => void;
}

const LABELS: Record<keyof TaskDraft, string> = {
  title: 'Title',
  description: 'Description',
  priority: 'Priority',
  tags: 'Tags',
  due_at: 'Due',
  all_day: 'All day',
  reminders: 'Reminders',
  recurrence: 'Repeat',
  recurrence_anchor: 'Repeat from',
  list_id: 'List',
  parent_id: 'Parent task',
};

function show(key: keyof TaskDraft, value: unknown, timeZone: string, allDay: boolean): string {
  if (value === null || value === undefined || value === '') return '—';
  if (key === 'due_at') return describeDue(String(value), allDay, timeZone).title;
  if (key === 'recurrence') return summarizeRecurrence(String(value));
  if (Array.isArray(value)) return value.join(', ') || '—';
  return String(value);
}

/** Shows a 409 version conflict side by side and lets the user pick a side. */
export function ConflictPanel({
  theirs,
  mine,
  timeZone,
  busy,
  onKeepTheirs,
  onOverwrite,
}: ConflictPanelProps) {
  const keys = (Object.keys(mine) as (keyof TaskDraft)[]).filter(
    (key) => !sameFieldValue(key, mine[key], theirs[key]),
  );
  return (
    <section className="conflict" role="alert" aria-labelledby="conflict-title">
      <h3 id="conflict-title">This task was changed elsewhere</h3>
      <p>
        Someone (maybe you, in another tab or via the assistant) saved a newer version while you were editing.
      </p>
      {keys.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Theirs (saved)</th>
              <th scope="col">Mine</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((key) => (
              <tr key={key}>
                <th scope="row">{LABELS[key]}</th>
                <td>{show(key, theirs[key], timeZone, theirs.all_day)}</td>
                <td>{show(key, mine[key], timeZone, mine.all_day ?? theirs.all_day)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        <button type="button" onClick={onKeepTheirs} disabled={busy}>
          Reload theirs
        </button>
        <button type="button" className="primary" onClick={onOverwrite} disabled={busy}>
          Overwrite with mine
        </button>
      </div>
    </section>
  );
}
