import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { parseAmount } from '../statement-amount.js';
import { StatementAssembler } from '../statement-assembler.js';
import { validDate } from '../statement-dates.js';
import type { StatementEncodingError } from '../statement.errors.js';
import type { EntryMark, StatementBalance, StatementEntry, StatementHeader, StatementSink } from '../statement.types.js';
import { CamtFormatError } from './camt053.errors.js';
import type { CamtBalance, CamtEntry, CamtStatement, CamtTransaction } from './camt053.types.js';

const NAMESPACE = /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.(\d{2})$/;
const VERSIONS = new Set(['02', '03', '04', '05', '06', '07', '08']);
/** Longest text kept from one element: ISO 20022 texts are at most 500 characters (Max500Text). */
const MAX_TEXT = 2048;
const MAX_DEPTH = 64;
const OPENING = ['OPBD', 'PRCD'];
const NOT_PROVIDED = 'NOTPROVIDED';

type Handler = (reader: Camt053Reader, text: string) => void;

/** Leaf elements read, by path below `<Stmt>`; everything else (GrpHdr, TxsSummry, addresses…) is passed over. */
const FIELDS: Record<string, Handler> = {
  '/Id': (r, t) => (r.stmt!.id = t),
  '/ElctrncSeqNb': (r, t) => (r.stmt!.electronicSequence = t),
  '/LglSeqNb': (r, t) => (r.stmt!.legalSequence = t),
  '/StmtPgntn/PgNb': (r, t) => (r.stmt!.page = t),
  '/StmtPgntn/LastPgInd': (r, t) => (r.stmt!.lastPage = t),
  '/Pgntn/PgNb': (r, t) => (r.stmt!.page = t),
  '/Pgntn/LastPgInd': (r, t) => (r.stmt!.lastPage = t),
  '/Acct/Id/IBAN': (r, t) => (r.stmt!.account = t),
  '/Acct/Id/Othr/Id': (r, t) => (r.stmt!.account ??= t),
  '/Acct/Ccy': (r, t) => (r.stmt!.accountCurrency = t),
  '/Bal/Tp/CdOrPrtry/Cd': (r, t) => (r.balance!.type = t),
  '/Bal/Tp/CdOrPrtry/Prtry': (r, t) => (r.balance!.type ??= t),
  '/Bal/Amt': (r, t) => (r.balance!.amount = t),
  '/Bal/CdtDbtInd': (r, t) => (r.balance!.creditDebit = t),
  '/Bal/Dt/Dt': (r, t) => (r.balance!.date = t),
  '/Bal/Dt/DtTm': (r, t) => (r.balance!.date = t.slice(0, 10)),
  '/Ntry/Amt': (r, t) => (r.entry!.amount = t),
  '/Ntry/CdtDbtInd': (r, t) => (r.entry!.creditDebit = t),
  '/Ntry/RvslInd': (r, t) => (r.entry!.reversal = t),
  '/Ntry/Sts': (r, t) => (r.entry!.status ??= t || undefined),
  '/Ntry/Sts/Cd': (r, t) => (r.entry!.status = t),
  '/Ntry/BookgDt/Dt': (r, t) => (r.entry!.bookingDate = t),
  '/Ntry/BookgDt/DtTm': (r, t) => (r.entry!.bookingDate = t.slice(0, 10)),
  '/Ntry/ValDt/Dt': (r, t) => (r.entry!.valueDate = t),
  '/Ntry/ValDt/DtTm': (r, t) => (r.entry!.valueDate = t.slice(0, 10)),
  '/Ntry/AcctSvcrRef': (r, t) => (r.entry!.accountServicerReference = t),
  '/Ntry/BkTxCd/Domn/Cd': (r, t) => r.entry!.bankTransactionCode.push(t),
  '/Ntry/BkTxCd/Domn/Fmly/Cd': (r, t) => r.entry!.bankTransactionCode.push(t),
  '/Ntry/BkTxCd/Domn/Fmly/SubFmlyCd': (r, t) => r.entry!.bankTransactionCode.push(t),
  '/Ntry/BkTxCd/Prtry/Cd': (r, t) => r.entry!.bankTransactionCode.length || r.entry!.bankTransactionCode.push(t),
  '/Ntry/AddtlNtryInf': (r, t) => r.entry!.additional.push(t),
  '/Ntry/NtryDtls/TxDtls/Refs/EndToEndId': (r, t) => (r.tx!.endToEndId = t),
  '/Ntry/NtryDtls/TxDtls/Refs/AcctSvcrRef': (r, t) => (r.tx!.accountServicerReference = t),
  '/Ntry/NtryDtls/TxDtls/Amt': (r, t) => (r.tx!.amount = t),
  '/Ntry/NtryDtls/TxDtls/AmtDtls/TxAmt/Amt': (r, t) => (r.tx!.amount ??= t),
  '/Ntry/NtryDtls/TxDtls/RltdPties/Cdtr/Nm': (r, t) => (r.tx!.creditorName = t),
  '/Ntry/NtryDtls/TxDtls/RltdPties/Cdtr/Pty/Nm': (r, t) => (r.tx!.creditorName = t),
  '/Ntry/NtryDtls/TxDtls/RltdPties/Dbtr/Nm': (r, t) => (r.tx!.debtorName = t),
  '/Ntry/NtryDtls/TxDtls/RltdPties/Dbtr/Pty/Nm': (r, t) => (r.tx!.debtorName = t),
  '/Ntry/NtryDtls/TxDtls/RmtInf/Ustrd': (r, t) => r.tx!.remittance.push(t),
  '/Ntry/NtryDtls/TxDtls/RtrInf/Rsn/Cd': (r, t) => (r.tx!.returnCode = t),
  '/Ntry/NtryDtls/TxDtls/RtrInf/Rsn/Prtry': (r, t) => (r.tx!.returnCode ??= t),
  '/Ntry/NtryDtls/TxDtls/RtrInf/AddtlInf': (r, t) => r.tx!.returnInfo.push(t),
  '/Ntry/NtryDtls/TxDtls/AddtlTxInf': (r, t) => (r.tx!.additional = t),
};

