import type { NextFunction, Request, Response } from 'express';

/** Paths of the GraphiQL playground (src/playground), which may be framed by the hub's own pages; the page sets its own CSP. */
function isPlayground(path: string): boolean {
  return path === '/playground' || path.startsWith('/playground/');
}

/**
 * The few security headers the hub needs, written by hand (no helmet): no MIME sniffing, no
 * referrer leaving the hub, no framing (the playground: same origin only), a CSP that allows
 * nothing on the API's JSON answers, and HSTS on requests that came over TLS (directly, or through
 * a trusted proxy's X-Forwarded-Proto, see HUB_TRUST_PROXY), so a plain-HTTP development hub
 * never pins browsers to HTTPS.
 */
export function securityHeaders() {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (isPlayground(req.path)) {
      res.setHeader('X-Frame-Options', 'SAMEORIGIN');
    } else {
      res.setHeader('X-Frame-Options', 'DENY');
      res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    }
    if (req.secure) res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains');
    next();
  };
}
