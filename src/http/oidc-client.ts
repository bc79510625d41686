/**
 * The province's OpenID Connect provider, as openid-client sees it: discovered once, on first use (a provider down
 * at start-up does not stop the service; the sign-in page then says so), and kept. Plain http is accepted only for
 * a loopback issuer (a provider on the same machine, and the tests').
 */
import * as oidc from 'openid-client';
import type { OidcSettings } from '../config.js';

export class OidcClient {
  private discovered: Promise<oidc.Configuration> | undefined;
  /** Set once discovered: the provider's sign-out needs it synchronously. */
  private config: oidc.Configuration | undefined;

  constructor(readonly settings: OidcSettings) {}

  async configuration(): Promise<oidc.Configuration> {
    this.discovered ??= (async () => {
      const issuer = new URL(this.settings.issuer);
      const loopback = issuer.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(issuer.hostname);
      // The ID token's signature is checked against the provider's published keys even though it comes straight
      // from the token endpoint (OIDC Core 3.1.3.7 would let TLS stand in for it): a token signed by another key
      // (issue 28) is refused, whatever the transport.
      const execute = [oidc.enableNonRepudiationChecks, ...(loopback ? [oidc.allowInsecureRequests] : [])];
      const config = await oidc.discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, { execute });
      this.config = config;
      return config;
    })().catch((err) => {
      this.discovered = undefined; // try again on the next sign-in
      throw err;
    });
    return this.discovered;
  }

  /** The provider's sign-out for the session its ID token opened, back to our sign-in page; undefined when it offers none. */
  endSessionUrl(idToken: string, postLogoutRedirect: string): string | undefined {
    if (!this.config?.serverMetadata().end_session_endpoint) return undefined;
    return oidc.buildEndSessionUrl(this.config, { id_token_hint: idToken, post_logout_redirect_uri: postLogoutRedirect }).href;
  }
}
