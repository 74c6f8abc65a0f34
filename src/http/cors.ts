import cors from 'cors';

/** Origins of a browser on the developer's own machine: any port of localhost, 127.0.0.1 or [::1]. */
const LOCALHOST = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/;

/** The part of the config CORS reads. */
export interface CorsSettings {
  /** Origins allowed to call the hub from a browser; empty means the default of the environment. */
  corsOrigins: readonly string[];
  nodeEnv: 'development' | 'production' | 'test';
}

/**
 * CORS by allow-list. A listed origin is reflected (never `*`); with no list, production allows no
 * cross-origin browser calls at all, and development reflects localhost origins only, so a UI
 * served by a dev server on another port works. Servers and command-line clients are unaffected:
 * CORS binds browsers only, the bearer token is what authorizes.
 */
export function corsFor(settings: CorsSettings) {
  const allowed = new Set(settings.corsOrigins);
  const localDefault = allowed.size === 0 && settings.nodeEnv !== 'production';
  return cors({
    origin: (origin, done) => {
      if (origin && (allowed.has(origin) || (localDefault && LOCALHOST.test(origin)))) done(null, origin);
      else done(null, false);
    },
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders: ['authorization', 'content-type', 'x-purpose', 'x-request-id', 'apollo-require-preflight', 'x-apollo-operation-name'],
    exposedHeaders: ['x-request-id', 'retry-after', 'x-query-cost'],
    maxAge: 600,
  });
}
