namespace AgentPassport;

/// <summary>
/// The revocation rule (spec v1.1 §12), run after every other check on the cold path and on every hit of the
/// verified-chain cache: every link (the parents, root first, then the leaf) is looked up in the store's current set.
/// A store that cannot vouch for its view fails closed with <see cref="PassportErrorKind.RevocationUnavailable"/>.
/// </summary>
internal static class RevocationRule
{
    public static PassportError? Check(IRevocationStore store, ReadOnlySpan<SignedPassport> parents, Passport leaf)
    {
        if (!store.TryGetCurrent(out var set, out var reason))
        {
            return Unavailable(reason);
        }

        if (set.Count == 0)
        {
            return null;
        }

        for (int i = 0; i < parents.Length; i++)
        {
            if (set.Find(parents[i].Passport) is { } entry)
            {
                return Revoked(parents[i].Passport, entry, i);
            }
        }

        return set.Find(leaf) is { } leafEntry ? Revoked(leaf, leafEntry, null) : null;
    }

    /// <summary>The issuer's rule: no child from a revoked parent (any link of its verified chain).</summary>
    /// <exception cref="AgentPassportException">A link is revoked, or the store is unavailable.</exception>
    public static void ThrowIfRevoked(IRevocationStore? store, VerifiedPassport parent)
    {
        if (store is null)
        {
            return;
        }

        var error = Check(store, [.. parent.Chain], parent.Passport);
        if (error is not null)
        {
            throw new AgentPassportException(error);
        }
    }

    public static PassportError Unavailable(string reason) =>
        new(PassportErrorKind.RevocationUnavailable, $"revocation status cannot be checked: {reason}");

    private static PassportError Revoked(Passport link, RevocationEntry entry, int? index)
    {
        string which = index is null ? "the Passport" : $"chain[{index}] (agent '{link.AgentId}')";
        string why = entry.Kind switch
        {
            RevocationEntryKind.TokenId => $"its jti '{link.TokenId}' is revoked",
            RevocationEntryKind.Subject => $"every Passport of principal '{entry.Value}' issued before {entry.Before:O} is revoked",
            _ => $"every Passport of agent '{entry.Value}' issued before {entry.Before:O} is revoked",
        };
        return new PassportError(PassportErrorKind.Revoked, $"{which} is revoked: {why}", chainIndex: index, details: new PassportErrorDetails
        {
            RevokedTokenId = link.TokenId,
            RevocationKind = entry.Kind,
        });
    }
}
