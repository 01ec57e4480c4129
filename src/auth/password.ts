import bcrypt from 'bcrypt';
import { BadInputError } from '../common/domain-error.js';

export const MIN_PASSWORD_LENGTH = 8;
/**
 * bcrypt reads only the first 72 bytes (UTF-8 bytes, not characters: 24 × "€" already fills them) and
 * ignores the rest, so a longer password would sign in with any text after its 72nd byte.
 */
export const MAX_PASSWORD_BYTES = 72;

export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new BadInputError(`Password must be at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
  refuseOverlongPassword(password);
}

/** The same refusal at creation and at sign-in, before bcrypt is asked: refuse rather than silently truncate. */
export function refuseOverlongPassword(password: string): void {
  if (Buffer.byteLength(password) > MAX_PASSWORD_BYTES) {
    throw new BadInputError(`Password must be at most ${MAX_PASSWORD_BYTES} bytes`, { field: 'password' });
  }
}

export class PasswordHasher {
  /** Compared against when the username is unknown, so both failures take the same time. */
  private readonly dummyHash: Promise<string>;

  constructor(private readonly cost: number) {
    this.dummyHash = bcrypt.hash('not-a-real-password', cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    refuseOverlongPassword(password);
    const matches = await bcrypt.compare(password, hash ?? (await this.dummyHash));
    return matches && hash !== undefined;
  }
}
