namespace AgentPassport;

/// <summary>
/// The RFC 8693 <c>act</c> claim: the current holder (<see cref="Subject"/>) and, for delegated Passports,
/// the parent's whole actor (<see cref="Parent"/>). The outermost actor is the current holder, the innermost the first agent.
/// </summary>
/// <param name="Subject">The agent id of this actor.</param>
/// <param name="Parent">The previous actor, or null for the first agent.</param>
public sealed record PassportActor(string Subject, PassportActor? Parent = null)
{
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
}
