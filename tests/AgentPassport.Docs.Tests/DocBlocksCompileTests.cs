using AgentPassport.Docs.Tests.Support;

namespace AgentPassport.Docs.Tests;

/// <summary>
/// Every ```csharp block of README.md, docs/*.md, the other root *.md files and src/*/README.md compiles against the
/// repository's assemblies: alone as a complete program, or as part of the program its <c>fragment</c> marker names,
/// or with what its <c>given</c> marker declares (see CONTRIBUTING.md, "Code in the docs").
/// </summary>
public sealed class DocBlocksCompileTests
{
    public static TheoryData<string> Programs => DocSources.ProgramIds();

    [Theory]
    [MemberData(nameof(Programs))]
    public void Block_compiles(string id)
    {
        var program = DocSources.Program(id);

        var (errors, _) = DocCompiler.Compile(program);

        Assert.True(errors.Count == 0,
            $"{program.Describe()} does not compile:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors)
            + $"{Environment.NewLine}Fix the code, or mark what it assumes with <!-- fragment: NAME --> / <!-- given: Type name; ... --> (CONTRIBUTING.md, \"Code in the docs\").");
    }

    [Fact]
    public void The_checked_files_hold_the_blocks_the_docs_are_known_to_have()
    {
        var files = DocSources.MarkdownFiles();

        Assert.Contains("README.md", files);
        Assert.Contains("docs/semantic-kernel.md", files);
        Assert.Contains("docs/integrations.md", files);
        Assert.Contains("src/AgentPassport.SemanticKernel/README.md", files);
        // A parser that finds nothing would make every other test here pass vacuously.
        Assert.True(DocSources.Programs.Count >= 10, $"only {DocSources.Programs.Count} C# programs found in {string.Join(", ", files)}");
        Assert.Contains(DocSources.Programs, p => p.Id.StartsWith("README.md:", StringComparison.Ordinal));
        Assert.Contains(DocSources.Programs, p => p.Id == "docs/semantic-kernel.md#semantic-kernel-program");
    }

    [Fact]
    public void No_block_spells_its_language_so_that_it_escapes_the_check()
    {
        var offenders = DocSources.MarkdownFiles()
            .SelectMany(f => MarkdownCodeBlocks.OtherCSharpSpellings(File.ReadAllText(Path.Combine(DocSources.Root, f))).Select(line => $"{f}:{line}"))
            .ToList();

        Assert.True(offenders.Count == 0, "C# blocks must be fenced as ```csharp so they are compiled: " + string.Join(", ", offenders));
    }

    [Fact]
    public void A_broken_block_is_reported_with_its_file_and_line()
    {
        const string Markdown = "# t\n\ntext\n\n```csharp\nusing AgentPassport;\n\nvar x = new PassportIssuer(notDefined);\n```\n";
        var block = Assert.Single(MarkdownCodeBlocks.CSharpBlocks("docs/example.md", Markdown));

        var (errors, assembly) = DocCompiler.Compile(new DocProgram(block.ToString(), [block]));

        Assert.Null(assembly);
        Assert.Contains(errors, e => e.StartsWith("docs/example.md(8,", StringComparison.Ordinal) && e.Contains("CS0103", StringComparison.Ordinal) && e.Contains("notDefined", StringComparison.Ordinal));
    }

    [Fact]
    public void Fragments_of_one_name_form_one_program_and_given_declares_what_the_prose_assumes()
    {
        const string Markdown = """
            <!-- fragment: two-parts -->
            ```csharp
            using AgentPassport;
            var store = new InMemoryPassportKeyStore();
            ```
            prose between the parts
            <!-- fragment: two-parts -->
            ```csharp
            using System.Text;
            Console.WriteLine(new StringBuilder().Append(store.GetType().Name));
            ```
            <!-- given: PassportAuthorizer authorizer; string audience -->
            ```csharp
            var policy = authorizer.Policy.WithAudience(audience);
            ```
            """;
        var blocks = MarkdownCodeBlocks.CSharpBlocks("docs/example.md", Markdown);

        Assert.Equal(3, blocks.Count);
        var twoParts = new DocProgram("docs/example.md#two-parts", blocks.Take(2).ToList());
        Assert.True(twoParts.IsComplete);
        Assert.Empty(DocCompiler.Compile(twoParts).Errors);
        var given = new DocProgram(blocks[2].ToString(), [blocks[2]]);
        Assert.False(given.IsComplete);
        Assert.Empty(DocCompiler.Compile(given).Errors);
        // Without the marker the same line does not compile: the test is not vacuous.
        var bare = blocks[2] with { Given = null, GivenLine = 0 };
        Assert.Contains(DocCompiler.Compile(new DocProgram(bare.ToString(), [bare])).Errors, e => e.Contains("CS0103", StringComparison.Ordinal));
    }
}