/** Elements whose attribute `Ccy` is kept, by path below `<Stmt>`. */
const CURRENCY_OF: Record<string, (r: Camt053Reader, ccy: string) => void> = {
  '/Bal/Amt': (r, c) => (r.balance!.currency = c),
  '/Ntry/Amt': (r, c) => (r.entry!.currency = c),
  '/Ntry/NtryDtls/TxDtls/Amt': (r, c) => (r.tx!.currency = c),
  '/Ntry/NtryDtls/TxDtls/AmtDtls/TxAmt/Amt': (r, c) => (r.tx!.currency ??= c),
};

type Kind = 'document' | 'stmt' | 'bal' | 'ntry' | 'tx';

/** Where an element sits: what to do when it opens and closes, and its children by local name. */
interface PathNode {
  children: Map<string, PathNode>;
  /** Where a child that is not listed goes (most: nowhere of interest). */
  fallback: PathNode;
  kind?: Kind;
  field?: Handler;
  currency?: (r: Camt053Reader, ccy: string) => void;
  /** Below <Stmt>: passed over while a refused statement is skipped. */
  inStatement: boolean;
}

function pathNode(inStatement: boolean, kind?: Kind): PathNode {
  const node = { children: new Map(), inStatement, kind } as PathNode;
  node.fallback = IGNORED;
  return node;
}

const IGNORED: PathNode = { children: new Map(), inStatement: true } as PathNode;
IGNORED.fallback = IGNORED;

