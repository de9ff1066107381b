using System.Security.Cryptography;
using AgentPassport.Jose;

namespace AgentPassport;

/// <summary>
/// Mints root Passports from a validated identity and child Passports from a verified parent (spec §4).
/// A child can only narrow its parent, by the same <see cref="AttenuationRules"/> chain verification applies: scopes
/// covered by the parent's, expiry clamped to the parent's, levels kept or lowered, depth one more and within the cap.
/// Thread-safe.
/// </summary>
public sealed class PassportIssuer
{
    [ThreadStatic]
    private static byte[]? t_randomPool;

    [ThreadStatic]
    private static int t_randomUsed;

    private readonly PassportIssuerOptions _options;
    private readonly IPassportKeyStore _keys;
    private readonly PassportProofVerifier _parentProofs;

    /// <summary>Initializes an issuer.</summary>
    /// <param name="options">The configuration; checked now.</param>
    public PassportIssuer(PassportIssuerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _keys = options.KeyStore!;

        // The proof that accompanies a delegation from a bound parent is checked like any proof, at the issuer's URL; any
        // holder algorithm the library supports is accepted (the thumbprint pins the exact key the parent was bound to).
        var proofPolicy = new VerificationPolicy(options.IssuerUrl, options.IssuerUrl)
        {
            ProofWindow = options.ProofWindow,
            AllowedProofAlgorithms = new HashSet<string>([PassportAlgorithms.ES256, PassportAlgorithms.RS256, PassportAlgorithms.PS256]),
        };
        _parentProofs = new PassportProofVerifier(proofPolicy, options.ReplayCache ?? new InMemoryPassportReplayCache(timeProvider: options.TimeProvider), options.TimeProvider);
    }

    /// <summary>Gets the issuer URL written to <c>iss</c>.</summary>
    public string IssuerUrl => _options.IssuerUrl;

    /// <summary>Gets the key store that signs.</summary>
    public IPassportKeyStore KeyStore => _keys;

    /// <summary>Mints a root Passport for an agent acting for the principal of <see cref="RootPassportRequest.Identity"/>.</summary>
    /// <param name="request">What to grant.</param>
    /// <returns>The Passport.</returns>
    /// <exception cref="AgentPassportException">The request is refused (<see cref="PassportErrorKind.IssuanceRefused"/>): malformed scopes, a TTL ≤ 0 or over the cap, empty ids, an agent id, model or purpose with control characters or over its cap (<see cref="PassportLimits"/>), a token over the 16 KiB size cap.</exception>
    public IssuedPassport Issue(RootPassportRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Identity);
        RequireText(request.AgentId, "agent id");
        RequireText(request.AgentModel, "agent model");
        RequireText(request.Audience, "audience");
        ClaimTextRules.CheckAll(request.AgentId, request.AgentModel, request.TaskPurpose);
        var scopes = ParseScopes(request.ToolScope);
        var constraints = CheckConstraintKeys(request.Constraints, scopes);
        CheckHolderThumbprint(request.HolderThumbprint);
        var ttl = request.Ttl ?? _options.DefaultRootTtl;
        if (ttl <= TimeSpan.Zero || ttl > _options.MaxRootTtl)
        {
            throw Refused($"the TTL must be positive and at most {_options.MaxRootTtl.TotalHours:0.##} h");
        }

        if (request.MaxDepth is int maxDepth && (maxDepth < 0 || maxDepth > _options.MaxChainDepth))
        {
            throw Refused($"max_depth must be 0..{_options.MaxChainDepth}");
        }

        var now = Now();
        var levels = request.Identity.Levels;
        var passport = new Passport
        {
            Issuer = _options.IssuerUrl,
            Subject = request.Identity.Subject,
            Audience = request.Audience,
            IssuedAt = now,
            NotBefore = now,
            ExpiresAt = Expiry(now, ttl),
            TokenId = NewTokenId(),
            Acr = request.Identity.Acr,
            Ial = levels?.Ial,
            Aal = levels?.Aal,
            Fal = levels?.Fal,
            Actor = new PassportActor(request.AgentId),
            AgentId = request.AgentId,
            AgentModel = request.AgentModel,
            ToolScope = scopes,
            TaskPurpose = request.TaskPurpose,
            MaxDepth = request.MaxDepth,
            Constraints = constraints,
            HolderThumbprint = request.HolderThumbprint,
        };

