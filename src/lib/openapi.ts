/**
 * The OpenAPI pieces every domain's routes declare the same way (src/lib/problem.ts has the
 * problem+json and JSON response documents).
 */

/** Routes that need a bearer access token. */
export const signedIn: Array<Record<string, string[]>> = [{ bearerAuth: [] }];

/** Routes that answer anyone; a token, when sent, must be valid. */
export const optionalBearer: Array<Record<string, string[]>> = [{}, { bearerAuth: [] }];

/** A JSON request body described by `schema`; an optional one may be left out altogether. */
export const jsonBody = <T>(schema: T, required = true) => ({ required, content: { "application/json": { schema } } });
