import bcrypt from 'bcrypt';
import { BadInputError } from '../common/domain-error.js';

export const MIN_PASSWORD_LENGTH = 8;

export function checkPasswordPolicy(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new BadInputError(`Password must be at least ${MIN_PASSWORD_LENGTH} characters`, { field: 'password' });
  }
  if (Buffer.byteLength(password) > 72) {
    // bcrypt ignores everything past 72 bytes; refuse rather than silently truncate.
    throw new BadInputError('Password must be at most 72 bytes', { field: 'password' });
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
    const matches = await bcrypt.compare(password, hash ?? (await this.dummyHash));
    return matches && hash !== undefined;
  }
}
