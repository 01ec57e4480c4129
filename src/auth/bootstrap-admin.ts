import { randomBytes } from 'node:crypto';
import type { Container } from '../container.js';
import { ADVISORY_LOCKS } from '../db/advisory-locks.js';
import { StartupError } from '../startup/startup-error.js';
import { AuthService } from './auth.service.js';
import { Role } from './role.js';
import { User } from './user.entity.js';

/**
 * On first start (no admin at all) creates one from ADMIN_USERNAME / ADMIN_PASSWORD. Without a
 * password one is generated and printed once: it is not stored anywhere but as a bcrypt hash. Not in
 * production, where stdout is JSON logs (and a password must never be in a log): there it must be set.
 */
export async function ensureFirstAdmin(container: Container): Promise<void> {
  // Under a lock: API processes started together on an empty database would each find no admin and
  // each create one, and the second insert (same username) would stop that process's start.
  const { username, password } = container.config.admin;
  const chosen = await container.orm.em.fork().transactional(async (em) => {
    await em.getConnection().execute('select pg_advisory_xact_lock(?)', [ADVISORY_LOCKS.firstAdmin.toString()], 'all', em.getTransactionContext());
    if (await em.count(User, { roles: { $contains: [Role.ADMIN] } })) return undefined;
    if (!password && container.config.nodeEnv === 'production') {
      throw new StartupError('ADMIN_PASSWORD: there is no administrator yet: set ADMIN_PASSWORD (8 to 72 bytes) for this first start; it is used only to create the first one');
    }
    const created = password ?? randomBytes(12).toString('base64url');
    const passwordHash = await container.get(AuthService).passwords.hash(created);
    em.create(User, { username, roles: [Role.ADMIN], passwordHash });
    return created;
  });
  if (chosen === undefined) return;
  if (!password) {
    process.stdout.write(`\nFirst admin created: username "${username}", password "${chosen}" (shown once; change it with setUserPassword)\n\n`);
  }
  container.log.info({ username }, 'first admin created');
}
