/**
 * The Express application: public calendar reads and pages, then everything
 * else behind a key.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import express from 'express';
import type { AppContext } from '../app-context.js';
import type { TrustProxy } from '../config.js';
import { DEFAULT_UPLOAD_LIMITS, type UploadLimits } from '../catalog/upload-limits.js';
import { authenticateCountingFailures, recogniseSession } from './auth.js';
import { apiCsrfCheck, csrfProtection, csrfToken } from './csrf.js';
import { bodyTextGuard, jsonOnly, urlGuard } from './input-guards.js';
import { securityHeaders } from './security-headers.js';
import { keysRouter } from './routes/keys.js';
import { probesRouter } from './routes/probes.js';
import { requestObservability } from './observability.js';
import { createMetrics } from '../observability/metrics.js';
import { silentLogger, type Logger } from '../observability/logger.js';
import type { Mailer } from '../alerts/mailer.js';
import { errorHandler, HttpError } from './errors.js';
import { openApiDocument } from './openapi.js';
import { apiDocsRouter } from './routes/api-docs.js';
import { calendarAdminRouter, calendarPublicRouter } from './routes/calendar.js';
import { catalogRouter } from './routes/catalog.js';
import { catalogImportRouter } from './routes/catalog-import.js';
import { dossiersRouter } from './routes/dossiers.js';
import { eventsRouter } from './routes/events.js';
import { pagesRouter } from './routes/pages.js';
import { adminRouter } from './routes/admin.js';
import { searchPageRouter } from './routes/search-page.js';
import { dossierPageRouter } from './routes/dossier-page.js';
import { dashboardRouter } from './routes/dashboard.js';
import { apologyRouter } from './routes/apology.js';
import { explanationsRouter } from './routes/explanations.js';
import { smsInboundRouter } from './routes/sms-inbound.js';
import { letterWorkflowRouter } from './routes/letter-workflow.js';
import { reportsRouter } from './routes/reports.js';
import { syncRouter } from './routes/sync.js';
import { publicRouter } from './routes/public.js';
import { reconciliationRouter } from './routes/reconciliation.js';
import { lettersRouter } from './routes/letters.js';
import { citizenLinksRouter } from './routes/citizen-links.js';
import { sessionRouter } from './routes/session.js';
import { supervisorsRouter } from './routes/supervisors.js';
import { warningsRouter } from './routes/warnings.js';
import { usersRouter } from './routes/users.js';
import { usersPageRouter } from './routes/users-page.js';
import { accountRouter } from './routes/account.js';
import { myWorkRouter } from './routes/my-work.js';
import { counterRouter } from './routes/counter.js';
import { providerLogout, ssoRouter } from './routes/sso.js';
import { OidcClient } from './oidc-client.js';
import type { OidcSettings } from '../config.js';

const TINOS_DIR = path.dirname(createRequire(import.meta.url).resolve('@fontsource/tinos/400.css'));

/** A year file with 366 days of 300-character names and 500-character sources is under 400 KB. */
export const CALENDAR_MAX_BYTES = 512 * 1024;

export interface AppOptions {
  /** Sends what a page sends at once (the "forgot password" link); the outbox sends the rest. */
  mailer?: Mailer;
  mailDir?: string;
  mailerDescription?: string;
  /** Failed authentications per address per 15 minutes before 429 (API keys; sign-in has its own, lower). */
  badKeyAttempts?: number;
  loginAttempts?: number;
  /** `on`: keys open web sessions even once people have accounts (the earlier behaviour, for one release). */
  keyWebSignIn?: 'auto' | 'on';
  /** Consecutive wrong passwords before an account is locked, and for how long. */
  lockout?: { attempts: number; minutes: number };
  /** Single sign-on with the province's OpenID Connect provider. */
  oidc?: OidcSettings;
  logger?: Logger;
  /** Public dossier lookups per address per 15 minutes before 429. */
  lookupAttempts?: number;
  /** The public lookup's failure budgets per code and for all codes, per hour (routes/public.ts). */
  lookupCodeFailures?: number;
  lookupGlobalFailures?: number;
  /** When set, GET /metrics needs `Authorization: Bearer <token>`. */
  metricsToken?: string;
  /**
   * Express's `trust proxy` (TRUST_PROXY): false (default) takes the socket's address as the client's; a hop count
   * or the proxies' addresses take it from X-Forwarded-For past those proxies, and the scheme from
   * X-Forwarded-Proto (Secure cookies and HSTS behind a TLS-terminating proxy).
   */
  trustProxy?: TrustProxy;
  /** Limits on uploaded files (UPLOAD_MAX_*); default DEFAULT_UPLOAD_LIMITS. */
  uploadLimits?: UploadLimits;
  /** The SMS gateway's shared secret for forwarded replies (SMS_INBOUND_SECRET); unset: no such route. */
  smsInboundSecret?: string;
}

