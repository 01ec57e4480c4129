import { createCipheriv, randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { SecretBox, SecretOpenError } from '../../src/common/secret-box.js';
import { rewrapSecrets } from '../../src/common/secret-rewrap.js';
import { PSP_SEALED_COLUMNS, pspSecretContext } from '../../src/psp/payment-service-provider.entity.js';
import { testApp } from '../hooks.js';
import { createQmoneyPsp, QMONEY, sql, startQmoney } from '../helpers/openimis.js';
import { admin } from '../helpers/registry.js';

const OLD = Buffer.alloc(32, 1);
const NEW = Buffer.alloc(32, 2);

/** A value as the first format stored it: no key id, no context. */
function sealedV1(key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

describe('secrets at rest: AES-256-GCM bound to their row, with key rotation @smoke', () => {
  const box = new SecretBox({ current: OLD, previous: [] });

  it('opens only with the context it was sealed with, and never after a change to any part', () => {
    const sealed = box.seal('1234', 'psp:a:pin');
    expect(sealed).to.match(/^v2\.[0-9a-f]{8}\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(box.open(sealed, 'psp:a:pin')).to.equal('1234');
    expect(() => box.open(sealed, 'psp:b:pin')).to.throw(SecretOpenError);
    expect(() => box.open(sealed, 'psp:a:password')).to.throw(SecretOpenError);
    const parts = sealed.split('.');
    for (const index of [2, 3, 4]) {
      const altered = [...parts];
      altered[index] = (altered[index][0] === 'A' ? 'B' : 'A') + altered[index].slice(1);
      expect(() => box.open(altered.join('.'), 'psp:a:pin')).to.throw(SecretOpenError);
    }
    // A shortened tag is refused, not accepted as a weaker check.
    expect(() => box.open([...parts.slice(0, 3), parts[3].slice(0, 8), parts[4]].join('.'), 'psp:a:pin')).to.throw(SecretOpenError);
    expect(box.seal('1234', 'psp:a:pin')).to.not.equal(sealed);
  });

  it('opens values sealed under a previous key or in the first format, and calls them stale', () => {
    const rotated = new SecretBox({ current: NEW, previous: [OLD] });
    const underOld = box.seal('secret', 'ctx');
    expect(rotated.open(underOld, 'ctx')).to.equal('secret');
    expect(rotated.isStale(underOld)).to.equal(true);
    expect(rotated.isStale(rotated.seal('secret', 'ctx'))).to.equal(false);
    const legacy = sealedV1(OLD, 'legacy');
    expect(rotated.open(legacy, 'anything')).to.equal('legacy');
    expect(rotated.isStale(legacy)).to.equal(true);
    expect(() => new SecretBox({ current: NEW, previous: [] }).open(underOld, 'ctx')).to.throw(SecretOpenError);
  });

  it('re-seals every stored secret under the new key at rotation, after which the old key can go', async function () {
    this.timeout(30_000);
    const sim = await startQmoney();
    try {
      const uuid = await createQmoneyPsp(sim, await admin());
      const { orm, config, log } = testApp().container;
      const current = config.secretKeys.current;
      const next = randomBytes(32);
      const rotated = await rewrapSecrets(orm, new SecretBox({ current: next, previous: [current] }), [PSP_SEALED_COLUMNS], log);
      expect(rotated.resealed).to.be.greaterThanOrEqual(3);
      const [row] = await sql('select pin_sealed from payment_service_providers where uuid = ?', [uuid]);
      expect(new SecretBox({ current: next, previous: [] }).open(row.pin_sealed, pspSecretContext(uuid, 'pin'))).to.equal(QMONEY.pin);
      // Nothing is left for the old key, and a second run changes nothing.
      expect((await rewrapSecrets(orm, new SecretBox({ current: next, previous: [] }), [PSP_SEALED_COLUMNS], log)).resealed).to.equal(0);
      // Back to the test app's key (rotating the other way), so the other tests read their PSPs.
      await rewrapSecrets(orm, new SecretBox({ current, previous: [next] }), [PSP_SEALED_COLUMNS], log);
    } finally {
      await sim.stop();
    }
  });
});
