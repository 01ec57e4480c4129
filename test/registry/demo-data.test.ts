import { expect } from 'chai';
import { testApp } from '../hooks.js';
import { expectData, gql } from '../helpers/graphql.js';
import { login } from '../helpers/users.js';
import { User } from '../../src/auth/user.entity.js';
import { Family } from '../../src/registry/family.entity.js';
import { Insuree } from '../../src/registry/insuree.entity.js';
import { Policy } from '../../src/registry/policy.entity.js';
import { Product } from '../../src/registry/product.entity.js';
import { DEMO_HEAD_CHF_IDS, seedDemoData } from '../../src/registry/demo-data.js';

async function counts() {
  const em = testApp().container.orm.em.fork();
  return {
    users: await em.count(User),
    products: await em.count(Product),
    families: await em.count(Family),
    insurees: await em.count(Insuree),
    policies: await em.count(Policy),
  };
}

describe('registry: demo data', () => {
  it('seeds users, products, families and idle policies, and a second run changes nothing', async () => {
    const { container } = testApp();
    const first = await seedDemoData(container);
    const after = await counts();
    const second = await seedDemoData(container);
    expect(await counts()).to.deep.equal(after);
    expect(second.created).to.deep.equal({ users: 0, products: 0, families: 0, insurees: 0, policies: 0 });
    expect(first.created.policies).to.equal(second.created.policies + DEMO_HEAD_CHF_IDS.length);
    expect(second.users.map((u) => u.username)).to.deep.equal(['admin', 'accountant', 'psp-africell', 'programme-manager']);
  });

  it('lets the demo accountant find the idle policy of a demo insuree by chfId', async () => {
    const { container } = testApp();
    const { users } = await seedDemoData(container);
    const accountant = users.find((u) => u.username === 'accountant')!;
    const { token } = await login(accountant.username, accountant.password);
    const query = `query($c: String!) {
      insuree(chfId: $c) { lastName insureeWallet family { region } }
      policies(chfId: $c, status: IDLE) { items { value product { code currency } } }
    }`;
    const data = expectData(await gql(query, { c: '070707070' }, token));
    expect(data.insuree).to.deep.equal({ lastName: 'Jallow', insureeWallet: '7070707', family: { region: 'Banjul' } });
    expect(data.policies.items).to.deep.equal([{ value: '1500.00', product: { code: 'FAM01', currency: 'GMD' } }]);
  });
});
