import { formatDueForUser } from '@todo/domain';

/** What a reminder says, whichever way it reaches the user. */
export interface ReminderFacts {
  taskTitle: string;
  dueAt: Date;
  allDay: boolean;
  late: boolean;
  /** The user's zone: due times read as wall-clock times there. */
  timeZone: string;
}

export interface InAppText {
  title: string;
  body: string;
}

export interface EmailText {
  subject: string;
  text: string;
  html: string;
}

const LATE_NOTE = 'This reminder is late: it came due while the app was not running.';

/** "Tue, Dec 1, 2026, 9:00 AM (Europe/Berlin)" — an all-day date has no zone to name. */
function dueText(facts: ReminderFacts): { due: string; zone: string } {
  return {
    due: formatDueForUser(facts.dueAt, facts.allDay, facts.timeZone),
    zone: facts.allDay ? '' : ` (${facts.timeZone})`,
  };
}

export function inAppText(facts: ReminderFacts): InAppText {
  const { due } = dueText(facts);
  return { title: facts.taskTitle, body: facts.late ? `Due ${due}. ${LATE_NOTE}` : `Due ${due}` };
}

/** Plain text and HTML say the same; the task title is the user's text, so HTML gets it escaped. */
export function emailText(facts: ReminderFacts, appUrl?: string): EmailText {
  const { due, zone } = dueText(facts);
  // A title is one line in a subject header, whatever whitespace it carries.
  const subjectTitle = facts.taskTitle.replace(/\s+/g, ' ').trim();
  const textLines = [
    `Reminder: ${facts.taskTitle}`,
    `Due: ${due}${zone}`,
    ...(facts.late ? ['', LATE_NOTE] : []),
    ...(appUrl ? ['', `Open your tasks: ${appUrl}`] : []),
  ];
  const html = [
    '<!doctype html>',
    '<html><body style="font-family: sans-serif">',
    `<p>Reminder: <strong>${escapeHtml(facts.taskTitle)}</strong></p>`,
    `<p>Due: ${escapeHtml(due + zone)}</p>`,
    ...(facts.late ? [`<p><em>${escapeHtml(LATE_NOTE)}</em></p>`] : []),
    ...(appUrl ? [`<p><a href="${escapeHtml(appUrl)}">Open your tasks</a></p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject: `Reminder: ${subjectTitle} — due ${due}`, text: `${textLines.join('\n')}\n`, html };
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] as string);
