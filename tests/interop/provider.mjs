// A real OpenID provider (the certified npm package oidc-provider) for the Agent Passport interop tests.
// Usage: node provider.mjs [port]   (port 0 or absent = a free port; env PORT also works)
// Binds 127.0.0.1 only. Prints one line "OIDC_PROVIDER_READY <issuer>" when it accepts requests.
// Every start generates fresh signing keys (RS256 and ES256), so restarting on the same port rotates the keys.
// acr appears in an ID token only when requested (acr_values or claims), like any default certified provider.
import { createServer } from 'node:http';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import Provider from 'oidc-provider';

const ACR = process.env.ACR ?? 'http://idmanagement.gov/ns/assurance/ial/2';
const CLIENT_ID = process.env.CLIENT_ID ?? 'agent-passport-interop';
const ID_TOKEN_ALG = process.env.ID_TOKEN_ALG ?? 'RS256';
const port = Number(process.argv[2] ?? process.env.PORT ?? 0);

function signingKey(type, options, alg) {
  const jwk = generateKeyPairSync(type, options).privateKey.export({ format: 'jwk' });
  return { ...jwk, use: 'sig', alg, kid: `${alg.toLowerCase()}-${randomBytes(6).toString('hex')}` };
}

const server = createServer();
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(port, '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: CLIENT_ID,
    application_type: 'native', // RFC 8252: any port on a loopback redirect URI
    token_endpoint_auth_method: 'none', // a public client; PKCE is required for it
    redirect_uris: ['http://127.0.0.1/callback', 'http://localhost/callback'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    id_token_signed_response_alg: ID_TOKEN_ALG,
  }],
  jwks: {
    keys: [
      signingKey('rsa', { modulusLength: 2048 }, 'RS256'),
      signingKey('ec', { namedCurve: 'P-256' }, 'ES256'),
    ],
  },
  acrValues: [ACR],
  // The package's default claims: acr is a protocol claim sent only when the client requests it (acr_values or the
  // claims parameter), as a default certified provider does. Never list it under a scope here: that hides clients
  // that forget to ask for it.
  pkce: { required: () => true },
  features: { devInteractions: { enabled: true } },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => ({ sub: id }) }),
});

// devInteractions sign the user in without an acr; stamp every login with the configured one
// (a real CSP sets it from how the user was proofed and authenticated).
const finished = provider.interactionFinished.bind(provider);
provider.interactionFinished = (req, res, result, options) => {
  if (result?.login) {
    result.login.acr = ACR;
    result.login.amr = ['pwd'];
  }
  return finished(req, res, result, options);
};

server.on('request', provider.callback());
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
console.log(`OIDC_PROVIDER_READY ${issuer}`);
