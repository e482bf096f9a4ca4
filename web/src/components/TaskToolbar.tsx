import { type RefObject, useEffect, useState } from 'react';
import { PRIORITIES, type TagCount } from '../api/types';
import { DEFAULT_FILTERS, type DueFilter, type SortKey, type TaskFilters } from '../hooks/useTaskList';

const SORTS: { value: SortKey; label: string }[] = [
  { value: 'due', label: 'Due soonest' },
  { value: '-due', label: 'Due latest' },
  { value: 'priority', label: 'Most important first' },
  { value: '-priority', label: 'Least important first' },
  { value: '-created', label: 'Newest' },
  { value: 'created', label: 'Oldest' },
  { value: 'title', label: 'Title A → Z' },
  { value: '-title', label: 'Title Z → A' },
  { value: 'position', label: 'My order' },
];

interface TaskToolbarProps {
  filters: TaskFilters;
  onChange: (filters: TaskFilters) => void;
  tags: TagCount[];
  searchInput: RefObject<HTMLInputElement | null>;
}

export function TaskToolbar({ filters, onChange, tags, searchInput }: TaskToolbarProps) {
  const [query, setQuery] = useState(filters.q);

  // Search as the user types, once they pause.
  useEffect(() => {
    if (query === filters.q) return;
    const timer = setTimeout(() => onChange({ ...filters, q: query }), 250);
    return () => clearTimeout(timer);
  }, [query, filters, onChange]);

  const set = <K extends keyof TaskFilters>(key: K, value: TaskFilters[K]) =>
    onChange({ ...filters, [key]: value });
  const filtered =
    filters.q !== '' ||
    filters.status !== DEFAULT_FILTERS.status ||
    filters.priority !== '' ||
    filters.tag !== '' ||
    filters.due !== '';

  return (
    <search className="toolbar">
      <input
        ref={searchInput}
        type="search"
        className="search"
        placeholder="Search tasks  ( / )"
        aria-label="Search tasks"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <div className="filters">
        <select
          aria-label="Status"
          value={filters.status}
          onChange={(event) => set('status', event.target.value as TaskFilters['status'])}
        >
          <option value="open">Open</option>
          <option value="completed">Completed</option>
          <option value="">All statuses</option>
        </select>
        <select
          aria-label="Priority"
          value={filters.priority}
          onChange={(event) => set('priority', event.target.value as TaskFilters['priority'])}
        >
          <option value="">Any priority</option>
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {priority[0]?.toUpperCase() + priority.slice(1)}
            </option>
          ))}
        </select>
        <select aria-label="Tag" value={filters.tag} onChange={(event) => set('tag', event.target.value)}>
          <option value="">Any tag</option>
          {tags.map(({ tag, count }) => (
            <option key={tag} value={tag}>
              #{tag} ({count})
            </option>
          ))}
        </select>
        <select
          aria-label="Due"
          value={filters.due}
          onChange={(event) => set('due', event.target.value as DueFilter)}
        >
          <option value="">Any time</option>
          <option value="today">Due today</option>
          <option value="week">Due this week</option>
          <option value="overdue">Overdue</option>
        </select>
        <select
          aria-label="Sort"
          value={filters.sort}
          onChange={(event) => set('sort', event.target.value as SortKey)}
        >
          {SORTS.map((sort) => (
            <option key={sort.value} value={sort.value}>
              {sort.label}
            </option>
          ))}
        </select>
        {filtered && (
          <button
            type="button"
            className="link"
            onClick={() => {
              setQuery('');
              onChange({ ...DEFAULT_FILTERS, sort: filters.sort });
            }}
          >
            Clear filters
          </button>
        )}
      </div>
    </search>
  );
}
