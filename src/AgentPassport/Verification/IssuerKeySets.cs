using System.Collections.Frozen;

namespace AgentPassport;

/// <summary>
/// The key sets a verifier trusts (spec v1.1 §10): one key set serving the one issuer a policy names, or one key set per
/// trusted issuer. Also answers whether a cached chain's keys are still the ones the key sets return.
/// </summary>
internal sealed class IssuerKeySets
{
    // Exactly one of the two.
    private readonly IPassportKeyResolver? _single;
    private readonly FrozenDictionary<string, IPassportKeyResolver>? _perIssuer;

    public IssuerKeySets(IPassportKeyResolver single) => _single = single;

    public IssuerKeySets(TrustedIssuers issuers) => _perIssuer = issuers.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The key set of <paramref name="issuer"/>, or null when there is none for it.</summary>
    public IPassportKeyResolver? For(string issuer) => _single ?? _perIssuer!.GetValueOrDefault(issuer);

    /// <summary>Why tokens under <paramref name="policy"/> cannot be checked with these key sets, or null when they can.</summary>
    public string? CannotServe(VerificationPolicy policy)
    {
        if (_single is not null)
        {
            return policy.Issuers.Count == 1 ? null
                : $"This verifier has one key set, so its policy must trust exactly one issuer (it trusts {policy.Issuers.Count}). "
                  + "Give each issuer its own keys: new PassportVerifier(new TrustedIssuers { { issuer, keys }, ... }).";
        }

        foreach (var issuer in policy.Issuers)
        {
            if (!_perIssuer!.ContainsKey(issuer))
            {
                return $"The policy trusts the issuer '{issuer}' but the verifier has no key set for it; add it to the verifier's TrustedIssuers.";
            }
        }

        return null;
    }

    /// <summary>
    /// Re-checks an entry's keys when the resolver answers synchronously: true or false, or null when a lookup is still
    /// pending (the slow path then checks again asynchronously).
    /// </summary>
    public bool? StillTrustedNow(VerifiedChainCache.Entry entry, CancellationToken cancellationToken)
    {
        foreach (var use in entry.Keys)
        {
            var keySet = For(use.Issuer);
            if (keySet is null)
            {
                return false;
            }

            ValueTask<PassportVerificationKey?> lookup;
            try
            {
                lookup = keySet.FindKeyAsync(use.KeyId, cancellationToken);
            }
            catch (AgentPassportException)
            {
                // The resolver cannot answer (JwksError): not served from the cache; the cold path reports the error.
                return false;
            }

            if (!lookup.IsCompletedSuccessfully)
            {
                // Consume the pending (or failed) lookup properly, observing any exception; the slow path asks again.
                _ = lookup.AsTask().ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return null;
            }

            if (!use.StillTrusted(lookup.Result))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Gets a value indicating whether the resolvers still return every key that verified the entry.</summary>
    public async ValueTask<bool> StillTrustedAsync(VerifiedChainCache.Entry entry, CancellationToken cancellationToken)
    {
        foreach (var use in entry.Keys)
        {
            var keySet = For(use.Issuer);
            if (keySet is null)
            {
                return false;
            }

            PassportVerificationKey? current;
            try
            {
                current = await keySet.FindKeyAsync(use.KeyId, cancellationToken).ConfigureAwait(false);
            }
            catch (AgentPassportException)
            {
                // The resolver cannot answer (JwksError): not served from the cache; the cold path reports the error.
                return false;
            }

            if (!use.StillTrusted(current))
            {
                return false;
            }
        }

        return true;
    }
}
