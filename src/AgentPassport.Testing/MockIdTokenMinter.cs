using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentPassport.Testing;

/// <summary>
/// Holds a test OpenID provider's signing keys, publishes them as a JWKS and mints ID tokens with chosen claims.
/// Used by <see cref="MockOpenIdProvider"/> and <see cref="FaultyHttpServer"/>; usable on its own for offline tests. Thread-safe.
/// </summary>
public sealed class MockIdTokenMinter : IDisposable
{
    private readonly object _gate = new();
    private readonly List<MockSigningKey> _keys = [];
    private MockSigningKey _current;
    private string? _issuer;

    /// <summary>Initializes a minter with one fresh signing key.</summary>
    /// <param name="issuer">The <c>iss</c> of minted tokens.</param>
    /// <param name="clientId">The default <c>aud</c>.</param>
    /// <param name="timeProvider">The clock for <c>iat</c>/<c>exp</c>; default the system clock.</param>
    /// <param name="algorithm">ES256 (default), RS256 or PS256.</param>
    public MockIdTokenMinter(string issuer, string clientId, TimeProvider? timeProvider = null, string algorithm = "ES256")
        : this(clientId, timeProvider, algorithm)
    {
        ArgumentException.ThrowIfNullOrEmpty(issuer);
        _issuer = issuer;
    }

    /// <summary>Initializes the minter of a loopback server whose issuer is known only once it listens.</summary>
    internal MockIdTokenMinter(string clientId, TimeProvider? timeProvider, string algorithm)
    {
        ArgumentException.ThrowIfNullOrEmpty(clientId);
        ClientId = clientId;
        TimeProvider = timeProvider ?? TimeProvider.System;
        _current = NewKey(algorithm);
        _keys.Add(_current);
    }

