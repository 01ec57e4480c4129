import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs (to stdout unless a destination is given). Anything that might carry a
 * secret is redacted by path, so a careless `log.info({ input })` cannot leak a password, PIN, OTP or token.
 */
export function createLogger(level: string, destination?: DestinationStream, mixin?: () => Record<string, string>): Logger {
  const options = {
    level,
    ...(mixin ? { mixin } : {}),
    base: { service: 'hela' },
    redact: {
      paths: [
        'password', 'pin', 'otp', 'token', 'refreshToken', 'secret', 'authorization',
        '*.password', '*.pin', '*.otp', '*.token', '*.refreshToken', '*.secret', '*.authorization',
        'req.headers.authorization', 'req.headers.cookie', 'variables.*',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
