-- Single sign-on (OpenID Connect): a sign-in under way, from the redirect to the provider to its callback. The
-- browser holds a random binding cookie (only its hash is here), so a callback URL made in another browser (login
-- CSRF) finds nothing; state, nonce and the PKCE verifier are checked against the provider's answer; a row is used
-- once and lives 10 minutes.
CREATE TABLE sso_logins (
  binding_hash  text PRIMARY KEY,
  state         text NOT NULL,
  nonce         text NOT NULL,
  code_verifier text NOT NULL,
  next          text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL,
  used_at       timestamptz
);
