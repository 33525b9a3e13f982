import * as argon2 from 'argon2';

/** argon2id with the library's current defaults (memory-hard); verify never throws on garbage. */
export const passwordHasher = {
  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id });
  },
  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  },
};

/** A valid hash of a random password: verified against when the account does not exist, so timing does not tell. */
export const DECOY_HASH =
  '$argon2id$v=19$m=65536,p=4,t=3$H69Kd/dsoaUOkQ/F6WhnRA$iq5sGO1TIvWfK+Z4SSpeeZ+A7WQwtlFkEFJm4/E+0Dc';
