namespace AgentPassport.ConventionTests.Support;

/// <summary>
/// Exceptions to a convention, each with the reason it is allowed. Checking against it fails on a violation that is
/// not listed and on a listed entry that no longer violates (so the list shrinks when the code is fixed).
/// </summary>
internal sealed class AllowList(string convention, IReadOnlyDictionary<string, string> reasons)
{
    public void Check(IEnumerable<string> violations)
    {
        var found = violations.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var unexpected = found.Where(v => !reasons.ContainsKey(v)).ToList();
        var stale = reasons.Keys.Where(k => !found.Contains(k, StringComparer.Ordinal)).Order(StringComparer.Ordinal).ToList();

        var problems = new List<string>();
        if (unexpected.Count > 0)
        {
            problems.Add($"{convention} — fix these, or add them to the allow-list with the reason:");
            problems.AddRange(unexpected.Select(v => "  " + v));
        }

        if (stale.Count > 0)
        {
            problems.Add($"{convention} — these allow-list entries no longer violate it; remove them:");
            problems.AddRange(stale.Select(v => "  " + v));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }
}
