import { DomainError } from '../common/domain-error.js';

/** Messages are django-graphql-jwt's, which openIMIS clients already show to people. */
export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('UNAUTHENTICATED', 'Please enter valid credentials');
  }
}

export class LoginThrottledError extends DomainError {
  constructor(retryAfterSeconds: number) {
    super('UNAUTHENTICATED', 'Too many failed login attempts; try again later', { retryAfterSeconds });
  }
}

export class InvalidTokenError extends DomainError {
  constructor(message: 'Invalid token' | 'Signature has expired' | 'Error decoding signature' | 'Invalid payload' | 'User is disabled' | 'Token is required' | 'Token is revoked') {
    super('UNAUTHENTICATED', message);
  }
}

export class InvalidRefreshTokenError extends DomainError {
  constructor(message: 'Invalid refresh token' | 'Refresh token is expired' | 'Refresh token is required' = 'Invalid refresh token') {
    super('UNAUTHENTICATED', message);
  }
}

/** Two different tokens in one request: which caller is it? Neither is used. */
export class ConflictingCredentialsError extends DomainError {
  constructor() {
    super('UNAUTHENTICATED', 'The Authorization header and the JWT cookie hold different tokens; send one of them');
  }
}
