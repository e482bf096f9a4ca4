import type { DragEvent, KeyboardEvent } from 'react';
import type { Task } from '../api/types';
import { summarizeRecurrence } from '../lib/recurrence';
import { reminderLabel, sortReminders } from '../lib/reminders';
import { describeDue } from '../lib/time';
import { Icon } from './Icon';
import { TASK_DRAG_TYPE } from './Sidebar';
import { SubtaskList } from './SubtaskList';

export interface TaskRowProps {
  task: Task;
  timeZone: string;
  onOpen: (task: Task) => void;
  onToggleComplete: (task: Task) => void;
  onDelete: (task: Task) => void;
  /** Whether its subtasks are shown under it. */
  expanded: boolean;
  onToggleExpanded: (task: Task) => void;
  syncTick: number;
  onSubtasksChanged: () => void;
  /** Set when the list is in the user's order: Alt+↑/↓ moves the task, a dropped task lands before it. */
  reorder?: {
    onMove: (task: Task, by: -1 | 1) => void;
    onDropBefore: (draggedId: string, target: Task) => void;
  };
}

export function TaskRow({
  task,
  timeZone,
  onOpen,
  onToggleComplete,
  onDelete,
  expanded,
  onToggleExpanded,
  syncTick,
  onSubtasksChanged,
  reorder,
}: TaskRowProps) {
  const completed = task.status === 'completed';
  const due = task.due_at ? describeDue(task.due_at, task.all_day, timeZone) : null;
  const progress = task.subtasks;
  return (
    <li
      className={`task-row priority-${task.priority}${completed ? ' completed' : ''}`}
      data-task-id={task.id}
      draggable
      onDragStart={(event) => {
        event.dataTransfer.setData(TASK_DRAG_TYPE, task.id);
        event.dataTransfer.effectAllowed = 'move';
      }}
      {...(reorder
        ? {
            onKeyDown: (event: KeyboardEvent) => {
              if (!event.altKey || (event.key !== 'ArrowUp' && event.key !== 'ArrowDown')) return;
              event.preventDefault();
              reorder.onMove(task, event.key === 'ArrowUp' ? -1 : 1);
            },
            onDragOver: (event: DragEvent) => {
              if (event.dataTransfer.types.includes(TASK_DRAG_TYPE)) event.preventDefault();
            },
            onDrop: (event: DragEvent) => {
              const dragged = event.dataTransfer.getData(TASK_DRAG_TYPE);
              if (!dragged || dragged === task.id) return;
              event.preventDefault();
              reorder.onDropBefore(dragged, task);
            },
          }
        : {})}
    >
      <input
        type="checkbox"
        className="complete-toggle"
        checked={completed}
        aria-label={completed ? `Reopen “${task.title}”` : `Complete “${task.title}”`}
        onChange={() => onToggleComplete(task)}
      />
      <button
        type="button"
        className="task-main"
        onClick={() => onOpen(task)}
        aria-label={`Edit “${task.title}”`}
        aria-keyshortcuts={reorder ? 'Alt+ArrowUp Alt+ArrowDown' : undefined}
      >
        <span className="task-title">{task.title}</span>
        <span className="task-meta">
          <span className={`priority-badge priority-${task.priority}`}>{task.priority}</span>
          {due && (
            <span className={`due${due.overdue && !completed ? ' overdue' : ''}`} title={due.title}>
              {due.overdue && !completed ? 'Overdue · ' : ''}
              {due.text}
            </span>
          )}
          {task.recurrence && (
            <span className="badge recurrence-badge" title="Repeats">
              <Icon name="repeat" size={12} /> {summarizeRecurrence(task.recurrence)}
            </span>
          )}
          {task.reminders.length > 0 && task.due_at && (
            <span className="badge reminder-badge" title="Reminders">
              <Icon name="bell" size={12} /> {sortReminders(task.reminders).map(reminderLabel).join(', ')}
            </span>
          )}
          {task.tags.map((tag) => (
            <span key={tag} className="tag">
              #{tag}
            </span>
          ))}
        </span>
      </button>
      {progress && (
        <progress
          className="subtask-progress"
          max={progress.total}
          value={progress.completed}
          aria-label={`${progress.completed} of ${progress.total} subtasks done`}
        />
      )}
      <button
        type="button"
        className="subtask-toggle"
        aria-expanded={expanded}
        aria-label={`${expanded ? 'Hide' : 'Show'} subtasks of “${task.title}”`}
        onClick={() => onToggleExpanded(task)}
      >
        {progress ? `${progress.completed}/${progress.total}` : '+ Subtask'}
      </button>
      <button
        type="button"
        className="icon-button delete"
        aria-label={`Delete “${task.title}”`}
        onClick={() => onDelete(task)}
      >
        <Icon name="trash" />
      </button>
      {expanded && (
        <SubtaskList parent={task} syncTick={syncTick} onChanged={onSubtasksChanged} onOpen={onOpen} />
      )}
    </li>
  );
}
