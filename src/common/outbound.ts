import { EGRESS_REFUSED } from '../http/egress.js';

/**
 * Connection errors raised before any byte of a request could reach the counterpart (the egress
 * policy's refusal among them): nothing was processed, so the call may be made again. Every other
 * failure after the request started (timeout, ECONNRESET, a cut or unreadable answer) may have been
 * acted on: its outcome is unknown.
 */
export const NEVER_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', EGRESS_REFUSED]);
