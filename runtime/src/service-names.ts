import { APP_IDS, type AppId } from '@todo/contracts/dapr';

/** The services of the distributed mode, one per process (`runtime/src/service.ts <name>`). */
export const SERVICE_NAMES = ['api', 'recurring-task', 'notification', 'audit', 'websocket-sync'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const APP_ID_OF: Record<ServiceName, AppId> = {
  api: APP_IDS.api,
  'recurring-task': APP_IDS.recurringTask,
  notification: APP_IDS.notification,
  audit: APP_IDS.audit,
  'websocket-sync': APP_IDS.websocketSync,
};