        return new IssuedPassport(Sign(passport), passport, []);
    }

    /// <summary>Mints a child Passport for a sub-agent from a verified parent at any depth.</summary>
    /// <param name="parent">The verified parent, with its chain.</param>
    /// <param name="request">What to grant; it must narrow the parent.</param>
    /// <returns>The child Passport, with the chain to present alongside it.</returns>
    /// <exception cref="AgentPassportException">
    /// <see cref="PassportErrorKind.ScopeAttenuation"/> when a scope is not covered by the parent's;
    /// <see cref="PassportErrorKind.IssuanceRefused"/> for a depth beyond the cap, raised levels, a bad TTL, an expired parent,
    /// a parent of another issuer, or a token over the 16 KiB size cap.
    /// </exception>
    /// <remarks>
    /// A holder-bound parent needs <see cref="DelegationRequest.ParentProof"/> (checked here, its <c>jti</c> recorded in
    /// <see cref="PassportIssuerOptions.ReplayCache"/>). With a replay cache that answers asynchronously (Redis), call
    /// <see cref="DelegateAsync"/>: this method waits for it.
    /// </remarks>
    public IssuedPassport Delegate(VerifiedPassport parent, DelegationRequest request)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(request);
        var proof = CheckParentProofAsync(parent, request, CancellationToken.None);
        return Mint(parent, request, proof.IsCompletedSuccessfully ? proof.Result : proof.AsTask().GetAwaiter().GetResult());
    }

    /// <summary>Mints a child Passport for a sub-agent from a verified parent, checking a bound parent's proof (spec v1.1 §11) without blocking.</summary>
    /// <param name="parent">The verified parent, with its chain.</param>
    /// <param name="request">What to grant; it must narrow the parent.</param>
    /// <param name="cancellationToken">Cancels the replay-cache check.</param>
    /// <returns>The child Passport, with the chain to present alongside it.</returns>
    /// <exception cref="AgentPassportException">As <see cref="Delegate"/>; for a bound parent also <see cref="PassportErrorKind.ProofRequired"/>, <see cref="PassportErrorKind.InvalidProof"/>, <see cref="PassportErrorKind.HolderMismatch"/>, <see cref="PassportErrorKind.ReplayDetected"/> or <see cref="PassportErrorKind.ReplayCacheUnavailable"/>.</exception>
    public async ValueTask<IssuedPassport> DelegateAsync(VerifiedPassport parent, DelegationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        ArgumentNullException.ThrowIfNull(request);
        return Mint(parent, request, await CheckParentProofAsync(parent, request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// Checks that the requester holds a bound parent's key: a proof with <c>aud</c> = this issuer, <c>ath</c> = the
    /// parent's hash, <c>op</c> = <c>delegate</c>. Without it a thief holding a parent token could mint a child bound to the
    /// thief's own key. An unbound parent needs none.
    /// </summary>
    private ValueTask<PassportProofResult> CheckParentProofAsync(VerifiedPassport parent, DelegationRequest request, CancellationToken cancellationToken) =>
        parent.Passport.IsHolderBound
            ? _parentProofs.VerifyAsync(parent, request.ParentProof, PassportProofExpectation.ForOperation(_options.IssuerUrl, PassportProof.DelegateOperation), cancellationToken)
            : ValueTask.FromResult(PassportProofResult.NotNeeded);

    private IssuedPassport Mint(VerifiedPassport parent, DelegationRequest request, PassportProofResult parentProof)
    {
        RequireText(request.AgentId, "agent id");
        RequireText(request.AgentModel, "agent model");
        RequireText(request.Audience, "audience");
        ClaimTextRules.CheckAll(request.AgentId, request.AgentModel, request.TaskPurpose);
        var p = parent.Passport;
        RevocationRule.ThrowIfRevoked(_options.Revocations, parent);

        // Spec v1.1 §10: a chain has one issuer; cross-issuer delegation is out of scope.
        if (!AttenuationRules.KeepsIssuer(_options.IssuerUrl, p.Issuer))
        {
            throw Refused($"the parent was issued by '{p.Issuer}', not by this issuer ('{_options.IssuerUrl}'); a chain keeps one issuer");
        }

        if (!parentProof.Succeeded)
        {
            throw new AgentPassportException(parentProof.Error);
        }

        CheckHolderThumbprint(request.HolderThumbprint);
        if (p.IsHolderBound && request.HolderThumbprint is null)
        {
            throw Refused("the parent is bound to a holder key, so the child must be bound too: set DelegationRequest.HolderThumbprint to the sub-agent's own key");
        }

        var scopes = ParseScopes(request.ToolScope);
        var constraints = CheckConstraintKeys(request.Constraints, scopes);
        if (!AttenuationRules.CapabilitiesCovered(scopes, constraints, p.ToolScope, p.Constraints, out var gap))
        {
            throw new AgentPassportException(new PassportError(PassportErrorKind.ScopeAttenuation, gap.IsConstraint
                ? gap.Describe()
                : $"'{gap.Scope.Value}' is not covered by the parent's scopes {Passport.JsonList(p.ToolScope.ToStrings())}", details: gap.Details()));
        }

        int depth = p.Depth + 1;
        if (depth > _options.MaxChainDepth)
        {
            throw Refused($"delegation depth {depth} exceeds the cap of {_options.MaxChainDepth}");
        }

        int? maxDepth = ChildMaxDepth(p.MaxDepth, request.MaxDepth);
        var (ial, aal, fal) = ChildLevels(p, request.LowerLevels);

        var ttl = request.Ttl ?? _options.DefaultChildTtl;
        if (ttl <= TimeSpan.Zero || ttl > _options.MaxRootTtl)
        {
            throw Refused($"the TTL must be positive and at most {_options.MaxRootTtl.TotalHours:0.##} h");
        }

        var now = Now();
        if (now >= p.ExpiresAt)
        {
            throw Refused("the parent Passport has expired");
        }

        var exp = AttenuationRules.ClampExpiry(Expiry(now, ttl), p.ExpiresAt);
        var child = new Passport
        {
            Issuer = _options.IssuerUrl,
            Subject = p.Subject,
            Audience = request.Audience,
            IssuedAt = now,
            NotBefore = now,
            ExpiresAt = exp,
            TokenId = NewTokenId(),
            Acr = p.Acr,
            Ial = ial,
            Aal = aal,
            Fal = fal,
            Actor = AttenuationRules.ChildActor(request.AgentId, p.Actor),
            AgentId = request.AgentId,
            AgentModel = request.AgentModel,
            ToolScope = scopes,
            TaskPurpose = request.TaskPurpose,
            ParentJti = p.TokenId,
            ParentHash = Segments.Hash(parent.Token),
            MaxDepth = maxDepth,
            Constraints = constraints,
            HolderThumbprint = request.HolderThumbprint,
        };

        var chain = new string[parent.Chain.Count + 1];
        for (int i = 0; i < parent.Chain.Count; i++)
        {
            chain[i] = parent.Chain[i].Token;
        }

        chain[^1] = parent.Token;
        return new IssuedPassport(Sign(child), child, chain);
    }

    /// <summary>Signs <paramref name="passport"/>, refusing a token no verifier would accept for its size (spec v1.1 §10).</summary>
    private string Sign(Passport passport)
    {
        string token = PassportWriter.Sign(passport, _keys.CurrentSigningKey);
        return token.Length <= PassportLimits.MaxTokenBytes ? token
            : throw Refused($"the Passport would be {token.Length} bytes, over the {PassportLimits.MaxTokenBytes}-byte cap every verifier applies; shorten task_purpose, the scopes or the ids");
    }

    /// <summary><paramref name="now"/> plus the whole-second TTL, refused rather than overflowing past 9999-12-31.</summary>
    private static DateTimeOffset Expiry(DateTimeOffset now, TimeSpan ttl)
    {
        var whole = Whole(ttl);
        return DateTimeOffset.MaxValue - now >= whole ? now + whole : throw Refused("the expiry would be past 9999-12-31");
    }

    private static int? ChildMaxDepth(int? parentMax, int? requested)
    {
        if (!AttenuationRules.AllowsChild(parentMax))
        {
            throw Refused("the parent allows no further delegation (max_depth 0)");
        }

        if (requested is null)
        {
            return AttenuationRules.InheritedMaxDepth(parentMax);
        }

        if (requested < 0 || requested > PassportLimits.MaxChainDepth || !AttenuationRules.MaxDepthNarrows(parentMax, requested))
        {
            throw Refused("the child's max_depth must be smaller than the parent's");
        }

        return requested;
    }

    private static (int? Ial, int? Aal, int? Fal) ChildLevels(Passport parent, AssuranceLevels? lower)
    {
        if (lower is null)
        {
            return (parent.Ial, parent.Aal, parent.Fal);
        }

        if (Widens(lower.Ial, parent.Ial) || Widens(lower.Aal, parent.Aal) || Widens(lower.Fal, parent.Fal))
        {
            throw Refused("assurance levels may be lowered, never raised or added");
        }

        return (lower.Ial, lower.Aal, lower.Fal);

        static bool Widens(int child, int? parent) => AttenuationRules.LevelAppeared(child, parent) || AttenuationRules.LevelRaised(child, parent);
    }

    /// <summary>The request's constraints, refused when a key is not one of the token's <c>tool_scope</c> entries (verifiers would reject the token).</summary>
    private static PassportConstraints CheckConstraintKeys(PassportConstraints? constraints, ScopeSet scopes)
    {
        constraints ??= PassportConstraints.Empty;
        return constraints.KeyOutside(scopes) is { } outside
            ? throw Refused($"the constraints key '{outside}' is not an entry of the requested tool_scope (keys name tool_scope entries verbatim)")
            : constraints;
    }

    private static ScopeSet ParseScopes(IReadOnlyList<string>? scopes) =>
        ScopeSet.TryParse(scopes ?? [], out var set, out var error) ? set : throw Refused($"malformed tool scope: {error}");

    private DateTimeOffset Now()
    {
        // JWT times are whole seconds; truncating keeps the claims and the object equal.
        var now = _options.TimeProvider.GetUtcNow();
        return DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
    }

    private static TimeSpan Whole(TimeSpan ttl) => TimeSpan.FromSeconds(Math.Max(1, Math.Floor(ttl.TotalSeconds)));

    /// <summary>A random (version 4) UUID. CSPRNG bytes are drawn 1 KiB at a time per thread: one system call per 64 ids.</summary>
    private static string NewTokenId()
    {
        var pool = t_randomPool ??= new byte[1024];
        if (t_randomUsed == 0 || t_randomUsed >= pool.Length)
        {
            RandomNumberGenerator.Fill(pool);
            t_randomUsed = 0;
        }

        var bytes = pool.AsSpan(t_randomUsed, 16);
        t_randomUsed += 16;
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid stores this field little-endian)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        var id = new Guid(bytes);
        bytes.Clear();
        return id.ToString();
    }

    private static void RequireText(string? value, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw Refused($"the {what} must not be empty");
        }
    }

    private static void CheckHolderThumbprint(string? thumbprint)
    {
        if (thumbprint is not null && !HolderThumbprints.IsWellFormed(thumbprint))
        {
            throw Refused("the holder thumbprint must be an RFC 7638 SHA-256 thumbprint: 43 characters of base64url (PassportHolderKey.Thumbprint)");
        }
    }

    private static AgentPassportException Refused(string message) =>
        AgentPassportException.Create(PassportErrorKind.IssuanceRefused, message);
}
