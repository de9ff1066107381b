namespace AgentPassport.Docs.Tests.Support;

/// <summary>One ```csharp block of a Markdown file, with the markers written just above its opening fence.</summary>
/// <param name="Path">The Markdown file, relative to the repository root, with forward slashes.</param>
/// <param name="FenceLine">The 1-based line of the opening fence.</param>
/// <param name="Code">The code between the fences, de-indented by the fence's own indentation.</param>
/// <param name="Fragment">The program this block is a part of (<c>&lt;!-- fragment: NAME --&gt;</c>), or null.</param>
/// <param name="Given">What the block assumes (<c>&lt;!-- given: Type name; Type name --&gt;</c>), or null.</param>
/// <param name="GivenLine">The 1-based line of the <c>given</c> marker (0 when there is none).</param>
internal sealed record DocBlock(string Path, int FenceLine, string Code, string? Fragment, string? Given, int GivenLine)
{
    /// <summary>Gets the 1-based line of the block's first line of code.</summary>
    public int FirstCodeLine => FenceLine + 1;

    public override string ToString() => $"{Path}:{FenceLine}";
}
