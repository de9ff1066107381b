using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentPassport.Docs.Tests.Support;

/// <summary>
/// One program to compile, made of doc blocks: a lone block, or every block of a file marked with the same
/// <c>fragment</c> name, in document order. Using directives are hoisted, top-level statements keep their order and
/// type declarations go last, each under a <c>#line</c> directive so a diagnostic names the Markdown file and line.
/// A program with a <c>given</c> marker is compiled (never run) as the body of an async method taking those parameters.
/// </summary>
internal sealed class DocProgram
{
    public DocProgram(string id, IReadOnlyList<DocBlock> blocks)
    {
        Id = id;
        Blocks = blocks;
        Givens = blocks.Where(b => b.Given is not null).ToList();
    }

    /// <summary>Gets the id tests use: <c>path:line</c> of a lone block, or <c>path#name</c> of a named program.</summary>
    public string Id { get; }

    public IReadOnlyList<DocBlock> Blocks { get; }

    /// <summary>Gets the blocks that declare what the program assumes.</summary>
    public IReadOnlyList<DocBlock> Givens { get; }

    /// <summary>Gets whether this is a complete program (no <c>given</c>): compiled as a console application.</summary>
    public bool IsComplete => Givens.Count == 0;

    public string Describe() =>
        Blocks.Count == 1
            ? $"the ```csharp block at {Blocks[0]}"
            : $"program '{Blocks[0].Fragment}' made of the ```csharp blocks at {string.Join(", ", Blocks.Select(b => b.ToString()))}";

    /// <summary>Parses each block alone: syntax errors are reported against the block, before any assembling.</summary>
    public IReadOnlyList<string> SyntaxErrors() =>
        Blocks.SelectMany(b => Parse(b).GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d =>
            {
                var at = d.Location.GetLineSpan().StartLinePosition;
                return $"{b.Path}({b.FirstCodeLine + at.Line},{at.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
            }))
        .ToList();

    /// <summary>Gets the assembled C# source.</summary>
    public string Source()
    {
        var usings = new StringBuilder();
        var statements = new StringBuilder();
        var types = new StringBuilder();
        foreach (var block in Blocks)
        {
            var root = (CompilationUnitSyntax)Parse(block).GetRoot();
            foreach (var directive in root.Usings)
            {
                Append(usings, block, directive);
            }

            foreach (var member in root.Members)
            {
                Append(member is GlobalStatementSyntax ? statements : types, block, member);
            }
        }

        var source = new StringBuilder();
        source.Append(usings);
        if (IsComplete)
        {
            source.Append(statements);
        }
        else
        {
            string parameters = string.Join(", ", Givens.SelectMany(g => g.Given!.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)));
            source.AppendLine("#line default");
            source.AppendLine("internal static class DocFragment");
            source.AppendLine("{");
            source.AppendLine($"#line {Givens[0].GivenLine} \"{Givens[0].Path}\"");
            source.AppendLine($"    internal static async System.Threading.Tasks.Task RunAsync({parameters})");
            source.AppendLine("#line default");
            source.AppendLine("    {");
            source.AppendLine("        await System.Threading.Tasks.Task.CompletedTask;");
            source.Append(statements);
            source.AppendLine("#line default");
            source.AppendLine("    }");
            source.AppendLine("}");
        }

        source.Append(types);
        return source.ToString();
    }

    public override string ToString() => Id;

    private static SyntaxTree Parse(DocBlock block) =>
        CSharpSyntaxTree.ParseText(block.Code, DocCompiler.ParseOptions, path: block.Path);

    private static void Append(StringBuilder target, DocBlock block, SyntaxNode node)
    {
        int line = block.FirstCodeLine + node.GetLocation().GetLineSpan().StartLinePosition.Line;
        target.AppendLine($"#line {line} \"{block.Path}\"");
        target.AppendLine(node.ToString());
    }
}
