import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { collectStatements, readStatements, StatementCollector } from '../../src/statements/statement-reader.js';

function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** One statement of `version` with one debit of `amount` (to `id`) from an opening balance of 100.00. */
function document(version: string, entries = '<Ntry><Amt Ccy="GMD">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><ValDt><Dt>2026-05-02</Dt></ValDt><NtryDtls><TxDtls><Refs><EndToEndId>D-1</EndToEndId></Refs></TxDtls></NtryDtls></Ntry>', closing = '90.00'): string {
  const balance = (type: string, amount: string) =>
    `<Bal><Tp><CdOrPrtry><Cd>${type}</Cd></CdOrPrtry></Tp><Amt Ccy="GMD">${amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-05-02</Dt></Dt></Bal>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}">
<BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-05-02T10:00:00</CreDtTm></GrpHdr>
<Stmt><Id>S-1</Id><ElctrncSeqNb>3</ElctrncSeqNb><Acct><Id><Othr><Id>ACC-1</Id></Othr></Id></Acct>
${balance('OPBD', '100.00')}
${balance('CLBD', closing)}
${entries}
</Stmt></BkToCstmrStmt></Document>`;
}

function refusal(text: string) {
  const statements = collectStatements(text);
  const refused = statements.find((s) => s.refusal);
  expect(refused, 'expected a refusal').to.not.equal(undefined);
  return { message: refused!.refusal!.error.message, ...(refused!.refusal!.error.details as { line?: number; reason?: string }) };
}

