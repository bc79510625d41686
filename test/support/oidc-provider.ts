/**
 * A real OpenID Connect provider (the `oidc-provider` package) on loopback, standing in for the province's: its
 * development sign-in form accepts any login (the account id) with any password, then asks for consent. Accounts
 * and their claims are given by the test; so are the signing keys, and a key id, so that a second provider at the
 * same address can sign with another key under the same id. Its storage is a Map the test can reach, to expire the
 * authorization codes it has issued.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

export interface TestProvider {
  issuer: string;
  expireAuthorizationCodes(): void;
  close(): Promise<void>;
}

/** What the provider keeps (sessions, interactions, codes, grants), in memory. */
class MapAdapter {
  static store = new Map<string, { payload: Record<string, unknown>; name: string }>();
  constructor(private readonly name: string) {}
  private key(id: string) {
    return `${this.name}:${id}`;
  }
  async upsert(id: string, payload: Record<string, unknown>) {
    MapAdapter.store.set(this.key(id), { payload, name: this.name });
  }
  async find(id: string) {
    return MapAdapter.store.get(this.key(id))?.payload;
  }
  async findByUid(uid: string) {
    for (const v of MapAdapter.store.values()) if (v.name === this.name && v.payload.uid === uid) return v.payload;
    return undefined;
  }
  async findByUserCode() {
    return undefined;
  }
  async consume(id: string) {
    const v = MapAdapter.store.get(this.key(id));
    if (v) v.payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    MapAdapter.store.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const [k, v] of MapAdapter.store) if (v.payload.grantId === grantId) MapAdapter.store.delete(k);
  }
}

export async function startProvider(options: {
  port: number;
  appBase: string;
  clientSecret: string;
  accounts: Record<string, Record<string, unknown>>;
  keyId?: string;
}): Promise<TestProvider> {
  const issuer = `http://127.0.0.1:${options.port}`;
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), kid: options.keyId ?? 'province-key-1', alg: 'RS256', use: 'sig' };
  MapAdapter.store = new Map();
  const provider = new Provider(issuer, {
    adapter: MapAdapter,
    clients: [
      {
        client_id: 'dunghan',
        client_secret: options.clientSecret,
        redirect_uris: [`${options.appBase}/sso/callback`],
        post_logout_redirect_uris: [`${options.appBase}/login`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile', 'dunghan'],
    claims: { openid: ['sub'], email: ['email'], profile: ['name'], dunghan: ['dunghan_roles', 'dunghan_agencies'] },
    // The claims of the granted scopes in the ID token itself, as the province's provider is set up to do.
    conformIdTokenClaims: false,
    findAccount: async (_ctx: unknown, id: string) => ({ accountId: id, claims: async () => ({ sub: id, ...(options.accounts[id] ?? {}) }) }),
    cookies: { keys: ['a cookie key of the test provider'] },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  });
  const server: Server = await new Promise((resolve) => {
    const s = createServer(provider.callback()).listen(options.port, '127.0.0.1', () => resolve(s));
  });
  return {
    issuer,
    expireAuthorizationCodes: () => {
      for (const v of MapAdapter.store.values()) if (v.name === 'AuthorizationCode') v.payload.exp = Math.floor(Date.now() / 1000) - 60;
    },
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
