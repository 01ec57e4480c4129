import { Readable } from 'node:stream';
import { AuthService } from '../auth/auth.service.js';
import { Role } from '../auth/role.js';
import { DomainError } from '../common/domain-error.js';
import type { Container } from '../container.js';
import type { HttpRequest, HttpResponse, Route } from '../http/route.js';
import { EntitlementIntakeService } from './entitlement-intake.service.js';

const BEARER = /^bearer\s+(\S+)$/i;
const STATUS_FOR_CODE: Record<string, number> = { UNAUTHENTICATED: 401, FORBIDDEN: 403, BAD_USER_INPUT: 400, NOT_FOUND: 404, CONFLICT: 409 };

/** REST beside GraphQL: the entitlements CSV upload (a million rows do not fit a GraphQL mutation). */
export function entitlementUploadRoutes(container: Container): Route[] {
  return [
    { method: 'POST', path: '/disbursements/cycles/:cycleId/entitlements.csv', maxBodyBytes: container.config.disbursements.uploadMaxBytes, handle: (r) => uploadEntitlements(container, r) },
  ];
}

async function uploadEntitlements(container: Container, request: HttpRequest): Promise<HttpResponse> {
  try {
    const token = BEARER.exec(request.headers.authorization ?? '')?.[1];
    const { user } = await container.get(AuthService).authenticate(token);
    if (!user.roles.some((role) => role === Role.PROGRAM_MANAGER || role === Role.ADMIN)) {
      return error(403, 'FORBIDDEN', 'You are not authorized to perform this operation');
    }
    const report = await container.get(EntitlementIntakeService).importCsv(request.params.cycleId, Readable.from([request.body]), { id: user.id, username: user.username });
    return { status: report.rejected ? 422 : 200, body: report };
  } catch (failure) {
    if (failure instanceof DomainError) return error(STATUS_FOR_CODE[failure.code] ?? 400, failure.code, failure.message);
    throw failure;
  }
}

function error(status: number, code: string, message: string): HttpResponse {
  return { status, body: { errors: [{ message, extensions: { code } }] } };
}
