import { REVERSED_BY_BANK } from '../../payouts/sponsor-bank/envelopes/cycle-handoff.js';
import { SponsorBankTransferStatus } from '../../payouts/sponsor-bank/envelopes/envelope.enums.js';
import { TRANSFER_STATES as T } from '../../payouts/sponsor-bank/envelopes/transfer-states.js';
import { PaymentStatus } from '../../programmes/programme.enums.js';
import { PAYMENT_STATES } from '../../programmes/payment-states.js';

const { PAID, REVERSED, CANCELLED } = SponsorBankTransferStatus;

/**
 * Set-based reconciliation of the entries staged in `statement_lines` against one sponsor account's disbursements.
 * Per mark, one UPDATE joins the lines to the disbursements and applies every line without error, moving the
 * cycle payments and the envelope counters from what it returned, in the same statement. Only when not every
 * line applied (rare) is more asked: whether an id is named twice (then the UPDATE is redone under a savepoint
 * with only each id's first line), and what each line that did not apply failed on. Debits run before reversals, so a D
 * and its RD in the same file both apply.
 */
export const STAGE_COLUMNS = ['entry_sequence', 'mark', 'amount', 'disbursement_id', 'bank_reference', 'value_date', 'entry_date', 'beneficiary_name', 'reversal_reason'] as const;

/** `amount` keeps the currency's decimals exactly (numeric without a scale): 1.234 KWD never becomes 1.23. */
export const STAGE_TABLE = `create temp table statement_lines (
  entry_sequence int not null, mark text not null, amount numeric not null, disbursement_id text not null,
  bank_reference text not null, value_date date not null, entry_date date, beneficiary_name text, reversal_reason text
) on commit drop`;

interface MarkRules {
  mark: 'D' | 'RD';
  /** SQL deciding a line's error from the match (`f.first_sequence` = the id's first line of this mark, when it has several). */
  error: string;
  /** SET list for a line without error; `c` is the staged line, $1 the statement id. */
  apply: string;
  /** The disbursement column naming the statement that applied a line of this mark. */
  appliedBy: 'paid_statement_id' | 'reversal_statement_id';
  /** What the UPDATE returns beyond envelope and payment, for the payment's SET list. */
  returning: string;
  counter: 'paid_count' | 'reversed_count';
  /** SET list for the cycle payment a disbursement carries (`c` the applied line), and the status it must have. */
  payment: { set: string; to: PaymentStatus; from: PaymentStatus };
  /** The disbursement status a line without error moves it to. */
  to: SponsorBankTransferStatus;
}

const DEBITS: MarkRules = {
  mark: 'D',
  error: `case
    when d.id is null then 'INVALID_DISBURSEMENT_ID'
    when f.first_sequence <> l.entry_sequence or d.status in ${T.sqlIn([PAID, REVERSED])} then 'DUPLICATE_DISBURSEMENT'
    when d.status = ${T.sql(CANCELLED)} then 'CANCELLED_DISBURSEMENT'
    when l.amount <> d.amount then 'AMOUNT_MISMATCH'
  end`,
  to: PAID,
  apply: `bank_reference = c.bank_reference, value_date = c.value_date, entry_date = c.entry_date,
    paid_statement_id = $1, statement_number = $3, statement_sequence = $4, entry_sequence = c.entry_sequence,
    beneficiary_name_from_bank = c.beneficiary_name, updated_at = now()`,
  appliedBy: 'paid_statement_id',
  returning: '',
  counter: 'paid_count',
  payment: { set: 'reason_code = null, reason_message = null', to: PaymentStatus.PAID, from: PaymentStatus.SENT },
};

const REVERSALS: MarkRules = {
  mark: 'RD',
  error: `case
    when d.id is null then 'INVALID_DISBURSEMENT_ID'
    when f.first_sequence <> l.entry_sequence or d.status = ${T.sql(REVERSED)} then 'DUPLICATE_REVERSAL'
    when d.status not in ${T.sqlFrom(REVERSED)} then 'INVALID_REVERSAL'
    when l.amount <> d.amount then 'AMOUNT_MISMATCH'
  end`,
  to: REVERSED,
  apply: `reversal_reason = c.reversal_reason, reversal_bank_reference = c.bank_reference,
    reversal_statement_id = $1, reversal_value_date = c.value_date, updated_at = now()`,
  appliedBy: 'reversal_statement_id',
  returning: ', d.reversal_reason',
  counter: 'reversed_count',
  payment: { set: `reason_code = '${REVERSED_BY_BANK}', reason_message = coalesce(c.reversal_reason, 'reversed by the sponsor bank')`, to: PaymentStatus.REVERSED, from: PaymentStatus.PAID },
};

