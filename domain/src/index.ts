export * from './tasks/errors.js';
export * from './tasks/fields.js';
export * from './tasks/task.js';
export * from './time.js';
export * from './assistant/index.js';
