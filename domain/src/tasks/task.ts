/** The task resource of the HTTP contract (ARCHITECTURE.md), as the domain sees it. */
export const TASK_STATUSES = ['open', 'completed'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PRIORITIES = ['low', 'medium', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const RECURRENCE_ANCHORS = ['due', 'completion'] as const;
export type RecurrenceAnchor = (typeof RECURRENCE_ANCHORS)[number];

export interface Task {
  id: string;
  userId: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: Priority;
  tags: string[];
  /** The due instant; for an all-day task, midnight UTC of the due calendar date. */
  dueAt: Date | null;
  allDay: boolean;
  /** ISO 8601 durations before due, e.g. "PT30M", "P1D". */
  reminders: string[];
  /** RFC 5545 RRULE body without the "RRULE:" prefix, e.g. "FREQ=WEEKLY;BYDAY=MO". */
  recurrence: string | null;
  recurrenceAnchor: RecurrenceAnchor;
  /** Shared by every occurrence of a recurring series; the first occurrence's id. */
  seriesId: string | null;
  /** 1-based index of this occurrence within its series. */
  occurrence: number;
  createdAt: Date;
  updatedAt: Date;
  completedAt: Date | null;
  version: number;
}