describe('camt.053 reader @smoke', () => {
  it('reads .02: statements, OPBD/PRCD and CLBD, booked entries only, a batch split into its transactions, a return with its reason', () => {
    const statements = collectStatements(fixture('camt053.v02.xml'));
    expect(statements.map((s) => s.refusal?.error.message)).to.deep.equal([undefined, undefined]);
    const [first, second] = statements;
    expect(first.summary).to.include({ format: 'CAMT053', reference: '253EURNL26VAYB8060476890', account: 'NL26VAYB8060476890', statementNumber: '12312', sequenceNumber: '1', entryCount: 4 });
    expect(first.entries.map((e) => [e.mark, e.amountMinor, e.customerReference, e.bankReference, e.counterpartyName, e.returnReason])).to.deep.equal([
      ['C', 885n, '', 'EXB-CR-0001', 'Treasury & Finance', undefined],
      ['D', 600n, 'D-0001', 'EXB-TX-0001', 'Awa Jallow', undefined],
      ['D', 400n, 'D-0002', 'EXB-TX-0002', 'Lamin Ceesay', undefined],
      ['RD', 400n, 'D-0002', 'EXB-RT-0001', undefined, 'AC04: ACCOUNT_CLOSED'],
    ]);
    expect(first.entries[1]).to.include({ valueDate: '2026-03-10', entryDate: '2026-03-10', transactionType: 'PMNT/ICDT/ESCT', line: 54 });
    expect(first.entries[1].narratives).to.deep.equal(['Cash transfer March']);
    // Not numbered: identified by Stmt/Id later. A DtTm booking date is read as its date.
    expect(second.summary).to.include({ statementNumber: '', account: 'NL26VAYB8060476890', entryCount: 1 });
    expect(second.entries[0]).to.include({ entryDate: '2026-03-11', customerReference: 'D-0003' });
    expect(second.entries[0].narratives).to.deep.equal(['Cash transfer March']);
  });

  it('reads .08 with a namespace prefix, KWD with three decimals, and a statement in two pages chained by interim balances', () => {
    const pages = collectStatements(fixture('camt053.v08.xml'));
    expect(pages.map((p) => p.refusal?.error.message)).to.deep.equal([undefined, undefined]);
    expect(pages.map((p) => [p.summary!.sequenceNumber, p.summary!.opening.intermediate, p.summary!.closing.intermediate, p.summary!.closing.amountMinor])).to.deep.equal([
      ['1', false, true, 998766n],
      ['2', true, false, 1000766n],
    ]);
    expect(pages[0].entries[0]).to.include({ mark: 'D', amountMinor: 1234n, counterpartyName: 'Fatou Sowe', customerReference: 'KW-D-1' });
    expect(pages[1].entries[0]).to.include({ mark: 'RD', returnReason: 'MD07' });
  });

  it('reads every version from .02 to .08 and refuses other messages and versions', () => {
    for (const version of ['02', '03', '04', '05', '06', '07', '08']) {
      const [s] = collectStatements(document(version));
      expect(s.refusal?.error.message, version).to.equal(undefined);
      expect(s.summary).to.include({ statementNumber: '3', entryCount: 1 });
    }
    expect(refusal(document('09')).message).to.match(/not a camt\.053\.001\.02 to \.08 document/);
    expect(refusal(document('08').replace('camt.053.001.08', 'camt.052.001.08')).reason).to.equal('CAMT053_FORMAT');
    expect(refusal('<html><body>hello</body></html>').message).to.match(/no camt\.053 Document/);
  });

  it('never fetches or expands entities: a DOCTYPE (billion laughs, external entity) is refused, an undeclared entity too', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
      <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
      ${document('02').replace('<?xml version="1.0" encoding="UTF-8"?>', '').replace('<Id>S-1</Id>', '<Id>&lol9;</Id>')}`;
    expect(refusal(laughs).message).to.match(/DOCTYPE is not allowed/);
    const external = `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${document('02').replace('<?xml version="1.0" encoding="UTF-8"?>', '').replace('<Id>S-1</Id>', '<Id>&xxe;</Id>')}`;
    const refused = refusal(external);
    expect(refused.message).to.match(/DOCTYPE is not allowed/);
    expect(refused.message).to.not.match(/root:/);
    expect(refusal(document('02').replace('<Id>S-1</Id>', '<Id>&xxe;</Id>')).message).to.match(/not well-formed XML/);
  });

  it('refuses a statement whose entries do not add up, are in another currency or are malformed, naming the line', () => {
    expect(refusal(document('02', undefined, '90.01')).reason).to.equal('UNBALANCED_STATEMENT');
    expect(refusal(document('02').replace('<Amt Ccy="GMD">10.00</Amt><CdtDbtInd>DBIT', '<Amt Ccy="EUR">10.00</Amt><CdtDbtInd>DBIT'))).to.include({ line: 7 });
    expect(refusal(document('02').replace('10.00', '10.005')).message).to.match(/line 7: amount "10.005" has 3 decimals; GMD has 2/);
    expect(refusal(document('02').replace('<ValDt><Dt>2026-05-02', '<ValDt><Dt>2026-02-30')).message).to.match(/ValDt/);
    expect(refusal(document('02').replace('<CdtDbtInd>DBIT', '<CdtDbtInd>DEBIT')).message).to.match(/CRDT or DBIT/);
    expect(refusal(document('02').replace(/<Bal><Tp><CdOrPrtry><Cd>CLBD[\s\S]*?<\/Bal>/, '')).message).to.match(/no closing balance/);
    const batch = '<Ntry><Amt Ccy="GMD">10.00</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts>BOOK</Sts><ValDt><Dt>2026-05-02</Dt></ValDt><NtryDtls>'
      + '<TxDtls><Refs><EndToEndId>D-1</EndToEndId></Refs><Amt Ccy="GMD">6.00</Amt></TxDtls><TxDtls><Refs><EndToEndId>D-2</EndToEndId></Refs><Amt Ccy="GMD">3.00</Amt></TxDtls></NtryDtls></Ntry>';
    expect(refusal(document('04', batch)).message).to.match(/add up to 900 minor units, the entry says 1000/);
  });

  it('reads a document arriving in pieces, split anywhere, the same as in one piece', async () => {
    const text = fixture('camt053.v02.xml');
    const whole = collectStatements(text);
    const collector = new StatementCollector();
    const bytes = Buffer.from(text, 'utf8');
    async function* pieces() {
      for (let at = 0; at < bytes.length; at += 7) yield bytes.subarray(at, at + 7);
    }
    await readStatements(pieces(), collector);
    expect(collector.statements.map((s) => s.summary?.contentHash)).to.deep.equal(whole.map((s) => s.summary?.contentHash));
    expect(collector.statements[0].entries).to.deep.equal(whole[0].entries);
  });
});
