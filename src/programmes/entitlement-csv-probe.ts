import { Transform, type TransformCallback } from 'node:stream';

const enum Field {
  Header,
  Beneficiary,
  Integer,
  Fraction,
  Currency,
  CarriageReturn,
  Unsure,
}

const COMMA = 0x2c;
const DOT = 0x2e;
const DASH = 0x2d;
const LF = 0x0a;
const CR = 0x0d;
const ZERO = 0x30;
const NINE = 0x39;
const UUID_LENGTH = 36;
const MAX_INTEGER_DIGITS = 16;

function isHex(byte: number): boolean {
  return (byte >= ZERO && byte <= NINE) || (byte >= 0x61 && byte <= 0x66) || (byte >= 0x41 && byte <= 0x46);
}

function isUuidDash(position: number): boolean {
  return position === 8 || position === 13 || position === 18 || position === 23;
}

/**
 * Passes the entitlements file through unchanged while deciding, byte by byte and without building a
 * row, whether every data line is certainly well formed: `uuid,amount,currency` with a positive plain
 * decimal of at most `decimals` significant decimals and the programme currency or nothing, unquoted.
 * Conservative: anything else (quotes, spaces, other currencies, odd line ends) makes it unsure, and
 * the intake then runs its full per-line checks in SQL, which alone word the rejections. Lets a clean
 * file skip those checks (regular expressions and a sort over every row) and go straight to the insert.
 */
export class EntitlementCsvProbe extends Transform {
  private field = Field.Header;
  private position = 0;
  private nonZero = false;
  private significantDecimals = 0;
  private readonly currency: Buffer;
  private readonly decimals: number;

  constructor(currency: string, decimals: number) {
    super();
    this.currency = Buffer.from(currency, 'latin1');
    this.decimals = decimals;
  }

  /** True when every data line passed; only meaningful once the stream has ended. */
  get certainlyValid(): boolean {
    return this.field === Field.Beneficiary && this.position === 0;
  }

  override _transform(chunk: Buffer | string, _encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.field !== Field.Unsure) this.scan(bytes);
    callback(null, bytes);
  }

  override _flush(callback: TransformCallback): void {
    // A last line without its newline ends as if it had one.
    if (this.field === Field.Currency) this.endLine();
    else if (this.field !== Field.Beneficiary || this.position !== 0) this.field = Field.Unsure;
    callback();
  }

  private scan(bytes: Buffer): void {
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i];
      switch (this.field) {
        case Field.Header:
          if (byte === LF) this.startLine();
          break;
        case Field.Beneficiary:
          if (this.position === UUID_LENGTH) {
            if (byte === COMMA) this.next(Field.Integer);
            else return this.giveUp();
          } else if (isUuidDash(this.position) ? byte === DASH : isHex(byte)) this.position++;
          else return this.giveUp();
          break;
        case Field.Integer:
          if (byte >= ZERO && byte <= NINE && this.position < MAX_INTEGER_DIGITS) {
            this.position++;
            if (byte !== ZERO) this.nonZero = true;
          } else if (byte === DOT && this.position > 0) this.next(Field.Fraction);
          else if (byte === COMMA && this.position > 0) this.next(Field.Currency);
          else return this.giveUp();
          break;
        case Field.Fraction:
          if (byte >= ZERO && byte <= NINE) {
            this.position++;
            if (byte !== ZERO) {
              this.nonZero = true;
              this.significantDecimals = this.position;
            }
          } else if (byte === COMMA && this.position > 0) this.next(Field.Currency);
          else return this.giveUp();
          break;
        case Field.Currency:
          if (byte === LF) {
            if (!this.endLine()) return;
          } else if (byte === CR) this.field = Field.CarriageReturn;
          else if (this.position < this.currency.length && byte === this.currency[this.position]) this.position++;
          else return this.giveUp();
          break;
        case Field.CarriageReturn:
          if (byte !== LF || !this.endLine()) return this.giveUp();
          break;
        default:
          return;
      }
    }
  }

  /** Ends a data line: false (and unsure from now on) when it was not certainly valid. */
  private endLine(): boolean {
    const currencyOk = this.position === 0 || this.position === this.currency.length;
    if (!currencyOk || !this.nonZero || this.significantDecimals > this.decimals) {
      this.giveUp();
      return false;
    }
    this.startLine();
    return true;
  }

  private startLine(): void {
    this.field = Field.Beneficiary;
    this.position = 0;
    this.nonZero = false;
    this.significantDecimals = 0;
  }

  private next(field: Field): void {
    this.field = field;
    this.position = 0;
  }

  private giveUp(): void {
    this.field = Field.Unsure;
  }
}
