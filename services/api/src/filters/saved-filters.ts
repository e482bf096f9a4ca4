import { collapseWhitespace, DomainError, FieldError, NotFoundError } from '@todo/domain';
import type { Db } from '@todo/platform/db/connect';
import type { Database } from '@todo/platform/db/schema';
import { sql, type Transaction } from 'kysely';
import type { ListService } from '../lists/list-service.js';
import { type TaskListFilter, toListQuery } from '../tasks/task-query.js';
import type { Actor } from '../tasks/task-service.js';

export const FILTER_LIMITS = { name: 100, filters: 50 } as const;

/** A saved filter's query: the filters of `GET /api/tasks` by their wire names (no page, no cursor). */
export type SavedQuery = Omit<TaskListFilter, 'limit' | 'cursor'>;

export interface SavedFilter {
  id: string;
  name: string;
  query: SavedQuery;
  created_at: Date;
}

/**
 * Saved filters: a name for a task listing the user opens often ("urgent at work"). The query is
 * checked as `GET /api/tasks` checks its parameters, so opening the filter can never fail on it.
 */
export class SavedFilters {
  constructor(
    private readonly db: Db,
    private readonly lists: ListService,
  ) {}

  async all(actor: Actor): Promise<SavedFilter[]> {
    const rows = await this.db
      .selectFrom('saved_filters')
      .select(['id', 'name', 'query', 'created_at'])
      .where('user_id', '=', actor.userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({ ...row, query: row.query as SavedQuery }));
  }

  async create(actor: Actor, name: string, query: SavedQuery): Promise<SavedFilter> {
    const trimmed = this.checkName(name);
    await this.check(actor, query);
    return this.db.transaction().execute((trx) => this.insertIn(trx, actor, trimmed, query));
  }

  /** A new saved filter in `trx` (an import's), checked as `create` checks it. */
  async createIn(
    trx: Transaction<Database>,
    actor: Actor,
    name: string,
    query: SavedQuery,
  ): Promise<SavedFilter> {
    const trimmed = this.checkName(name);
    await this.check(actor, query, trx);
    return this.insertIn(trx, actor, trimmed, query);
  }

  private checkName(name: string): string {
    const trimmed = collapseWhitespace(name);
    if (!trimmed) throw new FieldError('name', 'must not be blank');
    if (trimmed.length > FILTER_LIMITS.name)
      throw new FieldError('name', `must be at most ${FILTER_LIMITS.name} characters`);
    return trimmed;
  }

  private async insertIn(
    trx: Transaction<Database>,
    actor: Actor,
    name: string,
    query: SavedQuery,
  ): Promise<SavedFilter> {
    // Serializes one user's creations, so two at once cannot both pass the ceiling.
    await sql`select pg_advisory_xact_lock(hashtext(${`saved_filters:${actor.userId}`}))`.execute(trx);
    const { count } = await trx
      .selectFrom('saved_filters')
      .select(sql<number>`count(*)::int`.as('count'))
      .where('user_id', '=', actor.userId)
      .executeTakeFirstOrThrow();
    if (count >= FILTER_LIMITS.filters)
      throw new FieldError('name', `at most ${FILTER_LIMITS.filters} saved filters`);
    const row = await trx
      .insertInto('saved_filters')
      .values({
        id: crypto.randomUUID(),
        user_id: actor.userId,
        name,
        query: JSON.stringify(query),
        created_at: new Date(),
      })
      .returning(['id', 'name', 'query', 'created_at'])
      .executeTakeFirstOrThrow();
    return { ...row, query: row.query as SavedQuery };
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const deleted = await this.db
      .deleteFrom('saved_filters')
      .where('id', '=', id)
      .where('user_id', '=', actor.userId)
      .returning('id')
      .execute();
    if (deleted.length === 0) throw new NotFoundError('filter');
  }

  /** What `GET /api/tasks` would refuse in these parameters, named as `query.<parameter>`. */
  private async check(actor: Actor, query: SavedQuery, trx?: Transaction<Database>): Promise<void> {
    try {
      const parsed = toListQuery(query);
      if (parsed.list && parsed.list !== 'inbox') await this.lists.resolve(actor, parsed.list, trx);
    } catch (error) {
      if (error instanceof DomainError && error.field)
        throw new FieldError(`query.${error.field}`, reasonOf(error));
      throw error;
    }
  }
}

const reasonOf = (error: DomainError) => (error instanceof FieldError ? error.reason : error.message);
