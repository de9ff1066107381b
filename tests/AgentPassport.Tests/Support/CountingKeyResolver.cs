namespace AgentPassport.Tests.Support;

/// <summary>
/// Counts key lookups (one per token on a cold verification; one per distinct key when the verifier's cache re-checks a
/// hit), and lets a test swap the keys it answers with, to model a key removed from the trusted set.
/// </summary>
public sealed class CountingKeyResolver(IPassportKeyResolver inner) : IPassportKeyResolver
{
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    public IPassportKeyResolver Inner { get; set; } = inner;

    public ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return Inner.FindKeyAsync(keyId, cancellationToken);
    }
}
