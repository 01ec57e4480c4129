import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Anything that might carry a secret is redacted by path, so a careless
 * `log.info({ input })` cannot leak a password, PIN, OTP or token.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'hela' },
    redact: {
      paths: [
        '*.password', '*.pin', '*.otp', '*.token', '*.refreshToken', '*.secret', '*.authorization',
        'req.headers.authorization', 'req.headers.cookie', 'variables.*',
      ],
      censor: '[redacted]',
    },
  });
}
