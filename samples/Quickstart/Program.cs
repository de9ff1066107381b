// Quickstart: from a person's sign-in (an OpenID Connect ID token) to a verified agent Passport, and two typed failures.
// Runs offline: the OpenID provider is the in-process mock from AgentPassport.Testing, on 127.0.0.1.
using AgentPassport;
using AgentPassport.Testing;
using static AgentPassport.Samples.SampleConsole;

const string IssuerUrl = "https://my-passport-issuer.example.com";
const string ClientId = "agent-passport-issuer";
const string FlightsMcp = "https://flights-mcp.example.com/";
const string Ial1 = IalAcrMapping.IalPrefix + "1";

Section("1. Start the identity provider (an in-process mock OpenID provider on loopback)");
await using var provider = await MockOpenIdProvider.StartNewAsync(new MockOpenIdProviderOptions { ClientId = ClientId });
using var oidc = new OpenIdProviderClient(new OpenIdProviderClientOptions { DiscoveryUrl = provider.DiscoveryUrl });
var metadata = await oidc.GetMetadataAsync();
var providerKeys = await oidc.GetSigningKeysAsync();
Field("issuer", metadata.Issuer);
Field("jwks_uri", metadata.JwksUri);
Field("algorithms", string.Join(", ", metadata.IdTokenSigningAlgorithms));
Field("jwks keys", providerKeys.Count);

Section("2. The person signs in: OAuth 2.0 code flow with PKCE, loopback redirect (IAL2)");
Note("LoopbackLogin listens on 127.0.0.1, sends the browser to the provider, receives the code, redeems it with the");
Note("PKCE verifier and validates the ID token (signature, issuer, audience, lifetime, nonce, acr). The mock provider");
Note("approves at once; here an HttpClient plays the browser instead of opening a real one.");
provider.Subject = "user-alice-pairwise";
provider.Acr = MockIdTokenOptions.Ial2;
var validator = new IdTokenValidator(oidc, new IdTokenValidatorOptions { ClientId = ClientId });
using var browser = new HttpClient();
Task? browsing = null;
var login = await new LoopbackLogin(validator, new LoopbackLoginOptions
{
    RedirectUri = new Uri("http://127.0.0.1:0/callback"),                    // port 0: any free loopback port
    OpenBrowser = url => { browsing = browser.GetAsync(url); return true; },
    ShowUrl = _ => { },                                                       // nobody needs to copy the URL here
}).LoginAsync();
await browsing!;
Json(Payload(login.IdToken));
var identity = login.Identity;
Field("principal", identity.Subject);
Field("acr", identity.Acr);
Field("ial/aal/fal", $"{identity.Levels?.Ial}/{identity.Levels?.Aal}/{identity.Levels?.Fal}");

Section("3. Set up the Passport issuer and a verifier with the flights tool's policy");
using var keys = new InMemoryPassportKeyStore();                 // ES256; kid = RFC 7638 thumbprint
var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys });
var verifier = new PassportVerifier(keys);
var policy = new VerificationPolicy(IssuerUrl, FlightsMcp) { RequireIal = 2, RequiredScope = "flights:book" };
Field("issuer url", issuer.IssuerUrl);
Field("signing key", $"{keys.CurrentSigningKey.Algorithm}, kid {keys.CurrentSigningKey.KeyId}");
Field("policy", $"aud {policy.Audience}, IAL >= {policy.RequireIal}, scope {policy.RequiredScope}");

Section("4. Issue a root Passport to the agent for the signed-in person");
var grant = new RootPassportGrant
{
    AgentId = "agent:alice-booking-bot",
    AgentModel = "claude-opus-4-7",
    Audience = FlightsMcp,
    ToolScope = ["flights:search", "flights:book"],
    TaskPurpose = "Book SFO -> JFK on 2026-06-12",
};
var passport = issuer.Issue(grant.ToRequest(identity));
Note("The decoded payload (the token itself is never printed):");
Json(Payload(passport.Token));

Section("5. The flights tool verifies the Passport against its policy");
var verified = await verifier.VerifyAsync(passport.Token, policy, passport.ChainTokens);
var p = verified.Passport;
Field("result", "OK");
Field("sub", p.Subject);
Field("ial/aal/fal", $"{p.Ial}/{p.Aal}/{p.Fal}");
Field("agent", $"{p.AgentId} ({p.AgentModel})");
Field("scope", List(p.ToolScope.ToStrings()));
Field("purpose", p.TaskPurpose);
Field("exp", p.ExpiresAt.ToString("u"));

Section("6. Failure demo: a service with another audience refuses it");
var otherPolicy = new VerificationPolicy(IssuerUrl, "https://hotels-mcp.example.com/") { RequireIal = 2 };
var wrongAudience = await verifier.ValidateAsync(passport.Token, otherPolicy, passport.ChainTokens);
Field("result", wrongAudience.Succeeded ? "OK (unexpected!)" : $"{wrongAudience.Error!.Name} ({wrongAudience.Error.Code})");
Field("message", wrongAudience.Error?.Message);

Section("7. Failure demo: an IAL1 sign-in cannot meet the IAL2 policy");
Note("An ID token minted directly at IAL1; IssueAsync validates it and mints in one call.");
string ial1Token = provider.MintIdToken(subject: "user-bob-pairwise", acr: Ial1);
var weak = await issuer.IssueAsync(validator, ial1Token, grant);
Note($"The issuer mints it (IAL {weak.Passport.Ial}); the verifier's IAL floor is what refuses it.");
var tooWeak = await verifier.ValidateAsync(weak.Token, policy, weak.ChainTokens);
Field("result", tooWeak.Succeeded ? "OK (unexpected!)" : $"{tooWeak.Error!.Name} ({tooWeak.Error.Code})");
Field("message", tooWeak.Error?.Message);

Done();
return wrongAudience.Succeeded || tooWeak.Succeeded ? 1 : 0;
