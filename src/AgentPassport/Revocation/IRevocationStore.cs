using System.Diagnostics.CodeAnalysis;

namespace AgentPassport;

/// <summary>
/// Where revocations live (spec v1.1 §12). Reads are a synchronous local lookup, made on every verification and every
/// cache hit; a store that cannot vouch for its view (its snapshot is older than its staleness bound, its file is
/// unreadable) says so, and the verifier then refuses with <see cref="PassportErrorKind.RevocationUnavailable"/>.
/// </summary>
public interface IRevocationStore
{
    /// <summary>Gets the current revocations when they are fresh enough to decide on. Never blocks on the network.</summary>
    /// <param name="revocations">The current set, when fresh.</param>
    /// <param name="unavailableReason">Why the store cannot answer (for the error message), when not fresh.</param>
    /// <returns>True when <paramref name="revocations"/> may be used; false to fail closed.</returns>
    bool TryGetCurrent([NotNullWhen(true)] out RevocationSet? revocations, [NotNullWhen(false)] out string? unavailableReason);

    /// <summary>Adds <paramref name="entry"/>; when this returns, this store's own reads see it.</summary>
    /// <param name="entry">The revocation.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the entry is stored.</returns>
    /// <exception cref="AgentPassportException">The store could not be written (<see cref="PassportErrorKind.RevocationUnavailable"/>).</exception>
    ValueTask RevokeAsync(RevocationEntry entry, CancellationToken cancellationToken = default);
}
