using System.Collections.Frozen;
using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// The RFC 8693 <c>act</c> claim: the current holder (<see cref="Subject"/>) and, for delegated Passports,
/// the parent's whole actor (<see cref="Parent"/>). The outermost actor is the current holder, the innermost the first agent.
/// </summary>
/// <param name="Subject">The agent id of this actor.</param>
/// <param name="Parent">The previous actor, or null for the first agent.</param>
/// <remarks>
/// Equality is by value: subject, parent and <see cref="OtherMembers"/> (JSON values compared structurally). A child's
/// <c>act</c> must nest its parent's <c>act</c> unchanged, other members included.
/// </remarks>
public sealed record PassportActor(string Subject, PassportActor? Parent = null)
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoMembers = FrozenDictionary<string, JsonElement>.Empty;

    /// <summary>
    /// Gets the members of this <c>act</c> object other than <c>sub</c> and <c>act</c> (RFC 8693 §4.1 allows any, e.g.
    /// <c>iss</c>), kept as read and written back unchanged when a child nests this actor. Informational: no rule reads them.
    /// </summary>
    /// <value>Default empty.</value>
    public IReadOnlyDictionary<string, JsonElement> OtherMembers { get; init; } = NoMembers;

    /// <summary>Gets the number of actors in this chain (1 for a root Passport).</summary>
    public int Count
    {
        get
        {
            int count = 0;
            for (var a = this; a is not null; a = a.Parent)
            {
                count++;
            }

            return count;
        }
    }

    /// <summary>Gets the actors from the current holder (first) to the original delegate (last).</summary>
    /// <returns>The agent ids, outermost first.</returns>
    public IReadOnlyList<string> OutermostFirst()
    {
        var list = new List<string>();
        for (var a = this; a is not null; a = a.Parent)
        {
            list.Add(a.Subject);
        }

        return list;
    }

    /// <inheritdoc />
    public bool Equals(PassportActor? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        return other is not null
            && string.Equals(Subject, other.Subject, StringComparison.Ordinal)
            && SameMembers(OtherMembers, other.OtherMembers)
            && Equals(Parent, other.Parent);
    }

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Subject, OtherMembers.Count, Parent);

    private static bool SameMembers(IReadOnlyDictionary<string, JsonElement> a, IReadOnlyDictionary<string, JsonElement> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (name, value) in a)
        {
            if (!b.TryGetValue(name, out var other) || !JsonElement.DeepEquals(value, other))
            {
                return false;
            }
        }

        return true;
    }
}