/** The element tree read, compiled once from FIELDS and CURRENCY_OF: a lookup per element, no path strings. */
function compileTree(): PathNode {
  const root = pathNode(false);
  root.fallback = root; // a wrapper (BizMsgEnvlp, AppHdr…) around the Document
  const document = pathNode(false, 'document');
  root.children.set('Document', document);
  const statements = pathNode(false);
  document.children.set('BkToCstmrStmt', statements);
  const stmt = pathNode(true, 'stmt');
  statements.children.set('Stmt', stmt);
  const at = (path: string): PathNode => {
    let node = stmt;
    for (const name of path.split('/').slice(1)) {
      let child = node.children.get(name);
      if (!child) node.children.set(name, (child = pathNode(true)));
      node = child;
    }
    return node;
  };
  at('/Bal').kind = 'bal';
  at('/Ntry').kind = 'ntry';
  at('/Ntry/NtryDtls/TxDtls').kind = 'tx';
  for (const [path, handler] of Object.entries(FIELDS)) at(path).field = handler;
  for (const [path, currency] of Object.entries(CURRENCY_OF)) at(path).currency = currency;
  return root;
}

const TREE = compileTree();

/**
 * A streaming ISO 20022 camt.053 reader (BkToCstmrStmt, versions .02 to .08) on saxes: `write` text as it
 * arrives, `end` at the end; never a DOM. Each `<Stmt>` is one statement: Acct/Id, OPBD (or PRCD) and CLBD
 * balances, and its booked `<Ntry>` entries — CdtDbtInd with RvslInd gives the mark, TxDtls/Refs/EndToEndId
 * the customer reference (our disbursement id), RtrInf the reason of a return. A DOCTYPE is refused, so no
 * entity is ever fetched or expanded (saxes itself knows only the five predefined ones).
 */
export class Camt053Reader {
  // Namespaces are checked on <Document> only; prefixes are stripped (faster than resolving each element).
  private readonly parser = new SaxesParser({ xmlns: false, position: true });
  private readonly assembler: StatementAssembler;
  private readonly nodes: PathNode[] = [TREE];
  private collecting?: Handler;
  private text = '';
  private documentSeen = false;
  private failed = false;
  stmt?: CamtStatement;
  balance?: CamtBalance;
  entry?: CamtEntry;
  tx?: CamtTransaction;
  /** A Stmt was refused: its remaining elements are passed over. */
  private skipping = false;

  constructor(sink: StatementSink) {
    this.assembler = new StatementAssembler(sink);
    // Two events per element, 25 million in a million-entry file: no closure allocated per event.
    this.parser.on('opentag', (tag) => {
      if (this.failed) return;
      try {
        this.open(tag);
      } catch (error) {
        this.refuseOnFormatError(error);
      }
    });
    this.parser.on('text', (text) => {
      if (this.collecting && this.text.length < MAX_TEXT) this.text += text;
    });
    this.parser.on('closetag', (tag) => {
      if (this.failed) return;
      try {
        this.close(tag);
      } catch (error) {
        this.refuseOnFormatError(error);
      }
    });
    this.parser.on('doctype', () => this.fail(new CamtFormatError('a DOCTYPE is not allowed in a bank statement (entities are never fetched or expanded)', this.parser.line)));
    this.parser.on('error', (error) => this.fail(new CamtFormatError(`not well-formed XML: ${error.message.replace(/^[^:]*:\d+:\d+: /, '')}`, this.parser.line)));
  }

  write(chunk: string): void {
    if (this.failed) return;
    this.parser.write(chunk);
  }

  end(): void {
    if (!this.failed) this.parser.close();
    if (this.failed) return;
    if (!this.documentSeen) this.assembler.refuse(new CamtFormatError('no camt.053 Document (BkToCstmrStmt) found'), { format: 'CAMT053' });
  }

  /** Stops reading: the open statement (or, if none, the rest of the file) is refused with `error`. */
  fail(error: CamtFormatError | StatementEncodingError): void {
    if (this.failed) return;
    this.failed = true;
    // The open statement is refused with it; if it was refused already, what follows it is.
    const open = this.stmt && !this.skipping;
    this.assembler.refuse(error, open ? { format: 'CAMT053', line: this.stmt!.line, ...this.headerSoFar() } : { format: 'CAMT053', line: this.parser.line });
  }

