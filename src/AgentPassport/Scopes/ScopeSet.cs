using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace AgentPassport;

/// <summary>
/// The immutable set of scopes a Passport grants (its <c>tool_scope</c> claim). An empty set grants nothing.
/// Attenuation (spec §3) is a set relation: a child set is allowed under a parent set when every child
/// pattern is covered by some parent pattern.
/// </summary>
public sealed class ScopeSet : IReadOnlyList<PassportScope>, IEquatable<ScopeSet>
{
    /// <summary>The most scopes one Passport may carry.</summary>
    public const int MaxCount = 64;

    private readonly PassportScope[] _scopes;

    private ScopeSet(PassportScope[] scopes) => _scopes = scopes;

    /// <summary>Gets the empty set (no authority).</summary>
    public static ScopeSet Empty { get; } = new([]);

    /// <inheritdoc />
    public int Count => _scopes.Length;

    /// <summary>Gets a value indicating whether the set contains the single pattern <c>*</c>.</summary>
    public bool ContainsWildcardAll
    {
        get
        {
            foreach (var scope in _scopes)
            {
                if (scope.IsWildcardAll)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <inheritdoc />
    public PassportScope this[int index] => _scopes[index];

    /// <summary>Parses a set of scope strings.</summary>
    /// <param name="scopes">The scope strings.</param>
    /// <returns>The set.</returns>
    /// <exception cref="FormatException">A scope is malformed, repeated, or there are too many.</exception>
    public static ScopeSet Parse(IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        return TryParse(scopes, out var set, out var error) ? set : throw new FormatException(error);
    }

    /// <summary>Parses a set of scope strings.</summary>
    /// <param name="scopes">The scope strings.</param>
    /// <returns>The set.</returns>
    /// <exception cref="FormatException">A scope is malformed, repeated, or there are too many.</exception>
    public static ScopeSet Parse(params string[] scopes) => Parse((IEnumerable<string>)scopes);

    /// <summary>Tries to parse a set of scope strings.</summary>
    /// <param name="scopes">The scope strings.</param>
    /// <param name="set">The set when parsing succeeds.</param>
    /// <param name="error">Why the input is refused, when it is.</param>
    /// <returns><see langword="true"/> when every scope is well-formed, none repeats and there are at most <see cref="MaxCount"/>.</returns>
    public static bool TryParse(IEnumerable<string?>? scopes, [NotNullWhen(true)] out ScopeSet? set, [NotNullWhen(false)] out string? error)
    {
        set = null;
        if (scopes is null)
        {
            error = "the scope list is missing";
            return false;
        }

        var parsed = new List<PassportScope>();
        foreach (var text in scopes)
        {
            if (parsed.Count == MaxCount)
            {
                error = $"at most {MaxCount} scopes are allowed";
                return false;
            }

            if (!PassportScope.TryParse(text, out var scope, out var scopeError))
            {
                error = scopeError;
                return false;
            }

            foreach (var existing in parsed)
            {
                if (existing.Value == scope.Value)
                {
                    error = $"the scope '{scope.Value}' is listed twice";
                    return false;
                }
            }

            parsed.Add(scope);
        }

        set = parsed.Count == 0 ? Empty : new ScopeSet([.. parsed]);
        error = null;
        return true;
    }

    /// <summary>Gets a value indicating whether some scope of this set covers the concrete or pattern scope <paramref name="required"/>.</summary>
    /// <param name="required">The scope to test.</param>
    /// <returns><see langword="true"/> when covered. The empty set covers nothing.</returns>
    public bool Covers(PassportScope required)
    {
        foreach (var scope in _scopes)
        {
            if (scope.Covers(required))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets a value indicating whether some scope of this set covers <paramref name="required"/>.</summary>
    /// <param name="required">The scope text; a malformed text is covered by nothing.</param>
    /// <returns><see langword="true"/> when covered.</returns>
    public bool Covers(string required) => PassportScope.TryParse(required, out var scope) && Covers(scope);

    /// <summary>
    /// Gets a value indicating whether this set is a valid attenuation of <paramref name="parent"/>:
    /// every scope here is covered by some scope of the parent. The empty set attenuates anything.
    /// </summary>
    /// <param name="parent">The parent's scopes.</param>
    /// <param name="uncovered">The first scope the parent does not cover, when there is one.</param>
    /// <returns><see langword="true"/> when this set only narrows the parent's authority.</returns>
    public bool IsAttenuationOf(ScopeSet parent, out PassportScope uncovered)
    {
        ArgumentNullException.ThrowIfNull(parent);

        // Scopes only: delegation's capability rule (AttenuationRules, which will also compare argument constraints)
        // builds on this set semantics, never the other way round.
        for (int i = 0; i < Count; i++)
        {
            if (!parent.Covers(this[i]))
            {
                uncovered = this[i];
                return false;
            }
        }

        uncovered = default;
        return true;
    }

    /// <summary>Gets the scope strings.</summary>
    /// <returns>The strings, in order.</returns>
    public IReadOnlyList<string> ToStrings() => Array.ConvertAll(_scopes, s => s.Value);

    /// <inheritdoc />
    public IEnumerator<PassportScope> GetEnumerator() => ((IEnumerable<PassportScope>)_scopes).GetEnumerator();

    /// <inheritdoc />
    IEnumerator IEnumerable.GetEnumerator() => _scopes.GetEnumerator();

    /// <summary>Gets a value indicating whether <paramref name="other"/> lists the same scopes in the same order (so equal <see cref="Passport"/> records compare equal).</summary>
    /// <param name="other">The other set.</param>
    /// <returns><see langword="true"/> when equal.</returns>
    public bool Equals(ScopeSet? other) =>
        other is not null && (ReferenceEquals(this, other) || _scopes.AsSpan().SequenceEqual(other._scopes));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ScopeSet);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var scope in _scopes)
        {
            hash.Add(scope);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', ToStrings());
}
