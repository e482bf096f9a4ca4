export * from './assistant/index.js';
export * from './recurrence/index.js';
export * from './reminders/index.js';
export * from './tasks/errors.js';
export * from './tasks/fields.js';
export * from './tasks/task.js';
export * from './time.js';