  /** What the tag handlers do with a throw (each handler has its own try: one shared wrapper was polymorphic). */
  private refuseOnFormatError(error: unknown): void {
    if (!(error instanceof CamtFormatError)) throw error;
    this.refuseStatement(error);
  }

  private open(tag: SaxesTagPlain): void {
    if (this.nodes.length > MAX_DEPTH) return this.fail(new CamtFormatError(`elements nested deeper than ${MAX_DEPTH}`, this.parser.line));
    const colon = tag.name.indexOf(':');
    const local = colon < 0 ? tag.name : tag.name.slice(colon + 1);
    const parent = this.nodes[this.nodes.length - 1];
    const node = parent.children.get(local) ?? parent.fallback;
    this.nodes.push(node);
    if (node.inStatement && this.skipping && node.kind !== 'stmt') return;
    switch (node.kind) {
      case 'document':
        return this.openDocument(tag, colon < 0 ? 'xmlns' : `xmlns:${tag.name.slice(0, colon)}`);
      case 'stmt':
        return this.openStatement();
      case 'bal':
        this.balance = { line: this.parser.line };
        break;
      case 'ntry':
        this.openEntry();
        break;
      case 'tx':
        this.entry!.transactions.push((this.tx = { line: this.parser.line, remittance: [], returnInfo: [] }));
        break;
    }
    if (node.field) {
      this.collecting = node.field;
      this.text = '';
    }
    if (node.currency) node.currency(this, tag.attributes.Ccy ?? '');
  }

  private close(tag: SaxesTagPlain): void {
    const node = this.nodes.pop()!;
    if (node.kind === 'stmt') return this.closeStatement();
    if (!node.inStatement || this.skipping) return;
    if (node.field && this.collecting) {
      this.collecting(this, this.text.trim());
      this.collecting = undefined;
      if (this.text.includes('\ufffd')) {
        throw new CamtFormatError(`<${tag.name}> contains U+FFFD, a character lost when the file was decoded before it reached Hela; upload the original bytes`, this.parser.line);
      }
    }
    if (node.kind === 'bal') this.stmt!.balances.push(this.balance!);
    else if (node.kind === 'ntry') this.closeEntry();
  }

  private openDocument(tag: SaxesTagPlain, namespaceAttribute: string): void {
    const uri = tag.attributes[namespaceAttribute] ?? '';
    const version = NAMESPACE.exec(uri)?.[1];
    if (!version || !VERSIONS.has(version)) {
      return this.fail(new CamtFormatError(`not a camt.053.001.02 to .08 document (namespace "${uri.slice(0, 80)}")`, this.parser.line));
    }
    this.documentSeen = true;
  }

  private openStatement(): void {
    this.skipping = false;
    this.stmt = { line: this.parser.line, balances: [], begun: false };
  }

  private closeStatement(): void {
    const stmt = this.stmt;
    try {
      if (this.skipping || !stmt) return;
      this.begin(stmt);
      const { line, ...closing } = this.closingBalance(stmt);
      this.assembler.end(closing, line);
    } catch (error) {
      if (!(error instanceof CamtFormatError)) throw error;
      this.refuseStatement(error);
    } finally {
      this.stmt = this.entry = this.tx = this.balance = undefined;
    }
  }

  private refuseStatement(error: CamtFormatError): void {
    if (this.skipping) return;
    const partial = { format: 'CAMT053' as const, line: this.stmt?.line ?? this.parser.line, ...this.headerSoFar() };
    this.skipping = true;
    this.entry = this.tx = this.balance = undefined;
    this.assembler.refuse(error, partial);
  }

  private headerSoFar(): Partial<StatementHeader> {
    const s = this.stmt;
    if (!s) return {};
    return { reference: s.id, account: s.account, statementNumber: statementNumber(s), sequenceNumber: s.page ?? '1' };
  }

  private openEntry(): void {
    this.begin(this.stmt!);
    this.entry = { line: this.parser.line, bankTransactionCode: [], additional: [], transactions: [] };
  }

