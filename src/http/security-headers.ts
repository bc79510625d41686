/**
 * Security headers (helmet): nosniff, no framing, a CSP that allows only this
 * origin (pages render server-side with inline styles and no third-party
 * script), HSTS when served over https (or through a proxy that terminated TLS), and no caching of authenticated
 * answers, which carry personal data.
 */
import type { RequestHandler } from 'express';
import helmet from 'helmet';

export function securityHeaders(https: boolean): RequestHandler {
  const options = (hsts: boolean): Parameters<typeof helmet>[0] => ({
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
    strictTransportSecurity: hsts ? { maxAge: 31_536_000 } : false,
    crossOriginEmbedderPolicy: false,
  });
  const withHsts = helmet(options(true));
  const withoutHsts = helmet(options(false));
  return (req, res, next) => {
    if (req.headers.authorization || req.headers.cookie) res.setHeader('Cache-Control', 'no-store');
    // HSTS when published over https, or when this request came over TLS (behind a TLS-terminating proxy,
    // X-Forwarded-Proto under TRUST_PROXY): a browser ignores it over plain http anyway.
    (https || req.secure ? withHsts : withoutHsts)(req, res, next);
  };
}