    /// <summary>Gets or sets the <c>iss</c> of minted tokens.</summary>
    /// <exception cref="InvalidOperationException">Read before the provider that owns this minter was started.</exception>
    public string Issuer
    {
        get => Volatile.Read(ref _issuer) ?? throw NotStarted();
        set
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            Volatile.Write(ref _issuer, value);
        }
    }

    /// <summary>Gets the default audience.</summary>
    public string ClientId { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the <c>kid</c> of the key that signs now.</summary>
    public string CurrentKeyId
    {
        get
        {
            lock (_gate)
            {
                return _current.KeyId;
            }
        }
    }

    /// <summary>Gets the algorithm of the key that signs now.</summary>
    public string CurrentAlgorithm
    {
        get
        {
            lock (_gate)
            {
                return _current.Algorithm;
            }
        }
    }

    /// <summary>Makes a new key the signing key.</summary>
    /// <param name="keepPrevious">Whether the JWKS keeps publishing the older keys (graceful rotation) or drops them.</param>
    /// <param name="algorithm">The new key's algorithm, or null for the current one's.</param>
    /// <returns>The new key id.</returns>
    public string RotateKey(bool keepPrevious = true, string? algorithm = null)
    {
        lock (_gate)
        {
            var key = NewKey(algorithm ?? _current.Algorithm);
            if (!keepPrevious)
            {
                foreach (var old in _keys)
                {
                    old.Dispose();
                }

                _keys.Clear();
            }

            _keys.Add(key);
            _current = key;
            return key.KeyId;
        }
    }

    /// <summary>Gets the public JWKS document (<c>{"keys":[…]}</c>) of the published keys.</summary>
    /// <returns>The JSON text.</returns>
    public string GetJwksJson()
    {
        lock (_gate)
        {
            var keys = new JsonArray([.. _keys.Select(k => (JsonNode)k.Jwk.DeepClone())]);
            return new JsonObject { ["keys"] = keys }.ToJsonString();
        }
    }

    /// <summary>Mints a signed ID token.</summary>
    /// <param name="options">The claims; null for the defaults (alice, IAL2, 5 minutes).</param>
    /// <returns>The compact JWS.</returns>
    public string Mint(MockIdTokenOptions? options = null)
    {
        options ??= new MockIdTokenOptions();
        // A token minted before the provider listens would name an issuer no client can discover.
        string issuer = Issuer;
        var now = DateTimeOffset.FromUnixTimeSeconds(TimeProvider.GetUtcNow().ToUnixTimeSeconds());
        var iat = options.IssuedAt ?? now;
        var payload = new JsonObject
        {
            ["iss"] = options.Issuer ?? issuer,
            ["sub"] = options.Subject,
            ["aud"] = options.Audiences is { Count: > 1 } many ? new JsonArray([.. many.Select(a => (JsonNode)JsonValue.Create(a)!)]) : (options.Audiences?[0] ?? ClientId),
            ["iat"] = iat.ToUnixTimeSeconds(),
            ["nbf"] = (options.NotBefore ?? iat).ToUnixTimeSeconds(),
            ["exp"] = (iat + options.Lifetime).ToUnixTimeSeconds(),
            ["auth_time"] = iat.ToUnixTimeSeconds(),
        };
        Set(payload, "acr", options.Acr);
        Set(payload, "nonce", options.Nonce);
        Set(payload, "azp", options.AuthorizedParty);

        Merge(payload, options.ExtraClaims);
        MockSigningKey key;
        lock (_gate)
        {
            key = _current;
        }

        var header = new JsonObject { ["alg"] = key.Algorithm, ["kid"] = options.KeyId ?? key.KeyId, ["typ"] = "JWT" };
        Merge(header, options.ExtraHeader);
        return Sign(key, header.ToJsonString(), payload.ToJsonString());
    }

    /// <summary>
    /// Signs exactly the given header and payload JSON text with the current key, for negative tests of JSON a
    /// serializer would refuse to write (an escaped lone surrogate, a duplicate member). Nothing is checked or added.
    /// </summary>
    /// <param name="headerJson">The header text; use <see cref="CurrentKeyId"/> and <see cref="CurrentAlgorithm"/> for a token that reaches the signature check.</param>
    /// <param name="payloadJson">The payload text.</param>
    /// <returns>The compact JWS.</returns>
    public string SignRaw(string headerJson, string payloadJson)
    {
        ArgumentNullException.ThrowIfNull(headerJson);
        ArgumentNullException.ThrowIfNull(payloadJson);
        MockSigningKey key;
        lock (_gate)
        {
            key = _current;
        }

        return Sign(key, headerJson, payloadJson);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var key in _keys)
            {
                key.Dispose();
            }

            _keys.Clear();
        }
    }

    private static InvalidOperationException NotStarted() =>
        new("The mock OpenID provider is not started: call StartAsync (or create it with StartNewAsync) before minting; its issuer names the port it listens on.");

    private static string Sign(MockSigningKey key, string headerJson, string payloadJson)
    {
        string signingInput = MockSigningKey.B64(Encoding.UTF8.GetBytes(headerJson)) + "." + MockSigningKey.B64(Encoding.UTF8.GetBytes(payloadJson));
        return signingInput + "." + MockSigningKey.B64(key.Sign(Encoding.ASCII.GetBytes(signingInput)));
    }

    private static MockSigningKey NewKey(string algorithm) =>
        new(algorithm, MockSigningKey.B64(RandomNumberGenerator.GetBytes(12)));

    private static void Set(JsonObject obj, string name, string? value)
    {
        if (value is not null)
        {
            obj[name] = value;
        }
    }

    private static void Merge(JsonObject target, IReadOnlyDictionary<string, object?>? extra)
    {
        if (extra is null)
        {
            return;
        }

        foreach (var (name, value) in extra)
        {
            if (value is null)
            {
                target.Remove(name);
            }
            else
            {
                target[name] = JsonSerializer.SerializeToNode(value);
            }
        }
    }
}
