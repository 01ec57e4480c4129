import { BeneficiaryAccountType } from '../payouts/sponsor-bank/envelopes/envelope.enums.js';

/** Where a sponsor bank pays a disbursement, in the fields of Hela's DisbursementInput. */
export interface BeneficiaryAccount {
  beneficiaryAccountType: BeneficiaryAccountType;
  beneficiaryAccount?: string;
  beneficiaryBankCode?: string;
  phoneNo?: string;
  email?: string;
  walletProvider?: string;
}

export interface WalletProviders {
  mobileWalletProvider?: string | null;
  emailWalletProvider?: string | null;
}

/** Odoo writes a missing value as False (or None) into the f-string. */
const MISSING = new Set(['', 'false', 'none', 'null']);
const present = (value: string | undefined): value is string => value !== undefined && !MISSING.has(value.trim().toLowerCase());

const PHONE = /^\+?\d{6,15}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PROVIDER = /^[A-Za-z0-9_.-]{1,32}$/;

/**
 * Reads the financial address `g2p_payment_g2p_connect` puts in `beneficiary_id` (its default payee prefixes):
 * `account_no:<account>@<BIC>`, `iban:<IBAN>@<BIC>`, `phone:<number>` (Hela also reads `phone:<number>@<provider>`)
 * and `email:<address>`. Wallet payees go to the PBMS client's configured provider. Anything else (a bare
 * registry id the original bridge would resolve through an ID mapper) is not an address Hela can pay.
 */
export function beneficiaryAccount(beneficiaryId: string, providers: WalletProviders): BeneficiaryAccount | undefined {
  const colon = beneficiaryId.indexOf(':');
  if (colon < 0) return undefined;
  const scheme = beneficiaryId.slice(0, colon).trim().toLowerCase();
  const rest = beneficiaryId.slice(colon + 1).trim();
  if (scheme === 'account_no' || scheme === 'iban') return bankAccount(scheme, rest);
  if (scheme === 'phone') return mobileWallet(rest, providers.mobileWalletProvider);
  if (scheme === 'email') return emailWallet(rest, providers.emailWalletProvider);
  return undefined;
}

function bankAccount(scheme: string, rest: string): BeneficiaryAccount | undefined {
  const at = rest.lastIndexOf('@');
  if (at < 0) return undefined;
  const account = scheme === 'iban' ? rest.slice(0, at).replace(/\s+/g, '') : rest.slice(0, at).trim();
  const bic = rest.slice(at + 1).trim();
  if (!present(account) || !present(bic) || account.length > 64 || !PROVIDER.test(bic)) return undefined;
  return { beneficiaryAccountType: BeneficiaryAccountType.BANK_ACCOUNT, beneficiaryAccount: account, beneficiaryBankCode: bic };
}

function mobileWallet(rest: string, configured?: string | null): BeneficiaryAccount | undefined {
  const [number, named] = rest.split('@');
  const phone = number.replace(/[\s().-]/g, '');
  const provider = named?.trim() || configured || undefined;
  if (!PHONE.test(phone) || !provider || !PROVIDER.test(provider)) return undefined;
  return { beneficiaryAccountType: BeneficiaryAccountType.MOBILE_WALLET, phoneNo: phone, walletProvider: provider };
}

function emailWallet(address: string, provider?: string | null): BeneficiaryAccount | undefined {
  if (!EMAIL.test(address) || address.length > 254 || !provider) return undefined;
  return { beneficiaryAccountType: BeneficiaryAccountType.EMAIL_WALLET, email: address, walletProvider: provider };
}
