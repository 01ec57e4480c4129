import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { collectStatements, readStatements, StatementCollector, type ReadStatement } from '../../src/statements/statement-reader.js';

/**
 * Statement files in the shapes banks export them (our own data, in the layouts of the samples published with
 * open-source MT940 parsers: ABN AMRO, ING, Rabobank, ASN, Triodos, PostFinance, Sparkasse, Citi, Knab).
 */
function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

function accepted(statements: ReadStatement[]) {
  for (const s of statements) expect(s.refusal?.error.message, `statement at line ${s.header.line}`).to.equal(undefined);
  return statements.map((s) => s.summary!);
}

function refusalOf(text: string): { message: string; line?: number; reason?: string } {
  const [s] = collectStatements(text);
  expect(s.refusal, 'expected the statement to be refused').to.not.equal(undefined);
  return { message: s.refusal!.error.message, ...(s.refusal!.error.details as { line?: number; reason?: string }) };
}

const BASE = [':20:REF', ':25:ACC-1', ':28C:7/1', ':60F:C231130GMD100,00', ':61:2311301130D10,00NTRFD-1//B1', ':86:one', ':62F:C231130GMD90,00', '-'];

describe('MT940 as banks export it @smoke', () => {
  it('reads several statements per file behind ABN AMRO, ING and Rabobank preambles, trailers and blank lines', () => {
    const abn = accepted(collectStatements(fixture('abnamro.sta')));
    expect(abn.map((s) => [s.statementNumber, s.sequenceNumber, s.entryCount, s.opening.intermediate, s.closing.intermediate])).to.deep.equal([
      ['19321', '1', 3, false, false],
      ['19322', '1', 2, true, true],
    ]);
    const ing = accepted(collectStatements(fixture('ing.sta')));
    expect(ing.map((s) => [s.reference, s.statementNumber, s.entryCount, s.closing.amountMinor])).to.deep.equal([['INGEB', '100', 3, 3087n], ['INGEB', '101', 0, 3087n]]);
    const rabo = collectStatements(fixture('rabobank.sta'));
    const [first] = accepted(rabo);
    // :28:00000/00 is the pre-2006 tag with no number: such statements are told apart by their content.
    expect(first).to.include({ statementNumber: '', sequenceNumber: '1', account: '1291.99.348EUR' });
    expect(rabo[0].entries[0]).to.include({ valueDate: '2026-06-15', amountMinor: 4495n, transactionType: 'N060', customerReference: '0733959555      T-MOBILE NETHERLANDS BV' });
    // Rabobank writes one :86: per narrative line.
    expect(rabo[0].entries[0].narratives).to.deep.equal(['BETALINGSKENM.  123456789', 'FACTUURNUMMER 987654321']);
    expect(rabo[0].entries[1]).to.include({ customerReference: '          J. JANSEN'.trim(), mark: 'C' });
  });

  it('reads SWIFT blocks, entry dates written as spaces, long references and six-line :86: with blank lines (ASN, Knab)', () => {
    const asn = collectStatements(fixture('asn.sta'));
    accepted(asn);
    const [payment] = asn[0].entries;
    expect(payment.entryDate).to.equal(undefined);
    expect(payment).to.include({ valueDate: '2026-01-01', transactionType: 'NOVB', customerReference: 'NL47INGB9999999999', supplementary: 'hr gjlm paulissen' });
    expect(payment.narratives).to.deep.equal(['NL47INGB9999999999 hr gjlm paulissen', '', 'Betaling sieraden']);
    expect(asn[1].entries[1].narratives).to.have.length(4);
    const knab = collectStatements(fixture('knab.sta'));
    accepted(knab);
    expect(knab[0].entries.map((e) => [e.amountMinor, e.customerReference, e.bankReference])).to.deep.equal([
      [50000n, '', 'B4E07XM00J000023'],
      [726n, '29-07-2026 10:05', 'B4G29PGDCK1QFV3E'],
    ]);
  });

  it('reads :28:, Triodos >nn and Sparkasse ?nn structured :86: with their subfields kept apart, and funds codes (DR, DD)', () => {
    const triodos = collectStatements(fixture('triodos.sta'));
    accepted(triodos);
    expect(triodos[0].summary).to.include({ statementNumber: '1', sequenceNumber: '1', account: '0390123456' });
    expect(triodos[0].entries[0].subfields).to.deep.equal({
      code: '000',
      fields: [
        { key: '10', value: '0987654321' },
        { key: '20', value: 'ALGEMENE TUSSENREKENING KOS' },
        { key: '21', value: 'TEN VAN 01-10-2025 TOT EN M' },
        { key: '22', value: 'ET 31-12-2025' },
        { key: '31', value: '0390123456' },
      ],
    });
    const sparkasse = collectStatements(fixture('sparkasse.sta'));
    accepted(sparkasse);
    const card = sparkasse[0].entries[0];
    expect(card).to.include({ mark: 'D', amountMinor: 2000n, customerReference: '' });
    const fields = Object.fromEntries(card.subfields!.fields.map((f) => [f.key, f.value]));
    // ?21 was wrapped at 65 characters in the middle of its text: the pieces are joined again.
    expect(fields).to.include({ '00': 'KARTENZAHLUNG', '20': 'SVWZ+2026-02-15T20.10 Debit', '21': 'k.4 2026-12', '32': 'ARAL AG' });
    // Two statements numbered 00000: not numbered, so both are read (and keyed by content later).
    expect(sparkasse.map((s) => s.summary!.statementNumber)).to.deep.equal(['', '']);
    const citi = collectStatements(fixture('citi.sta'));
    accepted(citi);
    expect(citi[0].entries.map((e) => [e.mark, e.amountMinor, e.customerReference, e.bankReference, e.supplementary])).to.deep.equal([
      ['D', 21239n, '', '', '/ABC/DEF/MISCELLANEOUS'],
      ['D', 36928n, '', '', '/ABC/DEF/MISCELLANEOUS'],
      ['C', 0n, '', '', '/ABC/DEF/C 37897,00 BAI CD 025'],
      ['D', 56108n, '', '', '/ABC/DEF/MISCELLANEOUS'],
    ]);
  });

  it('reads a multi-part statement (:28C: sequence, :62M:/:60M:) with amounts such as 0, and 79,7', () => {
    const parts = accepted(collectStatements(fixture('postfinance.sta')));
    expect(parts.map((p) => [p.sequenceNumber, p.opening.amountMinor, p.opening.intermediate, p.closing.amountMinor, p.closing.intermediate])).to.deep.equal([
      ['1', 0n, false, 22920n, true],
      ['2', 22920n, true, 15940n, false],
    ]);
  });

  it('reads amounts with the currency’s decimals: none for JPY and XOF, three for KWD and BHD', () => {
    const jpy = collectStatements(BASE.join('\n').replace(':60F:C231130GMD100,00', ':60F:C231130JPY100000,').replace('D10,00', 'D12345,').replace(':62F:C231130GMD90,00', ':62F:C231130JPY87655,'));
    expect(accepted(jpy)[0].closing.amountMinor).to.equal(87655n);
    const kwd = collectStatements(BASE.join('\n').replace(':60F:C231130GMD100,00', ':60F:C231130KWD1000,').replace('D10,00', 'D1,234').replace(':62F:C231130GMD90,00', ':62F:C231130KWD998,766'));
    expect(accepted(kwd)[0].closing.amountMinor).to.equal(998766n);
    expect(kwd[0].entries[0].amountMinor).to.equal(1234n);
    const tooPrecise = refusalOf(BASE.join('\n').replace(':60F:C231130GMD100,00', ':60F:C231130XOF1000,').replace('D10,00', 'D10,5').replace(':62F:C231130GMD90,00', ':62F:C231130XOF990,'));
    expect(tooPrecise).to.include({ line: 5, reason: 'MT940_FORMAT' });
    expect(tooPrecise.message).to.match(/XOF has 0/);
  });

  it('reads Latin-1 and Windows-1252 bytes as such, and never turns a character into U+FFFD silently', async () => {
    const text = [':20:STARTUMS', ':25:1966315302010001', ':28:00046', ':NS:22JOHN DOE', '23John Doe', ':60F:C261011HUF627311,30',
      ':61:2610111011DF2402,00S   X', ':NS:01526715', '09Tranzakciós Illeték: 7.21HUF', ':86:Díj € – Illeték', ':62F:C261011HUF624909,30', ':64:C261011HUF624909,30', ''].join('\r\n');
    const collect = async (input: Uint8Array | string) => {
      const collector = new StatementCollector();
      await readStatements(input, collector);
      return collector.statements;
    };
    const cp1252 = Buffer.from(text.replace('€', '\u0080').replace('–', '\u0096'), 'latin1');
    const [fromCp1252] = await collect(cp1252);
    expect(fromCp1252.refusal).to.equal(undefined);
    expect(fromCp1252.entries[0]).to.include({ mark: 'D', amountMinor: 240200n, transactionType: 'S   ', customerReference: 'X' });
    expect(fromCp1252.entries[0].narratives).to.deep.equal(['Díj € – Illeték']);
    const [fromUtf8] = await collect(Buffer.from(text, 'utf8'));
    expect(fromUtf8.entries[0].narratives).to.deep.equal(['Díj € – Illeték']);
    const [withBom] = await collect(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    expect(withBom.summary?.reference).to.equal('STARTUMS');
    // Text that was already decoded wrongly before it reached Hela is refused, naming the line.
    const [lost] = await collect(text.replace('Díj', 'D\ufffdj'));
    expect(lost.refusal!.error.details).to.include({ reason: 'STATEMENT_ENCODING', line: 10 });
    // UTF-8 characters first and a stray Latin-1 byte later: no single reading is safe.
    const mixed = Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from(text.replace('STARTUMS', 'SECOND'), 'latin1')]);
    const read = await collect(mixed);
    expect(read.at(-1)!.refusal!.error.details).to.include({ reason: 'STATEMENT_ENCODING' });
  });

  describe('never misreads silently', () => {
    it('reads a tag line indented by spaces as the tag, not as text of the previous field', () => {
      const [s] = collectStatements(BASE.map((l) => (l.startsWith(':86:') || l.startsWith(':62F:') ? `   ${l}` : l)).join('\n'));
      expect(s.refusal).to.equal(undefined);
      expect(s.entries[0].narratives).to.deep.equal(['one']);
      expect(s.entries[0].supplementary).to.equal(undefined);
      expect(s.summary!.closing.amountMinor).to.equal(9000n);
    });

    for (const [name, separator] of [['U+2028', '\u2028'], ['U+2029', '\u2029'], ['a stray CR', '\r']]) {
      it(`takes ${name} inside a tag line as a line break, so the tag after it is a tag`, () => {
        const text = BASE.join('\n').replace('\n:86:one\n', `${separator}:86:one${separator}`);
        const [s] = collectStatements(text);
        expect(s.refusal).to.equal(undefined);
        expect(s.entries[0]).to.include({ customerReference: 'D-1', bankReference: 'B1' });
        expect(s.entries[0].narratives).to.deep.equal(['one']);
      });
    }

    it('reads the :61: entry date in the year closest to the value date, across December and January both ways', () => {
      const entry = (line: string) => collectStatements(BASE.join('\n').replace(':61:2311301130D10,00', line))[0].entries[0];
      expect(entry(':61:2311300102D10,00')).to.include({ valueDate: '2023-11-30', entryDate: '2024-01-02' });
      expect(entry(':61:2401021231D10,00')).to.include({ valueDate: '2024-01-02', entryDate: '2023-12-31' });
      expect(entry(':61:2312311230D10,00')).to.include({ entryDate: '2023-12-30' });
      expect(entry(':61:2306300701D10,00')).to.include({ entryDate: '2023-07-01' });
      expect(entry(':61:2402280229D10,00')).to.include({ entryDate: '2024-02-29' });
    });
  });

  it('still refuses a really malformed statement with its line number, and reads the others of the file', () => {
    const good = BASE.join('\n');
    const bad = BASE.join('\n').replace(':61:2311301130D10,00NTRFD-1//B1', ':61:2311301130X10,00NTRFD-1').replace(':28C:7/1', ':28C:8/1');
    const statements = collectStatements([good, bad, good.replace(':28C:7/1', ':28C:9/1')].join('\n'));
    expect(statements.map((s) => s.summary?.statementNumber ?? s.refusal!.error.message)).to.deep.equal(['7', 'MT940 line 13: :61: is not a valid statement line: "2311301130X10,00NTRFD-1"', '9']);
    expect(refusalOf(BASE.slice(0, 6).join('\n'))).to.include({ line: 1 });
    expect(refusalOf(BASE.slice(0, 6).join('\n')).message).to.match(/truncated after line 6: missing the :62F:/);
    expect(refusalOf(good.replace(':60F:C231130GMD100,00', ':60F:C231130GMD100,01')).reason).to.equal('UNBALANCED_STATEMENT');
    expect(refusalOf(good.replace(':62F:C231130GMD90,00', ':62F:C231130EUR90,00')).message).to.match(/line 7: closing balance currency EUR differs/);
    expect(refusalOf(good.replace(':25:ACC-1', ':25:ACC-1\nEXTRA')).message).to.match(/line 3: :25: continues/);
    expect(refusalOf(good.replace(':28C:7/1', ':28C:7/x'))).to.include({ line: 3 });
    expect(refusalOf(good.replace('D10,00', 'D10')).message).to.match(/line 5: amount "10" has no decimal comma/);
    expect(collectStatements('ABNANL2A\n940\n').length).to.equal(0);
    expect(refusalOf(':25:ACC-1\n:60F:C231130GMD1,00').message).to.match(/line 1: :25: outside a statement/);
  });
});
