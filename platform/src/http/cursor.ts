import { badRequest } from './errors.js';

/**
 * The opaque keyset cursors of every listing: a base64url JSON array of the last row's sort
 * values. A cursor comes back from the client, so each position is checked against the type its
 * column has in the database before it reaches a query — a tampered value is a 400 naming
 * `cursor`, never a cast error from PostgreSQL.
 */
export interface CursorField<T> {
  /** The value as it travels in the cursor. */
  encode(value: T): string | number;
  /** The value for the query, or undefined when the cursor's value cannot be one of this column. */
  decode(value: unknown): T | undefined;
}

/** An RFC 3339 instant with a four-digit year: what `toISOString` writes, and what timestamptz reads. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|[+-]\d{2}:\d{2})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DIGITS = /^(?:0|[1-9][0-9]{0,18})$/;
const INT64_MAX = 9_223_372_036_854_775_807n;

const decodeTime = (value: unknown): Date | undefined => {
  if (typeof value !== 'string' || !INSTANT.test(value)) return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time;
};

export const cursorFields = {
  /** A timestamptz column. */
  time: { encode: (at) => at.toISOString(), decode: decodeTime } satisfies CursorField<Date>,
  /**
   * A timestamptz sort value that may be `'infinity'` (a coalesced missing date), kept as text for
   * the query's `::timestamptz` cast.
   */
  timeOrInfinity: {
    encode: (at) => at,
    decode: (value) => (value === 'infinity' || decodeTime(value) ? (value as string) : undefined),
  } satisfies CursorField<string>,
  uuid: {
    encode: (id) => id,
    decode: (value) => (typeof value === 'string' && UUID.test(value) ? value : undefined),
  } satisfies CursorField<string>,
  /** A non-negative bigint (a sequence), as decimal text so that no precision is lost in JSON. */
  int64: {
    encode: (digits) => digits,
    decode: (value) =>
      typeof value === 'string' && DIGITS.test(value) && BigInt(value) <= INT64_MAX ? value : undefined,
  } satisfies CursorField<string>,
  /** An integer column holding values in [min, max] (a smallint rank). */
  integer: (min: number, max: number): CursorField<number> => ({
    encode: (n) => n,
    decode: (value) =>
      typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
        ? value
        : undefined,
  }),
  /** A double precision column holding values in [min, max]. */
  finite: (min: number, max: number): CursorField<number> => ({
    encode: (n) => n,
    decode: (value) =>
      typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max ? value : undefined,
  }),
  /** A text column; longer values than any row can have are not a position of this listing. */
  text: (maxLength: number): CursorField<string> => ({
    encode: (text) => text,
    decode: (value) => (typeof value === 'string' && value.length <= maxLength ? value : undefined),
  }),
  /** A fixed tag (the sort a cursor was made for), so a cursor of another sort is refused. */
  literal: <const L extends string>(expected: L): CursorField<L> => ({
    encode: (tag) => tag,
    decode: (value) => (value === expected ? expected : undefined),
  }),
};

/** Any field, whatever its value type (its encode takes a value of that type only). */
type SomeCursorField = { encode(value: never): string | number; decode(value: unknown): unknown };

type Decoded<F> = { [K in keyof F]: F[K] extends CursorField<infer T> ? T : never };

/** A cursor codec for rows ordered by the given columns (the last one the unique tie-breaker). */
export function keysetCursor<const F extends readonly SomeCursorField[]>(
  fields: F,
  refusal = 'is not a cursor of this listing',
) {
  return {
    encode(...values: Decoded<F>): string {
      const wire = fields.map((field, i) => (field as CursorField<unknown>).encode(values[i]));
      return Buffer.from(JSON.stringify(wire)).toString('base64url');
    },
    /** Throws a 400 naming `cursor` for anything this listing did not hand out. */
    decode(cursor: string): Decoded<F> {
      let wire: unknown;
      try {
        wire = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
      } catch {
        throw badRequest('cursor', refusal);
      }
      if (!Array.isArray(wire) || wire.length !== fields.length) throw badRequest('cursor', refusal);
      const values = fields.map((field, i) => (field as CursorField<unknown>).decode(wire[i]));
      if (values.some((value) => value === undefined)) throw badRequest('cursor', refusal);
      return values as Decoded<F>;
    },
  };
}

/**
 * One page out of the `limit + 1` rows a keyset query fetched: the rows to show, and the cursor
 * after the last of them when the extra row proves there is more.
 */
export function pageOf<T>(rows: T[], limit: number, cursorAfter: (last: T) => string) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorAfter(last) : null };
}