export function createApp(ctx: AppContext, options: AppOptions = {}): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', options.trustProxy ?? false);
  const metrics = createMetrics(ctx.db.pool, ctx.ingestion.metrics);
  const logger = options.logger ?? silentLogger;
  app.use(requestObservability(logger, metrics));
  const secure = ctx.publicUrl.startsWith('https:');
  app.use(securityHeaders(secure));
  app.use(urlGuard);
  // Every page form that changes something carries a token, checked here before any route (the citizen's lookup
  // changes nothing and is limited per address).
  // Exempt: the lookup changes nothing; the stop link's confirmation carries its own signed, unguessable token (a
  // forged form cannot know it, and no cookie is its authority).
  app.use(csrfProtection(secure, ['/tra-cuu', '/thu/ngung']));

  app.use(probesRouter(ctx, metrics, options.metricsToken));
  // The letters' font, served from the npm package: Tinos is metric-compatible with Times New Roman, so a letter
  // lays out the same on every machine (no system font assumed) and fits its A5 page.
  app.use('/assets/tinos', express.static(TINOS_DIR, { immutable: true, maxAge: '30d', index: false }));
  app.use(apiDocsRouter());
  app.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  // Published to everyone: a citizen's own dossier by code and phone digits, and each agency's monthly figures.
  app.use(
    publicRouter(ctx, { lookupAttempts: options.lookupAttempts, codeFailures: options.lookupCodeFailures, globalFailures: options.lookupGlobalFailures }),
  );
  app.use(citizenLinksRouter(ctx));

  const api = express.Router();
  api.use(calendarPublicRouter(ctx));
  // The SMS gateway's forwarded replies: its own shared secret, not an API key (routes/sms-inbound.ts).
  api.use(smsInboundRouter(ctx, options.smsInboundSecret));
  // Who is asking is settled before any body is read: an anonymous 10 MB upload is refused unread.
  api.use(authenticateCountingFailures(ctx, options.badKeyAttempts ?? 60));
  api.use(apiCsrfCheck(secure));
  api.use(catalogImportRouter(ctx, options.uploadLimits ?? DEFAULT_UPLOAD_LIMITS));
  // A calendar year file is a few kilobytes (at most 366 days): its own limit, far below the event batches'.
  api.post('/calendar/import', jsonOnly, express.json({ limit: CALENDAR_MAX_BYTES, strict: false }));
  api.put('/calendar/:year', jsonOnly, express.json({ limit: CALENDAR_MAX_BYTES, strict: false }));
  api.use(jsonOnly, express.json({ limit: '10mb', strict: false }), bodyTextGuard);
  api.use(keysRouter(ctx));
  api.use(usersRouter(ctx));
  api.use(eventsRouter(ctx));
  api.use(dossiersRouter(ctx));
  api.use(calendarAdminRouter(ctx));
  api.use(catalogRouter(ctx));
  api.use(supervisorsRouter(ctx));
  api.use(warningsRouter(ctx));
  api.use(apologyRouter(ctx));
  api.use(explanationsRouter(ctx));
  api.use(letterWorkflowRouter(ctx));
  api.use(reportsRouter(ctx, metrics));
  api.use(syncRouter(ctx));
  api.use(reconciliationRouter(ctx));
  app.use('/api/v1', api);
  const oidc = options.oidc && new OidcClient(options.oidc);
  if (oidc) app.use(ssoRouter(ctx, oidc, { logger }));
  app.use(
    sessionRouter(ctx, {
      loginAttempts: options.loginAttempts,
      keyWebSignIn: options.keyWebSignIn,
      lockout: options.lockout,
      ssoLabel: oidc?.settings.label,
      providerLogoutUrl: oidc && providerLogout(ctx, oidc),
    }),
  );
  app.use(accountRouter(ctx, { mailer: options.mailer, logger }));
  app.use(usersPageRouter(ctx));
  app.use(lettersRouter(ctx));
  app.use(adminRouter(ctx, options));
  app.use(searchPageRouter(ctx));
  app.use(dossierPageRouter(ctx));
  app.use(dashboardRouter(ctx));
  app.use(myWorkRouter(ctx));
  app.use(counterRouter(ctx));
  app.use(pagesRouter(ctx));

  // An address that leads nowhere: a signed-in person keeps their header on the 404 page (issue 28 item 7).
  const secureCookies = ctx.publicUrl.startsWith('https:');
  app.use(recogniseSession(ctx), (req, res) => {
    if (res.locals.scope) res.locals.csrf = csrfToken(req, res, secureCookies);
    throw new HttpError(404, `No route ${req.method} ${req.path}.`);
  });
  app.use(errorHandler(logger));
  return app;
}
