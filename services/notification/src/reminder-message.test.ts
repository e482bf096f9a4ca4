import { describe, expect, it } from 'vitest';
import { emailText, inAppText, type ReminderFacts } from './reminder-message.js';

const timed: ReminderFacts = {
  taskTitle: 'Pay rent',
  // 08:00 UTC is 9:00 AM in Berlin (winter time).
  dueAt: new Date('2026-12-01T08:00:00Z'),
  allDay: false,
  late: false,
  timeZone: 'Europe/Berlin',
};

describe('reminder messages', () => {
  it('name the task and the due time in the user’s zone', () => {
    expect(inAppText(timed)).toEqual({ title: 'Pay rent', body: 'Due Tue, Dec 1, 2026, 9:00 AM' });
    const email = emailText(timed, 'https://todo.example');
    expect(email.subject).toBe('Reminder: Pay rent — due Tue, Dec 1, 2026, 9:00 AM');
    expect(email.text).toContain('Due: Tue, Dec 1, 2026, 9:00 AM (Europe/Berlin)');
    expect(email.text).toContain('https://todo.example');
    expect(email.html).toContain('Due: Tue, Dec 1, 2026, 9:00 AM (Europe/Berlin)');
    expect(email.html).toContain('<a href="https://todo.example">');
  });

  it('give an all-day task its date alone, whatever the zone', () => {
    const allDay = {
      ...timed,
      dueAt: new Date('2026-12-01T00:00:00Z'),
      allDay: true,
      timeZone: 'Pacific/Auckland',
    };
    expect(inAppText(allDay).body).toBe('Due Tue, Dec 1, 2026');
    expect(emailText(allDay).text).toContain('Due: Tue, Dec 1, 2026\n');
  });

  it('say when a reminder is late', () => {
    expect(inAppText({ ...timed, late: true }).body).toMatch(/late/);
    expect(emailText({ ...timed, late: true }).html).toMatch(/late/);
  });

  it('escape the title in HTML only, and keep the subject on one line', () => {
    const email = emailText({ ...timed, taskTitle: 'Fix <script>"x" & \'y\'\nnow' });
    expect(email.html).toContain('Fix &lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;\nnow');
    expect(email.html).not.toContain('<script>');
    expect(email.text).toContain('Fix <script>"x" & \'y\'');
    expect(email.subject).toBe('Reminder: Fix <script>"x" & \'y\' now — due Tue, Dec 1, 2026, 9:00 AM');
  });
});
