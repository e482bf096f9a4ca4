/** Names shared by the code and the Dapr resources under deploy/; a deploy check compares both. */
export const PUBSUB_NAME = 'kafka-pubsub';
export const STATE_STORE_NAME = 'postgres-statestore';
export const SECRET_STORE_NAME = 'secretstore';

/** Dapr app ids, which are also the Kafka consumer group names of the shared-work consumers. */
export const APP_IDS = {
  api: 'api-service',
  recurringTask: 'recurring-task-service',
  notification: 'notification-service',
  audit: 'audit-service',
  websocketSync: 'websocket-sync-service',
} as const;
export type AppId = (typeof APP_IDS)[keyof typeof APP_IDS];

const TASK_WRITER = '/internal/task-writer';
/**
 * The api's internal task writer, which recurring-task invokes through Dapr: the chart's access
 * control must admit recurring-task to every one of these (`:name` is one path segment).
 */
export const TASK_WRITER_ROUTES = {
  createOccurrence: `${TASK_WRITER}/create-occurrence`,
  removeFollowingOccurrence: `${TASK_WRITER}/remove-following-occurrence`,
  timeZone: `${TASK_WRITER}/time-zone/:userId`,
  task: `${TASK_WRITER}/task/:userId/:taskId`,
} as const;
