import bcrypt from "bcryptjs";

/** bcrypt cost 12, as the spec says (~300 ms of CPU in workerd, measured by `npm run bench`). */
export const BCRYPT_COST = 12;

export const hashPassword = (password: string) => bcrypt.hash(password, BCRYPT_COST);

export const verifyPassword = (password: string, hash: string) => bcrypt.compare(password, hash);

/**
 * A real bcrypt hash of a random string at the same cost: compared against when the account does
 * not exist or has no password, so "unknown user" and "wrong password" take the same time.
 */
export const DUMMY_HASH = "$2b$12$lKZ3PAOv0ju3dce0jyTuj.6tHDGJKXq9SpX.okrinXWMMlKRyNmRW";
