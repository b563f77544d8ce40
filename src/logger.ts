import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

/** Paths pino blanks out wherever they appear, so that no token or password reaches a log. */
const REDACTED_PATHS = [
  'password',
  'token',
  'authToken',
  '*.password',
  '*.token',
  '*.authToken',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'variables',
  '*.variables',
];

/** One JSON line per event, on stdout unless another destination is given (tests). */
export function createLogger(config: Pick<Config, 'logLevel'>, destination?: DestinationStream): Logger {
  const options = { name: 'switchboard', level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