  /** Header and opening balance come before the first Ntry in every version: the statement begins there. */
  private begin(stmt: CamtStatement): void {
    if (stmt.begun) return;
    if (!stmt.id) throw new CamtFormatError('<Stmt> has no <Id>', stmt.line);
    if (!stmt.account) throw new CamtFormatError('<Stmt> has no <Acct><Id> (IBAN or Othr/Id)', stmt.line);
    const opening = this.openingBalance(stmt);
    if (stmt.accountCurrency && stmt.accountCurrency !== opening.currency) {
      throw new CamtFormatError(`account currency ${stmt.accountCurrency} differs from the opening balance's ${opening.currency}`, stmt.line);
    }
    stmt.begun = true;
    const header: StatementHeader = { format: 'CAMT053', line: stmt.line, reference: stmt.id, account: stmt.account, statementNumber: statementNumber(stmt), sequenceNumber: stmt.page ?? '1', opening };
    this.assembler.begin(header);
  }

  private openingBalance(stmt: CamtStatement): StatementBalance {
    const found = stmt.balances.find((b) => OPENING.includes(b.type ?? '')) ?? stmt.balances.find((b) => b.type === 'ITBD');
    if (!found) throw new CamtFormatError('<Stmt> has no opening balance (Bal of type OPBD or PRCD)', stmt.line);
    return balance(found, found.type === 'ITBD');
  }

  private closingBalance(stmt: CamtStatement): StatementBalance & { line: number } {
    // A page that is not the last closes on an interim balance; one that is not the first may open on one.
    const interim = stmt.balances.filter((b) => b.type === 'ITBD');
    const openedOnInterim = !stmt.balances.some((b) => OPENING.includes(b.type ?? ''));
    const found = stmt.balances.find((b) => b.type === 'CLBD') ?? (interim.length > (openedOnInterim ? 1 : 0) ? interim.at(-1) : undefined);
    if (!found) throw new CamtFormatError('<Stmt> has no closing balance (Bal of type CLBD)', stmt.line);
    const closing = balance(found, found.type === 'ITBD' || stmt.lastPage === 'false');
    const opening = this.openingBalance(stmt);
    if (closing.currency !== opening.currency) throw new CamtFormatError(`closing balance currency ${closing.currency} differs from opening ${opening.currency}`, found.line);
    return { ...closing, line: found.line };
  }

  private closeEntry(): void {
    const entry = this.entry!;
    this.entry = this.tx = undefined;
    if ((entry.status ?? 'BOOK') !== 'BOOK') return; // pending and information-only entries are not on the booked balance
    const currency = this.assembler.currency!;
    if (entry.currency !== currency) throw new CamtFormatError(`<Ntry> amount in ${entry.currency || 'no currency'}, the statement is in ${currency}`, entry.line);
    const total = amount(entry.amount, currency, entry.line);
    const mark = entryMark(entry);
    const valueDate = isoDate(entry.valueDate ?? entry.bookingDate, 'ValDt', entry.line);
    const entryDate = entry.bookingDate ? isoDate(entry.bookingDate, 'BookgDt', entry.line) : undefined;
    const transactionType = entry.bankTransactionCode.length === 1 ? entry.bankTransactionCode[0] : entry.bankTransactionCode.join('/');
    // A million entries have one TxDtls each: no parts array for them.
    if (entry.transactions.length <= 1) return this.emit(entry, entry.transactions[0], total, mark, valueDate, entryDate, transactionType);
    for (const { tx, amountMinor } of this.batchParts(entry, total, currency)) this.emit(entry, tx, amountMinor, mark, valueDate, entryDate, transactionType);
  }

