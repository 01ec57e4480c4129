import type { Readable } from 'node:stream';
import { credentialsOf } from '../auth/auth-cookies.js';
import { AuthService } from '../auth/auth.service.js';
import { Role } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import type { AuthUser } from '../graphql/context.js';
import type { HttpRequest, HttpResponse, Route, RouteFactory } from '../http/route.js';
import { ExportService } from './export.service.js';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, RATE_LIMITED: 429 };

interface ExportSpec {
  path: string;
  /** The roles of the GraphQL query that shows the same rows. */
  roles: Role[];
  filename: (request: HttpRequest) => string;
  open: (exports: ExportService, request: HttpRequest, user: AuthUser) => Promise<Readable>;
}

const SPECS: ExportSpec[] = [
  {
    path: '/exports/cycles/:cycleId/payments.csv',
    roles: [Role.PROGRAM_MANAGER, Role.ADMIN], // cycleSummary, disbursementPayments
    filename: (r) => `cycle-${r.params.cycleId}-payments.csv`,
    open: (exports, r) => exports.cyclePayments(r.params.cycleId),
  },
  {
    path: '/exports/statements/:statementId/reconciliation.csv',
    roles: [Role.PROGRAM_MANAGER, Role.ADMIN], // bankStatements
    filename: (r) => `statement-${r.params.statementId}-reconciliation.csv`,
    open: (exports, r) => exports.statementReconciliation(r.params.statementId),
  },
  {
    path: '/exports/psps/:pspId/collections.csv',
    roles: [Role.ACCOUNTANT, Role.ADMIN], // paymentTransactions
    filename: (r) => `psp-${r.params.pspId}-collections.csv`,
    open: (exports, r, user) => {
      const query = new URLSearchParams(r.search);
      return exports.pspCollections(user, r.params.pspId, query.get('from'), query.get('to'));
    },
  },
];

/**
 * CSV downloads, authenticated like GraphQL (Authorization header, else the JWT cookie) and allowed to
 * the roles of the query that shows the same rows. The file streams from the database as it is read.
 */
export const exportRoutes: RouteFactory = (container: Container): Route[] => {
  const auth = container.get(AuthService);
  const exports = container.get(ExportService);
  return SPECS.map((spec) => ({
    method: 'GET' as const,
    path: spec.path,
    handle: (request: HttpRequest) => download(auth, exports, spec, request),
  }));
};

async function download(auth: AuthService, exports: ExportService, spec: ExportSpec, request: HttpRequest): Promise<HttpResponse> {
  try {
    const caller = await auth.authenticateRequest(credentialsOf(request.headers));
    if (!caller) return refusal(new DomainError('UNAUTHENTICATED', 'Sign in first: an Authorization bearer token or the JWT cookie'));
    if (!caller.user.roles.some((role) => spec.roles.includes(role))) return refusal(new DomainError('FORBIDDEN', 'You are not authorized to perform this operation'));
    const body = await spec.open(exports, request, caller.user);
    request.log.info({ export: spec.path, userId: caller.user.id }, 'export started');
    return {
      status: 200,
      headers: {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${spec.filename(request)}"`,
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      },
      body,
      logFields: { userId: caller.user.id },
    };
  } catch (error) {
    if (error instanceof DomainError) return refusal(error);
    throw error;
  }
}

function refusal(error: DomainError): HttpResponse {
  const status = STATUS[error.code] ?? 400;
  return {
    status,
    headers: status === 401 ? { 'www-authenticate': 'Bearer' } : {},
    body: { error: { code: error.code, message: error.message, ...error.details } },
  };
}
