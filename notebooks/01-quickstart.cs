#!/usr/bin/env dotnet
// 01 · Quickstart: from a sign-in to a verified agent Passport — the same walk-through as 01-quickstart.ipynb, as a
// .NET 10 file-based app. Run it from the repository root:   dotnet run notebooks/01-quickstart.cs
// The #:project directives build the library from source; nothing is packed or installed.
#:project ../src/AgentPassport/AgentPassport.csproj
#:project ../src/AgentPassport.Testing/AgentPassport.Testing.csproj
#:property PublishAot=false

using System.Buffers.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using AgentPassport;
using AgentPassport.Testing;

const string IssuerUrl = "https://my-passport-issuer.example.com";   // who signs Passports (your service)
const string ClientId = "agent-passport-issuer";                       // your client id at the identity provider
const string FlightsMcp = "https://flights-mcp.example.com/";         // the tool server the Passport is for

// 1. The identity provider, simulated in memory: MockIdTokenMinter holds its signing key and mints ID tokens;
//    InMemoryOpenIdProvider answers its discovery document and JWKS. The library's real client reads them.
using var minter = new MockIdTokenMinter("https://login.example.gov", ClientId);
using var provider = new InMemoryOpenIdProvider(minter);
using var oidc = provider.CreateClient();
var metadata = await oidc.GetMetadataAsync();
Console.WriteLine("== 1. The identity provider");
Console.WriteLine($"issuer:     {metadata.Issuer}");
Console.WriteLine($"jwks_uri:   {metadata.JwksUri}");
Console.WriteLine($"algorithms: {string.Join(", ", metadata.IdTokenSigningAlgorithms)}");

// 2. The person signs in at IAL2: the provider returns an ID token. Print its claims, never the token itself.
Console.WriteLine("\n== 2. The person signs in: an IAL2 ID token");
string idToken = minter.Mint(new MockIdTokenOptions { Subject = "user-alice-pairwise", Acr = MockIdTokenOptions.Ial2 });
Console.WriteLine(Claims(idToken));

// 3. Validate the ID token; set up the Passport issuer, the verifier and the flights tool's policy.
Console.WriteLine("\n== 3. Validate the ID token; the issuer and the verifier");
var validator = new IdTokenValidator(oidc, new IdTokenValidatorOptions { ClientId = ClientId });
var identity = await validator.ValidateAsync(idToken);
Console.WriteLine($"principal:   {identity.Subject}");
Console.WriteLine($"ial/aal/fal: {identity.Levels?.Ial}/{identity.Levels?.Aal}/{identity.Levels?.Fal}");
using var keys = new InMemoryPassportKeyStore();
var issuer = new PassportIssuer(new PassportIssuerOptions { IssuerUrl = IssuerUrl, KeyStore = keys });
var verifier = new PassportVerifier(keys);
var policy = new VerificationPolicy(IssuerUrl, FlightsMcp) { RequireIal = 2, RequiredScope = "flights:book" };
Console.WriteLine($"signing key: {keys.CurrentSigningKey.Algorithm}, kid {keys.CurrentSigningKey.KeyId}");

// 4. Mint a root Passport for the agent.
Console.WriteLine("\n== 4. A root Passport for the agent");
var passport = await issuer.IssueAsync(validator, idToken, new RootPassportGrant
{
    AgentId = "agent:alice-booking-bot",
    AgentModel = "claude-opus-4-7",
    Audience = FlightsMcp,
    ToolScope = ["flights:search", "flights:book"],
    TaskPurpose = "Book SFO -> JFK on 2026-06-12",
});
Console.WriteLine(Claims(passport.Token));

// 5. The flights tool verifies it.
Console.WriteLine("\n== 5. The flights tool verifies it");
var verified = await verifier.VerifyAsync(passport.Token, policy, passport.ChainTokens);
Console.WriteLine(verified);

// 6. Failure: the Passport was not made for this service.
Console.WriteLine("\n== 6. Failure: another service's audience");
var hotelsPolicy = new VerificationPolicy(IssuerUrl, "https://hotels-mcp.example.com/") { RequireIal = 2 };
var wrongAudience = await verifier.ValidateAsync(passport.Token, hotelsPolicy, passport.ChainTokens);
Expect(!wrongAudience.Succeeded && wrongAudience.Error!.Kind == PassportErrorKind.AudienceMismatch, "expected AudienceMismatch");
Console.WriteLine($"{wrongAudience.Error!.Name} ({wrongAudience.Error.Code}): {wrongAudience.Error.Message}");

// 7. Failure: the sign-in was too weak.
Console.WriteLine("\n== 7. Failure: an IAL1 sign-in");
string ial1Token = minter.Mint(new MockIdTokenOptions { Subject = "user-bob-pairwise", Acr = IalAcrMapping.IalPrefix + "1" });
var weak = await issuer.IssueAsync(validator, ial1Token, new RootPassportGrant
{
    AgentId = "agent:bob-booking-bot", AgentModel = "claude-opus-4-7", Audience = FlightsMcp, ToolScope = ["flights:book"],
});
var tooWeak = await verifier.ValidateAsync(weak.Token, policy, weak.ChainTokens);
Expect(!tooWeak.Succeeded && tooWeak.Error!.Kind == PassportErrorKind.IALInsufficient, "expected IALInsufficient");
Console.WriteLine($"minted with IAL {weak.Passport.Ial}");
Console.WriteLine($"{tooWeak.Error!.Name} ({tooWeak.Error.Code}): {tooWeak.Error.Message}");
Console.WriteLine("\nDone.");

// Shows the claims (payload) of a compact JWT/JWS, indented. Display only: nothing here is verified.
static string Claims(string compact)
{
    using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(compact.Split('.')[1]));
    return JsonSerializer.Serialize(payload.RootElement, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
}

static void Expect(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException(what);
    }
}
