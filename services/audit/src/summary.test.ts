import { newEnvelope, type TaskEvent, type TaskSnapshot } from '@todo/contracts';
import { describe, expect, it } from 'vitest';
import { summarize } from './summary.js';

const taskEvent = (title: string, changed?: string[]): TaskEvent => ({
  ...newEnvelope({
    eventType: 'task.updated',
    userId: crypto.randomUUID(),
    taskId: crypto.randomUUID(),
    correlationId: 'c',
  }),
  payload: { task: { title } as TaskSnapshot, ...(changed ? { changed_fields: changed } : {}) },
});

describe('audit summaries', () => {
  it('name the changed fields of an update', () => {
    expect(summarize(taskEvent('Pay rent', ['due_at', 'priority']))).toBe(
      'updated "Pay rent": due_at, priority',
    );
    expect(summarize(taskEvent('Pay rent', []))).toBe('updated "Pay rent"');
  });

  it('keep a title on one line and cut a long one short', () => {
    expect(summarize(taskEvent('Pay\n  rent'))).toBe('updated "Pay rent"');
    const summary = summarize(taskEvent('x'.repeat(500)));
    expect(summary).toBe(`updated "${'x'.repeat(79)}…"`);
  });
});
