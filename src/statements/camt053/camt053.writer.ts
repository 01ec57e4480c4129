import { formatAmount } from '../statement-amount.js';
import type { EntryMark } from '../statement.types.js';
import type { Mt940BalanceInput, Mt940EntryInput, Mt940StatementInput } from '../mt940/mt940.writer.js';

/** The camt versions written: .02 (Sts as text, party names directly) and .08 (Sts/Cd, Pty/Nm). */
export type CamtVersion = '02' | '08';

export type CamtStatementInput = Omit<Mt940StatementInput, 'entries'> & { entries: Iterable<Mt940EntryInput> };

export interface CamtDocumentInput {
  messageId: string;
  createdAt: string;
  statements: Iterable<CamtStatementInput>;
}

const CREDIT_DEBIT: Record<EntryMark, [indicator: 'CRDT' | 'DBIT', reversal: boolean]> = { C: ['CRDT', false], D: ['DBIT', false], RD: ['CRDT', true], RC: ['DBIT', true] };
const DOMAIN_CODE = /^[A-Z]{4}\/[A-Z]{4}\/[A-Z]{4}$/;
const REASON = /^([A-Z0-9]{4})(?:: (.*))?$/;

function xml(text: string): string {
  return /[&<>"']/.test(text) ? text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!) : text;
}

function balance(type: string, b: Mt940BalanceInput): string {
  return `<Bal><Tp><CdOrPrtry><Cd>${type}</Cd></CdOrPrtry></Tp><Amt Ccy="${b.currency}">${formatAmount(b.amountMinor, '.', b.currency)}</Amt>`
    + `<CdtDbtInd>${b.mark === 'C' ? 'CRDT' : 'DBIT'}</CdtDbtInd><Dt><Dt>${b.date}</Dt></Dt></Bal>`;
}

function party(role: 'Cdtr' | 'Dbtr', name: string, version: CamtVersion): string {
  return version === '08' ? `<${role}><Pty><Nm>${xml(name)}</Nm></Pty></${role}>` : `<${role}><Nm>${xml(name)}</Nm></${role}>`;
}

/** One `<Ntry>` with one `<TxDtls>`: EndToEndId carries the customer reference (our disbursement id). */
export function camtEntry(e: Mt940EntryInput, currency: string, version: CamtVersion = '08'): string {
  const [indicator, reversal] = CREDIT_DEBIT[e.mark];
  const code = e.transactionType.trim();
  const bankCode = !code ? '' : DOMAIN_CODE.test(code)
    ? `<BkTxCd><Domn><Cd>${code.slice(0, 4)}</Cd><Fmly><Cd>${code.slice(5, 9)}</Cd><SubFmlyCd>${code.slice(10)}</SubFmlyCd></Fmly></Domn></BkTxCd>`
    : `<BkTxCd><Prtry><Cd>${xml(code)}</Cd></Prtry></BkTxCd>`;
  const name = e.counterpartyName ? `<RltdPties>${party(e.mark === 'C' || e.mark === 'RC' ? 'Dbtr' : 'Cdtr', e.counterpartyName, version)}</RltdPties>` : '';
  const remittance = e.narratives.length ? `<RmtInf>${e.narratives.map((n) => `<Ustrd>${xml(n)}</Ustrd>`).join('')}</RmtInf>` : '';
  const reason = e.returnReason ? REASON.exec(e.returnReason) : null;
  const returned = !e.returnReason ? '' : reason
    ? `<RtrInf><Rsn><Cd>${reason[1]}</Cd></Rsn>${reason[2] ? `<AddtlInf>${xml(reason[2])}</AddtlInf>` : ''}</RtrInf>`
    : `<RtrInf><Rsn><Prtry>${xml(e.returnReason)}</Prtry></Rsn></RtrInf>`;
  return `<Ntry><Amt Ccy="${currency}">${formatAmount(e.amountMinor, '.', currency)}</Amt><CdtDbtInd>${indicator}</CdtDbtInd><RvslInd>${reversal}</RvslInd>`
    + (version === '08' ? '<Sts><Cd>BOOK</Cd></Sts>' : '<Sts>BOOK</Sts>')
    + (e.entryDate ? `<BookgDt><Dt>${e.entryDate}</Dt></BookgDt>` : '') + `<ValDt><Dt>${e.valueDate}</Dt></ValDt>`
    + (e.bankReference ? `<AcctSvcrRef>${xml(e.bankReference)}</AcctSvcrRef>` : '') + bankCode
    + `<NtryDtls><TxDtls><Refs><EndToEndId>${xml(e.customerReference || 'NOTPROVIDED')}</EndToEndId></Refs>${name}${remittance}${returned}</TxDtls></NtryDtls></Ntry>\n`;
}

/** A camt.053 document in pieces (a million entries never become one string). */
export function* camt053Parts(doc: CamtDocumentInput, version: CamtVersion = '08'): Generator<string> {
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.${version}">\n<BkToCstmrStmt>`
    + `<GrpHdr><MsgId>${xml(doc.messageId)}</MsgId><CreDtTm>${doc.createdAt}</CreDtTm></GrpHdr>\n`;
  for (const s of doc.statements) {
    yield `<Stmt><Id>${xml(s.reference)}</Id><StmtPgntn><PgNb>${s.sequenceNumber}</PgNb><LastPgInd>${!s.closing.intermediate}</LastPgInd></StmtPgntn>`
      + (s.statementNumber ? `<ElctrncSeqNb>${s.statementNumber}</ElctrncSeqNb>` : '')
      + `<Acct><Id><Othr><Id>${xml(s.account)}</Id></Othr></Id><Ccy>${s.opening.currency}</Ccy></Acct>\n`
      + balance(s.opening.intermediate ? 'ITBD' : 'OPBD', s.opening) + balance(s.closing.intermediate ? 'ITBD' : 'CLBD', s.closing) + '\n';
    let chunk = '';
    for (const e of s.entries) {
      chunk += camtEntry(e, s.opening.currency, version);
      if (chunk.length > 1 << 16) {
        yield chunk;
        chunk = '';
      }
    }
    yield `${chunk}</Stmt>\n`;
  }
  yield '</BkToCstmrStmt>\n</Document>\n';
}

export function writeCamt053(doc: CamtDocumentInput, version: CamtVersion = '08'): string {
  return [...camt053Parts(doc, version)].join('');
}