/** The account's envelopes ($2 the sponsor account id): a disbursement of another account is no match. */
const ACCOUNT_ENVELOPES = 'd.envelope_id in (select id from disbursement_envelopes where sponsor_account_id = $2)';

/**
 * Each line of the mark with its match and, once the UPDATE has run, its error (null: applied). $1 statement id,
 * $2 sponsor account id. A line was applied when it is its id's first and its disbursement names this statement;
 * any other line is classified as it would have been before the UPDATE, which changed no disbursement it names
 * (a later line of an applied id is a duplicate either way).
 */
function outcomes(r: MarkRules): string {
  return `select l.*, d.amount as d_amount,
      case when d.${r.appliedBy} = $1 and (f.first_sequence is null or f.first_sequence = l.entry_sequence) then null else ${r.error} end as error
    from statement_lines l
    left join recon_dups_${r.mark} f on f.disbursement_id = l.disbursement_id
    left join sponsor_bank_disbursements d on d.disbursement_id = l.disbursement_id and ${ACCOUNT_ENVELOPES}
   where l.mark = '${r.mark}'`;
}

function statements(r: MarkRules) {
  return {
    mark: r.mark,
    /** Where the ids this statement names in more than one line of the mark go: only the first of those lines can apply. */
    duplicatesTable: `create temp table recon_dups_${r.mark} (disbursement_id text not null, first_sequence int not null) on commit drop`,
    /** Whether any id is named twice (asked only when not every line applied: if all did, no two lines share an id). */
    anyDuplicate: `select exists (select from statement_lines where mark = '${r.mark}' group by disbursement_id having count(*) > 1) as found`,
    duplicates: `insert into recon_dups_${r.mark}
      select disbursement_id, min(entry_sequence) from statement_lines where mark = '${r.mark}' group by disbursement_id having count(*) > 1`,
    /** The parts of a multi-part statement are applied one after the other in one transaction. */
    drop: `drop table recon_dups_${r.mark}`,
    /**
     * $1 statement id, $2 sponsor account id (debits also $3 statement number, $4 sequence). Returns how many lines
     * applied. Cycle payments handed to the bank by a send follow their disbursement (none for API-created envelopes).
     */
    apply: `with applied as (
        update sponsor_bank_disbursements d set status = ${T.sql(r.to)}, ${r.apply}
          from statement_lines c
         where c.mark = '${r.mark}' and d.disbursement_id = c.disbursement_id and ${ACCOUNT_ENVELOPES}
           and d.status in ${T.sqlFrom(r.to)} and d.amount = c.amount
           and not exists (select 1 from recon_dups_${r.mark} f where f.disbursement_id = c.disbursement_id and f.first_sequence <> c.entry_sequence)
        returning d.envelope_id, d.payment_id${r.returning}
      ), payments as (
        update disbursement_payments p set status = ${PAYMENT_STATES.sql(r.payment.to)}, ${r.payment.set}, updated_at = now()
          from applied c where c.payment_id is not null and p.id = c.payment_id
           and p.status in ${PAYMENT_STATES.sqlFrom(r.payment.to, [r.payment.from])}
      ), counters as (
        update disbursement_envelopes e set ${r.counter} = e.${r.counter} + p.n, updated_at = now()
          from (select envelope_id, count(*) as n from applied group by envelope_id) p where e.id = p.envelope_id
      )
      select count(*)::int as n from applied`,
    /** $1 statement id, $2 sponsor account id, $3 the highest entry sequence a preview shows: what happened to each of those entries. */
    outcomes: `select entry_sequence, disbursement_id, error from (${outcomes(r)} and l.entry_sequence <= $3) o`,
    /** $1 statement id, $2 sponsor account id. */
    countErrors: `select count(*)::int as n from (${outcomes(r)}) o where error is not null`,
    /** $1 statement id, $2 sponsor account id. */
    errors: `insert into reconciliation_errors (statement_id, entry_sequence, mark, code, disbursement_id, bank_reference, amount, expected_amount, created_at)
      select $1, entry_sequence, mark, error, disbursement_id, bank_reference, amount, case when error = 'AMOUNT_MISMATCH' then d_amount end, now()
        from (${outcomes(r)}) o where error is not null`,
  };
}

export const RECONCILE_DEBITS = statements(DEBITS);
export const RECONCILE_REVERSALS = statements(REVERSALS);
