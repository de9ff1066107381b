namespace AgentPassport.SemanticKernel.Tests.Support;

/// <summary>Counts key lookups: one per token verified, so it shows when the verification cache answered instead.</summary>
public sealed class CountingKeyResolver(IPassportKeyResolver inner) : IPassportKeyResolver
{
    private int _lookups;

    public int Lookups => Volatile.Read(ref _lookups);

    public ValueTask<PassportVerificationKey?> FindKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return inner.FindKeyAsync(keyId, cancellationToken);
    }
}
