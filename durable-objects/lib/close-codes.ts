/**
 * Close codes shared by every socket protocol (4000-4999: the application's own). Plain constants,
 * so clients (the web app) can import them without the Workers-only socket code.
 */

/** Close code of a socket whose access token expired. */
export const TOKEN_EXPIRED_CLOSE_CODE = 4001;
/** Close code of every socket of an account that was just deleted (or banned, or suspended). */
export const ACCOUNT_DELETED_CLOSE_CODE = 4003;
