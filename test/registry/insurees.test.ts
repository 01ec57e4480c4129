import { expect } from 'chai';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { accountant, createFamily, newChfId, newWallet } from '../helpers/registry.js';
import { Role, tokenFor } from '../helpers/users.js';

const FIELDS = 'uuid chfId lastName otherNames phone email insureeWallet bankAccountNumber iban bic registrantIds dob gender family { uuid }';
const CREATE = `mutation($i: CreateInsureeInput!) { createInsuree(input: $i) { ${FIELDS} } }`;
const UPDATE = `mutation($i: UpdateInsureeInput!) { updateInsuree(input: $i) { ${FIELDS} } }`;
const LOOKUP = `query($u: ID, $c: String) { insuree(uuid: $u, chfId: $c) { ${FIELDS} } }`;
const LIST = 'query($c: String, $f: ID, $s: String, $l: Int, $o: Int) { insurees(chfId: $c, familyUuid: $f, search: $s, limit: $l, offset: $o) { totalCount items { chfId } } }';

function member(familyUuid: string, extra: Record<string, unknown> = {}) {
  return { familyUuid, chfId: newChfId(), lastName: 'Sowe', otherNames: 'Fatou', ...extra };
}

describe('registry: insurees', () => {
  it('creates an insuree into a family with every field, and finds it by uuid and by chfId', async () => {
    const token = await accountant();
    const family = await createFamily();
    const wallet = newWallet();
    const input = member(family.uuid, {
      phone: '+2207012345', email: 'fatou@example.org', insureeWallet: wallet, bankAccountNumber: '0123456789',
      iban: 'gb82 west 1234 5698 7654 32', bic: 'DEUTDEFF', registrantIds: { NATIONAL_ID: 'GM-123', SOCIAL_REGISTRY: 'SR-9' },
      dob: '1990-02-28', gender: 'F',
    });
    const created = expectData(await gql(CREATE, { i: input }, token)).createInsuree;
    expect(created).to.deep.include({
      chfId: input.chfId, phone: '+2207012345', email: 'fatou@example.org', insureeWallet: wallet, bankAccountNumber: '0123456789',
      iban: 'GB82WEST12345698765432', bic: 'DEUTDEFF', registrantIds: { NATIONAL_ID: 'GM-123', SOCIAL_REGISTRY: 'SR-9' },
      dob: '1990-02-28', gender: 'F', family: { uuid: family.uuid },
    });
    expect(expectData(await gql(LOOKUP, { u: created.uuid }, token)).insuree.chfId).to.equal(input.chfId);
    expect(expectData(await gql(LOOKUP, { c: input.chfId }, token)).insuree.uuid).to.equal(created.uuid);
    expectCode(await gql(LOOKUP, { c: 'NO-SUCH-CHF' }, token), 'NOT_FOUND');
    expectCode(await gql(LOOKUP, { u: created.uuid, c: input.chfId }, token), 'BAD_USER_INPUT');
    expectCode(await gql(LOOKUP, {}, token), 'BAD_USER_INPUT');
  });

  it('refuses bad formats with BAD_USER_INPUT and an unknown family with NOT_FOUND', async () => {
    const token = await accountant();
    const family = await createFamily();
    const bad: Array<Record<string, unknown>> = [
      { insureeWallet: '12ab' }, { insureeWallet: '123' }, { phone: 'call me' }, { email: 'nope' }, { iban: 'GB00WEST12345698765432' },
      { bic: 'XX' }, { gender: 'X' }, { dob: '2001-02-29' }, { registrantIds: { NATIONAL_ID: 42 } }, { chfId: 'has space' },
      { lastName: '' },
    ];
    for (const extra of bad) {
      expectCode(await gql(CREATE, { i: member(family.uuid, extra) }, token), 'BAD_USER_INPUT');
    }
    expectCode(await gql(CREATE, { i: member('00000000-0000-4000-8000-000000000000') }, token), 'NOT_FOUND');
  });

  it('refuses a duplicate chfId with CONFLICT, also when created concurrently (one wins)', async () => {
    const token = await accountant();
    const family = await createFamily();
    expectCode(await gql(CREATE, { i: member(family.uuid, { chfId: family.head.chfId }) }, token), 'CONFLICT');

    const chfId = newChfId();
    const responses = await Promise.all(Array.from({ length: 10 }, () => gql(CREATE, { i: member(family.uuid, { chfId }) }, token)));
    const won = responses.filter((r) => !r.errors);
    expect(won).to.have.length(1);
    for (const lost of responses.filter((r) => r.errors)) expectCode(lost, 'CONFLICT');
    const list = expectData(await gql(LIST, { c: chfId }, token)).insurees;
    expect(list.totalCount).to.equal(1);
  });

  it('updates fields, clears optional ones with null, changes chfId and moves a member (not a head)', async () => {
    const token = await accountant();
    const family = await createFamily({ phone: '7000001', email: 'a@example.org' });
    const other = await createFamily();
    const created = expectData(await gql(CREATE, { i: member(family.uuid, { phone: '7000002', registrantIds: { NATIONAL_ID: '1' } }) }, token)).createInsuree;
    const newId = newChfId();
    const updated = expectData(await gql(UPDATE, { i: { uuid: created.uuid, chfId: newId, lastName: 'Touray', phone: null, registrantIds: null, familyUuid: other.uuid } }, token)).updateInsuree;
    expect(updated).to.deep.include({ chfId: newId, lastName: 'Touray', otherNames: 'Fatou', phone: null, registrantIds: {}, family: { uuid: other.uuid } });

    expectCode(await gql(UPDATE, { i: { uuid: family.head.uuid, familyUuid: other.uuid } }, token), 'CONFLICT');
    expectCode(await gql(UPDATE, { i: { uuid: created.uuid, chfId: other.head.chfId } }, token), 'CONFLICT');
    expectCode(await gql(UPDATE, { i: { uuid: created.uuid, lastName: null } }, token), 'BAD_USER_INPUT');
    expectCode(await gql(UPDATE, { i: { uuid: created.uuid, chfId: null } }, token), 'BAD_USER_INPUT');
    expectCode(await gql(UPDATE, { i: { uuid: created.uuid, insureeWallet: 'abc' } }, token), 'BAD_USER_INPUT');
    expectCode(await gql(UPDATE, { i: { uuid: '00000000-0000-4000-8000-000000000000', lastName: 'X' } }, token), 'NOT_FOUND');
    const head = expectData(await gql(LOOKUP, { u: family.head.uuid }, token)).insuree;
    expect(head).to.include({ phone: '7000001', email: 'a@example.org' });
  });

  it('lists by family, chfId and search, with pagination', async () => {
    const token = await accountant();
    const marker = newChfId();
    const family = await createFamily({ lastName: `Njie${marker}` });
    for (const name of ['Ousman', 'Binta']) {
      expectData(await gql(CREATE, { i: member(family.uuid, { lastName: `Njie${marker}`, otherNames: name }) }, token));
    }
    const byFamily = expectData(await gql(LIST, { f: family.uuid }, token)).insurees;
    expect(byFamily.totalCount).to.equal(3);
    const bySearch = expectData(await gql(LIST, { s: `njie${marker.toLowerCase()}`, l: 2, o: 1 }, token)).insurees;
    expect(bySearch.totalCount).to.equal(3);
    expect(bySearch.items).to.have.length(2);
    const none = expectData(await gql(LIST, { s: '%' + marker }, token)).insurees;
    expect(none.totalCount).to.equal(0);
    const pm = await tokenFor(Role.PROGRAM_MANAGER);
    expect(expectData(await gql(LIST, { c: family.head.chfId }, pm)).insurees.items).to.deep.equal([{ chfId: family.head.chfId }]);
  });
});
