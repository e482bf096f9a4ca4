export * from './dapr.js';
export * from './events.js';
export type * from './generated.js';
export * from './topics.js';
export * from './validation.js';
