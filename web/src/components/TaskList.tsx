import { Fragment, useEffect, useRef } from 'react';
import type { Task } from '../api/types';
import { dateInputValue, wallClockIn } from '../lib/time';
import { TaskRow, type TaskRowProps } from './TaskRow';

/** Calls `onVisible` whenever the returned element scrolls into view (infinite scroll). */
function useWhenVisible<T extends Element>(onVisible: () => void, enabled: boolean) {
  const element = useRef<T>(null);
  const callback = useRef(onVisible);
  callback.current = onVisible;
  useEffect(() => {
    const target = element.current;
    if (!enabled || !target) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) callback.current();
    });
    observer.observe(target);
    return () => observer.disconnect();
  }, [enabled]);
  return element;
}

interface TaskListProps {
  tasks: Task[];
  phase: 'loading' | 'ready' | 'error';
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  filtered: boolean;
  timeZone: string;
  onLoadMore: () => void;
  onRetry: () => void;
  onOpen: (task: Task) => void;
  onToggleComplete: (task: Task) => void;
  onDelete: (task: Task) => void;
  /** Show a heading for each due day (Upcoming). */
  groupByDay: boolean;
  expandedIds: ReadonlySet<string>;
  onToggleExpanded: (task: Task) => void;
  syncTick: number;
  onSubtasksChanged: () => void;
  reorder?: TaskRowProps['reorder'];
}

/** The calendar day a task is due on in the user's zone, YYYY-MM-DD (an all-day task's own date). */
function dueDay(task: Task, timeZone: string): string {
  if (!task.due_at) return '';
  if (task.all_day) return task.due_at.slice(0, 10);
  return dateInputValue(wallClockIn(new Date(task.due_at), timeZone));
}

// While a view's first page loads, the previous view's tasks (some without a date) are still shown.
const dayHeading = (day: string) =>
  day === ''
    ? 'No due date'
    : new Intl.DateTimeFormat('en-GB', {
        weekday: 'long',
        day: 'numeric',
        month: 'long',
        timeZone: 'UTC',
      }).format(new Date(`${day}T00:00:00Z`));

export function TaskList({
  tasks,
  phase,
  error,
  hasMore,
  loadingMore,
  filtered,
  onLoadMore,
  onRetry,
  groupByDay,
  expandedIds,
  ...rowProps
}: TaskListProps) {
  const loadMoreButton = useWhenVisible<HTMLButtonElement>(onLoadMore, hasMore && !loadingMore && !error);
  if (phase === 'loading' && tasks.length === 0) {
    return (
      <p className="list-state" role="status">
        Loading tasks…
      </p>
    );
  }
  if (phase === 'error' && tasks.length === 0) {
    return (
      <div className="list-state" role="alert">
        <p>Could not load tasks: {error}</p>
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      </div>
    );
  }
  if (tasks.length === 0) {
    return (
      <p className="list-state empty">
        {filtered
          ? 'No tasks match these filters.'
          : 'Nothing to do. Press “n” to add a task, or ask the assistant.'}
      </p>
    );
  }
  return (
    <>
      <ul className="task-list" aria-label="Tasks">
        {tasks.map((task, index) => {
          const day = groupByDay ? dueDay(task, rowProps.timeZone) : '';
          const previous = tasks[index - 1];
          const firstOfDay = groupByDay && (!previous || dueDay(previous, rowProps.timeZone) !== day);
          return (
            <Fragment key={task.id}>
              {firstOfDay && (
                <li className="day-heading">
                  <h3>{dayHeading(day)}</h3>
                </li>
              )}
              <TaskRow task={task} expanded={expandedIds.has(task.id)} {...rowProps} />
            </Fragment>
          );
        })}
      </ul>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {hasMore && (
        <button
          ref={loadMoreButton}
          type="button"
          className="load-more"
          onClick={onLoadMore}
          disabled={loadingMore}
        >
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </>
  );
}
