using System.Reflection;
using System.Xml.Linq;

namespace AgentPassport.ConventionTests.Support;

/// <summary>
/// The projects under src/ (the shipped packages) and their assemblies, found from the repository itself so that a new
/// package is checked without anyone remembering to add it here.
/// </summary>
internal static class SourceProjects
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);
    private static readonly Lazy<IReadOnlyList<SourceProject>> LazyAll = new(Discover);

    public static string Root => LazyRoot.Value;

    public static IReadOnlyList<SourceProject> All => LazyAll.Value;

    /// <summary>Every src assembly, loaded; fails naming the project this test project does not reference.</summary>
    public static IReadOnlyList<Assembly> Assemblies => [.. All.Select(Load)];

    private static Assembly Load(SourceProject project)
    {
        try
        {
            return Assembly.Load(project.AssemblyName);
        }
        catch (FileNotFoundException)
        {
            throw new InvalidOperationException(
                $"{project.ProjectFile} is not referenced by tests/AgentPassport.ConventionTests: add a ProjectReference so its public API is checked.");
        }
    }

    private static IReadOnlyList<SourceProject> Discover()
    {
        var src = Path.Combine(Root, "src");
        return [.. Directory.GetDirectories(src)
            .SelectMany(dir => Directory.GetFiles(dir, "*.csproj"))
            .Order(StringComparer.Ordinal)
            .Select(file =>
            {
                var declared = XDocument.Load(file).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault();
                return new SourceProject(Path.GetRelativePath(Root, file), declared ?? Path.GetFileNameWithoutExtension(file));
            })];
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

/// <summary>A project under src/ and the name of the assembly it builds.</summary>
internal sealed record SourceProject(string ProjectFile, string AssemblyName);
