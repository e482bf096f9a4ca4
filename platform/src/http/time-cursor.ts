import { badRequest } from './errors.js';

/**
 * The opaque cursor of a newest-first listing ordered by a time and a tie-breaking key: the
 * position of the last row of the previous page.
 */
export interface TimeCursor {
  at: Date;
  key: string;
}

export function encodeTimeCursor({ at, key }: TimeCursor): string {
  return Buffer.from(JSON.stringify([at.toISOString(), key])).toString('base64url');
}

/** Throws a 400 naming `cursor` for anything this listing did not hand out. */
export function decodeTimeCursor(cursor: string, keyPattern: RegExp): TimeCursor {
  try {
    const [at, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const time = typeof at === 'string' ? new Date(at) : new Date(Number.NaN);
    if (!Number.isNaN(time.getTime()) && typeof key === 'string' && keyPattern.test(key)) {
      return { at: time, key };
    }
  } catch {
    // falls through to the error below
  }
  throw badRequest('cursor', 'is not a cursor of this listing');
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
