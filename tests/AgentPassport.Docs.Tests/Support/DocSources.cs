namespace AgentPassport.Docs.Tests.Support;

/// <summary>The Markdown files whose C# blocks are compiled, and the programs made of those blocks.</summary>
internal static class DocSources
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<IReadOnlyList<DocProgram>> LazyPrograms = new(LoadPrograms);

    public static string Root => LazyRoot.Value;

    public static IReadOnlyList<DocProgram> Programs => LazyPrograms.Value;

    /// <summary>Gets the checked Markdown files, relative to the root: the root's *.md, docs/*.md, src/*/README.md.</summary>
    public static IReadOnlyList<string> MarkdownFiles()
    {
        var files = Directory.GetFiles(Root, "*.md")
            .Concat(Directory.GetFiles(Path.Combine(Root, "docs"), "*.md"))
            .Concat(Directory.GetDirectories(Path.Combine(Root, "src")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists));
        return files.Select(f => Path.GetRelativePath(Root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
    }

    public static DocProgram Program(string id) =>
        Programs.SingleOrDefault(p => p.Id == id)
        ?? throw new InvalidOperationException($"No doc program '{id}'. Known: {string.Join(", ", Programs.Select(p => p.Id))}");

    public static TheoryData<string> ProgramIds()
    {
        var data = new TheoryData<string>();
        foreach (var program in Programs)
        {
            data.Add(program.Id);
        }

        return data;
    }

    private static IReadOnlyList<DocProgram> LoadPrograms()
    {
        var programs = new List<DocProgram>();
        foreach (string file in MarkdownFiles())
        {
            var blocks = MarkdownCodeBlocks.CSharpBlocks(file, File.ReadAllText(Path.Combine(Root, file)));
            programs.AddRange(blocks.Where(b => b.Fragment is null).Select(b => new DocProgram(b.ToString(), [b])));
            programs.AddRange(blocks.Where(b => b.Fragment is not null)
                .GroupBy(b => b.Fragment!, StringComparer.Ordinal)
                .Select(g => new DocProgram($"{file}#{g.Key}", g.ToList())));
        }

        return programs;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AgentPassport.SemanticKernel.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AgentPassport.SemanticKernel.sln not found above " + AppContext.BaseDirectory);
    }
}
