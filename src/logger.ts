import pino, { Logger } from 'pino';
import type { Config } from './config';

export type { Logger };

/** Structured JSON logs (one line per event) at the configured level. */
export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  return pino({ level: config.logLevel, base: { service: 'eco-hub' }, redact: ['req.headers.authorization'] });
}
