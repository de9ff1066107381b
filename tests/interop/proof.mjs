// An independent implementation of Agent Passport proofs (spec v1.1 §11) with panva `jose`, for the interop tests:
// proofs made here must verify in the .NET library and CLI, and proofs made there must verify here.
//
//   node proof.mjs keygen            → {"privateJwk":…,"publicJwk":…,"jkt":…}   (ES256)
//   node proof.mjs sign   < request  → the compact proof        request: {privateJwk, token, aud, op?|htm+htu, args?, tamper?}
//   node proof.mjs verify < request  → {"ok":true,…} exit 0, or {"ok":false,"reason":…} exit 1
//                                       request: {proof, token, jkt, aud, op?|htm+htu, args?, windowSeconds?}
//
// tamper (for refusal tests): "typ" (typ dpop+jwt), "ath" (hash of another token), "privateJwk" (the private key in
// the header), "alg-none-style" is not offered: jose refuses to make one.
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, jwtVerify, EmbeddedJWK, SignJWT, base64url } from 'jose';
import { createHash, randomBytes } from 'node:crypto';

const TYP = 'agent-passport-proof+jwt';

const sha256 = (text) => base64url.encode(createHash('sha256').update(text, 'utf8').digest());

// RFC 8785 (JCS): keys sorted by UTF-16 code units, ECMAScript number and string serialization.
function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return '[' + value.map(canonical).join(',') + ']';
  return '{' + Object.keys(value).sort().map((k) => JSON.stringify(k) + ':' + canonical(value[k])).join(',') + '}';
}

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

async function keygen() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const publicJwk = await exportJWK(publicKey);
  return { privateJwk, publicJwk, jkt: await calculateJwkThumbprint(publicJwk, 'sha256') };
}

async function sign(r) {
  const { d, ...publicJwk } = r.privateJwk;
  const key = await importJWK(r.privateJwk, 'ES256');
  const claims = { jti: base64url.encode(randomBytes(16)), aud: r.aud, ath: sha256(r.tamper === 'ath' ? r.token + 'x' : r.token) };
  if (r.op !== undefined) claims.op = r.op;
  if (r.htm !== undefined) { claims.htm = r.htm; claims.htu = r.htu; }
  if (r.args !== undefined) claims.args = sha256(canonical(r.args));
  const header = {
    alg: 'ES256',
    typ: r.tamper === 'typ' ? 'dpop+jwt' : TYP,
    jwk: r.tamper === 'privateJwk' ? r.privateJwk : publicJwk,
  };
  return new SignJWT(claims).setProtectedHeader(header).setIssuedAt().sign(key);
}

async function verify(r) {
  // EmbeddedJWK refuses a header jwk that is not a public key; typ and alg are pinned.
  const { payload, protectedHeader } = await jwtVerify(r.proof, EmbeddedJWK, { typ: TYP, algorithms: ['ES256', 'RS256', 'PS256'] });
  const fail = (reason) => { throw new Error(reason); };
  if ((await calculateJwkThumbprint(protectedHeader.jwk, 'sha256')) !== r.jkt) fail('the proof key is not the bound holder key (jkt)');
  if (payload.ath !== sha256(r.token)) fail('ath is not the hash of the presented Passport');
  if (payload.aud !== r.aud) fail('aud does not match');
  if (r.op !== undefined && payload.op !== r.op) fail('op does not match');
  if (r.htm !== undefined && (payload.htm !== r.htm || payload.htu !== r.htu)) fail('htm/htu do not match');
  if (r.args !== undefined && payload.args !== sha256(canonical(r.args))) fail('args do not match');
  if (typeof payload.jti !== 'string' || base64url.decode(payload.jti).length < 12) fail('jti is missing or under 96 bits');
  const window = r.windowSeconds ?? 60;
  if (!Number.isInteger(payload.iat) || Math.abs(Date.now() / 1000 - payload.iat) > window) fail('iat outside the window');
  return { ok: true, jti: payload.jti, op: payload.op ?? null, args: payload.args ?? null };
}

const command = process.argv[2];
try {
  let result;
  if (command === 'keygen') result = await keygen();
  else if (command === 'sign') { process.stdout.write(await sign(await readStdin())); process.exit(0); }
  else if (command === 'verify') result = await verify(await readStdin());
  else throw new Error('usage: node proof.mjs keygen|sign|verify');
  process.stdout.write(JSON.stringify(result));
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, reason: String(e.message ?? e) }));
  process.exit(1);
}
