import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError } from '../../common/domain-error.js';
import type { Container } from '../../container.js';
import type { HttpRequest, HttpResponse, Route, RouteFactory } from '../../http/route.js';
import { DEFAULT_PREVIEW_ENTRIES, ReconciliationService, type FileReconciliation } from './reconciliation.service.js';
import { StatementOutcome } from './statement-results.js';
import { previewView, refusalView } from './statement-views.js';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** One statement's result as the bank sees it. */
function resultJson(file: FileReconciliation, index: number) {
  const result = file.statements[index];
  const stored = result.statementId ? file.stored.get(result.statementId) : undefined;
  const { line, account, reference, statementNumber, sequenceNumber } = result.header;
  return {
    outcome: result.outcome,
    line, account, reference, statementNumber, sequenceNumber,
    ...(stored && {
      statementId: stored.id, duplicate: result.outcome === StatementOutcome.DUPLICATE,
      paidCount: stored.paidCount, reversedCount: stored.reversedCount, errorCount: stored.errorCount, ignoredCount: stored.ignoredCount,
    }),
    ...(result.error && { error: refusalView(result.error) }),
  };
}

/**
 * 200 when some statement was applied (or had been), else the status of the first refusal. A file of one
 * statement also answers with that statement's fields at the top level, as this endpoint always did.
 */
function uploadResponse(file: FileReconciliation): HttpResponse {
  const statements = file.statements.map((_, i) => resultJson(file, i));
  const refused = file.statements.every((s) => s.outcome === StatementOutcome.REFUSED);
  const status = refused ? (STATUS[file.statements[0].error!.code] ?? 400) : 200;
  const single = statements.length === 1 ? statements[0] : {};
  return { status, body: { format: file.format, ...single, statements } };
}

/**
 * `POST /banks/:bankCode/statements`, body = the statement file (MT940 or camt.053, detected; bytes in
 * UTF-8 or Latin-1/Windows-1252, detected). `?dryRun=true` answers what reconciling it would do and writes
 * nothing (`&entryLimit=` entries per statement). The bank authenticates with the bearer token configured for
 * its code (BANK_STATEMENT_TOKENS); every statement must be for an account held at that bank.
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
        const query = new URLSearchParams(request.search);
        const source = { bankCode, uploadedBy: `bank:${bankCode}` };
        try {
          if (query.get('dryRun') === 'true') {
            const limit = Number(query.get('entryLimit') ?? DEFAULT_PREVIEW_ENTRIES);
            return { status: 200, body: previewView(await reconciliation.preview(request.body, source, Number.isInteger(limit) ? limit : DEFAULT_PREVIEW_ENTRIES)) };
          }
          const response = uploadResponse(await reconciliation.reconcileFile(request.body, source));
          if (response.status !== 200) request.log.warn({ bankCode, status: response.status }, 'bank statement refused');
          return response;
        } catch (error) {
          if (!(error instanceof DomainError)) throw error;
          request.log.warn({ bankCode, code: error.code, reason: error.details?.reason }, 'bank statement refused');
          return { status: STATUS[error.code] ?? 400, body: { error: { code: error.code, message: error.message, ...error.details } } };
        }
      },
    },
  ];
};
