/**
 * Security headers (helmet): nosniff, no framing, a CSP that allows only this
 * origin (pages render server-side with inline styles and no third-party
 * script), HSTS when served over https, and no caching of authenticated
 * answers, which carry personal data.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(https: boolean): RequestHandler {
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    strictTransportSecurity: https ? { maxAge: 31_536_000 } : false,
    crossOriginEmbedderPolicy: false,
  });
  return (req, res, next) => {
    if (req.headers.authorization || req.headers.cookie) res.setHeader('Cache-Control', 'no-store');
    headers(req, res, next);
  };
}
