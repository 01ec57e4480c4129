import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../../common/domain-error.js';
import type { Container } from '../../../container.js';
import type { HttpRequest, HttpResponse, Route, RouteFactory } from '../../../http/route.js';
import { ReconciliationService } from './reconciliation.service.js';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * `POST /banks/:bankCode/statements`, body = the MT940 text. The bank authenticates with the bearer token
 * configured for its code (BANK_STATEMENT_TOKENS); the statement's :25: must be an account held at that bank.
 */
export const statementRoutes: RouteFactory = (container: Container): Route[] => {
  const { statementTokens: tokens, statementMaxBytes } = container.config.sponsorBank;
  const reconciliation = container.get(ReconciliationService);
  return [
    {
      method: 'POST',
      path: '/banks/:bankCode/statements',
      maxBodyBytes: statementMaxBytes,
      async handle(request: HttpRequest): Promise<HttpResponse> {
        const { bankCode } = request.params;
        const expected = tokens[bankCode];
        const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
        if (!expected || !presented || !sameSecret(presented, expected)) {
          return { status: 401, headers: { 'www-authenticate': 'Bearer' }, body: { error: { code: 'UNAUTHENTICATED', message: 'A valid bank token is required' } } };
        }
        try {
          const { statement, duplicate } = await reconciliation.reconcile(request.body.toString('utf8'), { bankCode, uploadedBy: `bank:${bankCode}` });
          const { id, statementNumber, sequenceNumber, paidCount, reversedCount, errorCount, ignoredCount } = statement;
          return { status: 200, body: { statementId: id, statementNumber, sequenceNumber, duplicate, paidCount, reversedCount, errorCount, ignoredCount } };
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          request.log.warn({ bankCode, code: error.code, reason: error.details?.reason }, 'bank statement refused');
          return { status: STATUS[error.code] ?? 400, body: { error: { code: error.code, message: error.message, ...error.details } } };
        }
      },
    },
  ];
};
