import { expect } from 'chai';
import { testApp } from '../hooks.js';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { accountant, createFamily, FAMILY_FIELDS, newChfId } from '../helpers/registry.js';
import { Family } from '../../src/registry/family.entity.js';
import { Insuree } from '../../src/registry/insuree.entity.js';

const CREATE = `mutation($i: CreateFamilyInput!) { createFamily(input: $i) { ${FAMILY_FIELDS} } }`;
const UPDATE = `mutation($i: UpdateFamilyInput!) { updateFamily(input: $i) { ${FAMILY_FIELDS} } }`;
const ADD = 'mutation($i: CreateInsureeInput!) { createInsuree(input: $i) { uuid chfId } }';

describe('registry: families @smoke', () => {
  it('creates a family with its head insuree, who is its first member', async () => {
    const chfId = newChfId();
    const family = await createFamily({ chfId, lastName: 'Ceesay', otherNames: 'Lamin' }, { region: 'West Coast' });
    expect(family.region).to.equal('West Coast');
    expect(family.head).to.include({ chfId, lastName: 'Ceesay', otherNames: 'Lamin' });
    expect(family.members).to.deep.equal([{ chfId }]);
    const insuree = expectData(await gql('query($c: String) { insuree(chfId: $c) { family { uuid head { chfId } } } }', { c: chfId }, await accountant()));
    expect(insuree.insuree.family).to.deep.equal({ uuid: family.uuid, head: { chfId } });
  });

  it('leaves nothing behind when the head is refused (duplicate chfId)', async () => {
    const existing = await createFamily();
    const em = testApp().container.orm.em.fork();
    const [families, insurees] = [await em.count(Family), await em.count(Insuree)];
    const input = { region: 'Nowhere', head: { chfId: existing.head.chfId, lastName: 'Dup', otherNames: 'Licate' } };
    expectCode(await gql(CREATE, { i: input }, await accountant()), 'CONFLICT');
    expect(await em.count(Family)).to.equal(families);
    expect(await em.count(Insuree)).to.equal(insurees);
  });

  it('refuses a bad head with BAD_USER_INPUT and writes nothing', async () => {
    const em = testApp().container.orm.em.fork();
    const families = await em.count(Family);
    const bad = { head: { chfId: newChfId(), lastName: 'Bah', otherNames: 'Isatou', insureeWallet: 'not-a-wallet' } };
    expectCode(await gql(CREATE, { i: bad }, await accountant()), 'BAD_USER_INPUT');
    expect(await em.count(Family)).to.equal(families);
  });

  it('updates region and address, clears them with null, and changes the head to a member only', async () => {
    const token = await accountant();
    const family = await createFamily();
    const member = expectData(await gql(ADD, { i: { familyUuid: family.uuid, chfId: newChfId(), lastName: 'Jallow', otherNames: 'Musa' } }, token)).createInsuree;
    const updated = expectData(await gql(UPDATE, { i: { uuid: family.uuid, region: 'North Bank', address: null, headUuid: member.uuid } }, token)).updateFamily;
    expect(updated).to.include({ region: 'North Bank', address: null });
    expect(updated.head.chfId).to.equal(member.chfId);
    expect(updated.members.map((m: { chfId: string }) => m.chfId)).to.have.members([family.head.chfId, member.chfId]);

    const stranger = (await createFamily()).head;
    const refused = expectCode(await gql(UPDATE, { i: { uuid: family.uuid, headUuid: stranger.uuid } }, token), 'BAD_USER_INPUT');
    expect(refused.extensions?.field).to.equal('headUuid');
    expectCode(await gql(UPDATE, { i: { uuid: family.uuid, headUuid: '00000000-0000-4000-8000-000000000000' } }, token), 'NOT_FOUND');
    expectCode(await gql(UPDATE, { i: { uuid: '00000000-0000-4000-8000-000000000000', region: 'X' } }, token), 'NOT_FOUND');
    expectCode(await gql(UPDATE, { i: { uuid: 'not-a-uuid', region: 'X' } }, token), 'BAD_USER_INPUT');
  });

  it('lists families by head chfId and region, with pagination', async () => {
    const token = await accountant();
    const region = `Region ${newChfId()}`;
    const created = [await createFamily({}, { region }), await createFamily({}, { region }), await createFamily({}, { region })];
    const list = 'query($r: String, $h: String, $l: Int, $o: Int) { families(region: $r, headChfId: $h, limit: $l, offset: $o) { totalCount items { uuid } } }';
    const first = expectData(await gql(list, { r: region, l: 2, o: 0 }, token)).families;
    const second = expectData(await gql(list, { r: region, l: 2, o: 2 }, token)).families;
    expect(first.totalCount).to.equal(3);
    expect(first.items).to.have.length(2);
    expect(second.items).to.have.length(1);
    const all = [...first.items, ...second.items].map((f: { uuid: string }) => f.uuid);
    expect(all).to.have.members(created.map((f) => f.uuid));
    const byHead = expectData(await gql(list, { h: created[1].head.chfId }, token)).families;
    expect(byHead).to.deep.equal({ totalCount: 1, items: [{ uuid: created[1].uuid }] });
    expectCode(await gql(list, { l: 501 }, token), 'BAD_USER_INPUT');
  });
});
