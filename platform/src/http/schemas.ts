import { type TSchema, Type } from 'typebox';

/** The route schemas every service shares: the error body and the shape of a paged listing. */

export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String(),
        message: Type.String(),
        field: Type.Optional(Type.String()),
      },
      { additionalProperties: true },
    ),
  },
  {
    $id: 'Error',
    description: 'Every error: a machine code, a sentence, and the offending field when there is one',
  },
);

export const errorResponses = {
  400: Type.Ref('Error'),
  401: Type.Ref('Error'),
  404: Type.Ref('Error'),
};

/** The query parameters of a keyset-paged listing: page size and the opaque cursor. */
export const pagingQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 500 })),
};

/** One page of a listing: its items and the cursor of the next page (null on the last). */
export const PageOf = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), next_cursor: Type.Union([Type.String(), Type.Null()]) });
