import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { expectCode, expectData, gql } from '../helpers/graphql.js';
import { accountant, admin, createProduct } from '../helpers/registry.js';

const FIELDS = 'uuid code name lumpSum currency insurancePeriodMonths';
const CREATE = `mutation($i: CreateProductInput!) { createProduct(input: $i) { ${FIELDS} } }`;
const UPDATE = `mutation($i: UpdateProductInput!) { updateProduct(input: $i) { ${FIELDS} } }`;
const LIST = `query($c: String, $s: String, $l: Int, $o: Int) { products(code: $c, search: $s, limit: $l, offset: $o) { totalCount items { ${FIELDS} } } }`;

function newProduct(extra: Record<string, unknown> = {}) {
  const code = `P${randomUUID().slice(0, 8)}`;
  return { code, name: `Cover ${code}`, lumpSum: '1500', currency: 'GMD', ...extra };
}

describe('registry: products', () => {
  it('creates a product with an exact lump sum and a 12-month default period, and lists it by code', async () => {
    const input = newProduct({ lumpSum: '10000.10' });
    const created = expectData(await gql(CREATE, { i: input }, await admin())).createProduct;
    expect(created).to.deep.include({ code: input.code, lumpSum: '10000.10', currency: 'GMD', insurancePeriodMonths: 12 });
    const listed = expectData(await gql(LIST, { c: input.code }, await accountant())).products;
    expect(listed).to.deep.equal({ totalCount: 1, items: [created] });
    const big = expectData(await gql(CREATE, { i: newProduct({ lumpSum: '9999999999999999.99' }) }, await admin())).createProduct;
    expect(big.lumpSum).to.equal('9999999999999999.99');
  });

  it('refuses inexact, non-positive or malformed amounts, bad currencies and periods', async () => {
    const token = await admin();
    for (const lumpSum of ['1.005', '0', '-5.00', '0.00', 'abc', '1e3', '99999999999999999.00']) {
      expectCode(await gql(CREATE, { i: newProduct({ lumpSum }) }, token), 'BAD_USER_INPUT');
    }
    expectCode(await gql(CREATE, { i: newProduct({ currency: 'DALASI' }) }, token), 'BAD_USER_INPUT');
    expectCode(await gql(CREATE, { i: newProduct({ currency: 'gmd' }) }, token), 'BAD_USER_INPUT'); // capitals, as ISO 4217 writes them
    expectCode(await gql(CREATE, { i: newProduct({ insurancePeriodMonths: 0 }) }, token), 'BAD_USER_INPUT');
    // A float literal keeps its source text, so nothing is rounded on the way in either.
    const code = `P${randomUUID().slice(0, 8)}`;
    const literal = await gql(`mutation { createProduct(input: { code: "${code}", name: "Literal", lumpSum: 1.005, currency: "GMD" }) { lumpSum } }`, {}, token);
    expectCode(literal, 'BAD_USER_INPUT');
  });

  it('refuses a duplicate code with CONFLICT, also when created concurrently', async () => {
    const token = await admin();
    const existing = await createProduct();
    expectCode(await gql(CREATE, { i: newProduct({ code: existing.code }) }, token), 'CONFLICT');
    const input = newProduct();
    const responses = await Promise.all(Array.from({ length: 8 }, () => gql(CREATE, { i: input }, token)));
    expect(responses.filter((r) => !r.errors)).to.have.length(1);
    for (const lost of responses.filter((r) => r.errors)) expectCode(lost, 'CONFLICT');
  });

  it('updates name, lump sum, currency and period; the code is immutable', async () => {
    const token = await admin();
    const product = await createProduct();
    const updated = expectData(await gql(UPDATE, { i: { uuid: product.uuid, name: 'Renamed', lumpSum: '2500.5', currency: 'USD', insurancePeriodMonths: 6 } }, token)).updateProduct;
    expect(updated).to.deep.include({ code: product.code, name: 'Renamed', lumpSum: '2500.50', currency: 'USD', insurancePeriodMonths: 6 });
    expectCode(await gql(UPDATE, { i: { uuid: product.uuid, lumpSum: '1.001' } }, token), 'BAD_USER_INPUT');
    expectCode(await gql(UPDATE, { i: { uuid: product.uuid, code: 'NEW' } }, token), 'BAD_USER_INPUT');
    expectCode(await gql(UPDATE, { i: { uuid: '00000000-0000-4000-8000-000000000000', name: 'X' } }, token), 'NOT_FOUND');
  });

  it('searches by code or name with pagination', async () => {
    const marker = randomUUID().slice(0, 6);
    for (let i = 0; i < 3; i++) expectData(await gql(CREATE, { i: newProduct({ name: `Search ${marker} ${i}` }) }, await admin()));
    const page = expectData(await gql(LIST, { s: `search ${marker}`, l: 2, o: 2 }, await accountant())).products;
    expect(page.totalCount).to.equal(3);
    expect(page.items).to.have.length(1);
  });
});
