namespace AgentPassport.Tests.Support;

/// <summary>Locates the repository root (the folder holding the .sln) and the test data inside it.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string TestProject => Path.Combine(Root, "tests", "AgentPassport.Tests");

    public static string Corpus => Path.Combine(TestProject, "Corpus");

    public static string Wycheproof(string file) => Path.Combine(Root, "tests", "vectors", "wycheproof", file);

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
