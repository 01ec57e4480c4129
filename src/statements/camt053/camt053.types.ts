/** What is gathered of one `<Ntry>` before it becomes statement entries. */
export interface CamtTransaction {
  line: number;
  endToEndId?: string;
  accountServicerReference?: string;
  amount?: string;
  currency?: string;
  creditorName?: string;
  debtorName?: string;
  remittance: string[];
  returnCode?: string;
  returnInfo: string[];
  additional?: string;
}

export interface CamtEntry {
  line: number;
  amount?: string;
  currency?: string;
  creditDebit?: string;
  reversal?: string;
  status?: string;
  bookingDate?: string;
  valueDate?: string;
  accountServicerReference?: string;
  bankTransactionCode: string[];
  additional: string[];
  transactions: CamtTransaction[];
}

export interface CamtBalance {
  line: number;
  type?: string;
  amount?: string;
  currency?: string;
  creditDebit?: string;
  date?: string;
}

export interface CamtStatement {
  line: number;
  id?: string;
  electronicSequence?: string;
  legalSequence?: string;
  page?: string;
  lastPage?: string;
  account?: string;
  accountCurrency?: string;
  balances: CamtBalance[];
  begun: boolean;
}
