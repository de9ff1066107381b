namespace AgentPassport;

/// <content>The revocation hook: every link, on the cold path and on every cache hit (spec v1.1 §12).</content>
public sealed partial class PassportVerifier
{
    /// <summary>
    /// Gets the revocation store consulted on every verification, cache hits included; null (the default) checks none.
    /// A revoked link fails with <see cref="PassportErrorKind.Revoked"/>; a store that cannot vouch for its view fails
    /// closed with <see cref="PassportErrorKind.RevocationUnavailable"/>.
    /// </summary>
    public IRevocationStore? Revocations { get; init; }

    private PassportError? CheckRevoked(ReadOnlySpan<SignedPassport> parents, Passport leaf) =>
        Revocations is { } store ? RevocationRule.Check(store, parents, leaf) : null;
}