  private emit(entry: CamtEntry, tx: CamtTransaction | undefined, amountMinor: bigint, mark: EntryMark, valueDate: string, entryDate: string | undefined, transactionType: string): void {
    const e: StatementEntry = {
      sequence: this.assembler.nextSequence(),
      line: tx?.line ?? entry.line,
      valueDate,
      mark,
      amountMinor,
      transactionType,
      customerReference: tx?.endToEndId && tx.endToEndId !== NOT_PROVIDED ? tx.endToEndId : '',
      bankReference: tx?.accountServicerReference ?? entry.accountServicerReference ?? '',
      narratives: narrativesOf(entry, tx),
    };
    if (entryDate) e.entryDate = entryDate;
    const name = mark === 'C' || mark === 'RC' ? tx?.debtorName : (tx?.creditorName ?? tx?.debtorName);
    if (name) e.counterpartyName = name;
    if (tx && (tx.returnCode || tx.returnInfo.length)) {
      const reason = [tx.returnCode, ...tx.returnInfo].filter(Boolean).join(': ');
      if (reason) e.returnReason = reason;
    }
    this.assembler.entry(e);
  }

  /** A batch booking (one Ntry, several TxDtls): each transaction is an entry, and they must add up. */
  private batchParts(entry: CamtEntry, total: bigint, currency: string): { tx: CamtTransaction; amountMinor: bigint }[] {
    const parts = entry.transactions.map((tx) => {
      if (!tx.amount) throw new CamtFormatError('a batch <Ntry> has a <TxDtls> without its amount', tx.line);
      if (tx.currency !== currency) throw new CamtFormatError(`a <TxDtls> amount in ${tx.currency || 'no currency'}, the statement is in ${currency}`, tx.line);
      return { tx, amountMinor: amount(tx.amount, currency, tx.line) };
    });
    const sum = parts.reduce((s, p) => s + p.amountMinor, 0n);
    if (sum !== total) throw new CamtFormatError(`the ${parts.length} transactions of this batch <Ntry> add up to ${sum} minor units, the entry says ${total}`, entry.line);
    return parts;
  }
}

/** The entry's additional information, then the transaction's remittance and additional information. */
function narrativesOf(entry: CamtEntry, tx: CamtTransaction | undefined): string[] {
  const narratives = entry.additional.slice();
  if (!tx) return narratives;
  for (const remittance of tx.remittance) narratives.push(remittance);
  if (tx.additional) narratives.push(tx.additional);
  return narratives;
}

/** CdtDbtInd with RvslInd; a credit carrying return information is the return of a payment (RD). */
function entryMark(entry: CamtEntry): EntryMark {
  const reversal = entry.reversal === 'true' || entry.reversal === '1';
  if (entry.creditDebit === 'DBIT') return reversal ? 'RC' : 'D';
  if (entry.creditDebit === 'CRDT') return reversal || entry.transactions.some((t) => t.returnCode) ? 'RD' : 'C';
  throw new CamtFormatError(`<Ntry> CdtDbtInd must be CRDT or DBIT, got "${entry.creditDebit ?? ''}"`, entry.line);
}

function statementNumber(stmt: CamtStatement): string {
  const number = stmt.electronicSequence ?? stmt.legalSequence ?? '';
  return /^0*$/.test(number) ? '' : number;
}

function balance(b: CamtBalance, intermediate: boolean): StatementBalance {
  if (!b.currency) throw new CamtFormatError(`<Bal> ${b.type} amount has no Ccy`, b.line);
  if (b.creditDebit !== 'CRDT' && b.creditDebit !== 'DBIT') throw new CamtFormatError(`<Bal> ${b.type} CdtDbtInd must be CRDT or DBIT`, b.line);
  return { mark: b.creditDebit === 'CRDT' ? 'C' : 'D', date: isoDate(b.date, 'Dt', b.line), currency: b.currency, amountMinor: amount(b.amount, b.currency, b.line), intermediate };
}

function amount(text: string | undefined, currency: string, line: number): bigint {
  const parsed = parseAmount(text ?? '', '.', currency);
  if (typeof parsed === 'string') throw new CamtFormatError(parsed, line);
  return parsed;
}

/** The last date found valid: a statement books most entries on a few dates. */
let lastValidDate = '';

function isoDate(text: string | undefined, element: string, line: number): string {
  if (text === lastValidDate) return text;
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text) || !validDate(text)) throw new CamtFormatError(`<${element}> must be a date YYYY-MM-DD, got "${text ?? ''}"`, line);
  lastValidDate = text;
  return text;
}
