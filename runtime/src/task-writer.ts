import { type ApiService, toTaskJson } from '@todo/api';
import { NotFoundError } from '@todo/domain';
import type { TaskWriter } from '@todo/recurring-task';

/** The recurring-task service's way into the task write path when both run in one process. */
export function inProcessTaskWriter(api: ApiService): TaskWriter {
  const actorOf = async (owner: { userId: string; correlationId: string }) => ({
    ...owner,
    timeZone: (await api.users.get(owner.userId)).timezone,
  });
  return {
    async createOccurrence(owner, next) {
      await api.tasks.createOccurrence(await actorOf(owner), next);
    },
    async removeFollowingOccurrence(owner, seriesId, occurrence) {
      await api.tasks.removeFollowingOccurrence(await actorOf(owner), seriesId, occurrence);
    },
    async timeZoneOf(userId) {
      return (await api.users.get(userId)).timezone;
    },
    async findTask(userId, taskId) {
      const actor = { userId, timeZone: 'UTC', correlationId: 'read' };
      return api.tasks.get(actor, taskId).then(toTaskJson, (error: unknown) => {
        if (error instanceof NotFoundError) return null;
        throw error;
      });
    },
  };
}
