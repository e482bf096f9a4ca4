import { type CursorField, cursorFields, keysetCursor } from './cursor.js';

/**
 * The opaque cursor of a newest-first listing ordered by a time and a tie-breaking key: the
 * position of the last row of the previous page.
 */
export interface TimeCursor {
  at: Date;
  key: string;
}

/** The key's type never changes what is written, only what is accepted back. */
const writer = keysetCursor([cursorFields.time, cursorFields.text(Number.POSITIVE_INFINITY)]);

export function encodeTimeCursor({ at, key }: TimeCursor): string {
  return writer.encode(at, key);
}

/** Throws a 400 naming `cursor` for anything this listing did not hand out. */
export function decodeTimeCursor(cursor: string, keyField: CursorField<string>): TimeCursor {
  const [at, key] = keysetCursor([cursorFields.time, keyField]).decode(cursor);
  return { at, key };
}
