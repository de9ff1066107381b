using System.Text.RegularExpressions;

namespace AgentPassport.Integrations.Tests.HeldOut.Support;

/// <summary>
/// Checks that rendered delegation trees are inert: untrusted names (tool names, agent ids, purposes) cannot add lines.
/// The rendering of the real events must have exactly as many lines as the rendering of the same events with every
/// untrusted text replaced by a plain word, and a decision line may only start with ALLOWED/DENIED for a real decision.
/// </summary>
public static partial class RenderedText
{
    public static void AssertInert(IReadOnlyList<PassportAuditEvent> events)
    {
        var tree = DelegationTree.Build(events);
        var plain = DelegationTree.Build(events.Select(Plain).ToList());
        var text = tree.ToText();

        Assert.True(Lines(plain.ToText()) == Lines(text), "The text tree has extra lines:\n" + text);
        Assert.True(Lines(plain.ToMermaid()) == Lines(tree.ToMermaid()), "The Mermaid chart has extra lines:\n" + tree.ToMermaid());
        var allowedLines = text.Split('\n').Count(l => AllowedLine().IsMatch(l));
        Assert.True(events.Count(e => e.Kind == PassportAuditEventKind.Allowed) == allowedLines, "The text tree shows an ALLOWED line that no decision made:\n" + text);
    }

    public static int Lines(string s) => s.Split(['\n', '\r', '\u2028', '\u2029', '\u0085', '\v', '\f']).Length;

    // The same event with every free-text field an attacker may choose replaced by a word without control characters.
    private static PassportAuditEvent Plain(PassportAuditEvent e) => e with
    {
        ToolName = Clean(e.ToolName),
        AgentId = Clean(e.AgentId),
        TaskPurpose = Clean(e.TaskPurpose),
        Principal = Clean(e.Principal),
        Audience = Clean(e.Audience),
        RequiredScope = Clean(e.RequiredScope),
    };

    private static string? Clean(string? s) => s is null ? null : Control().Replace(s, "_");

    [GeneratedRegex(@"[\p{C}\u2028\u2029\u0085]")]
    private static partial Regex Control();

    [GeneratedRegex(@"^[\s│├└─]*ALLOWED ")]
    private static partial Regex AllowedLine();
}
