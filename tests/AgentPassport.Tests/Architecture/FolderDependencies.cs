using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentPassport.Tests.Architecture;

/// <summary>
/// The folder-level dependency graph of a source tree, from Roslyn's semantic model: the sources are compiled, and
/// every name that binds to a type or member declared in the same sources adds an edge from the using file's folder
/// to the declaring file's folder. XML doc references do not count (they are documentation, not dependencies).
/// </summary>
internal sealed class FolderDependencies
{
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    private FolderDependencies(IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> edges, IReadOnlyList<string> errors)
    {
        Edges = edges;
        CompileErrors = errors;
    }

    /// <summary>Gets, for each folder, the folders it uses and one example use ("Type → Type") per edge.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Edges { get; }

    /// <summary>Gets the compiler errors; the graph is only meaningful when there are none.</summary>
    public IReadOnlyList<string> CompileErrors { get; }

    /// <summary>Compiles every .cs file under <paramref name="sourceRoot"/> (bin and obj excluded) and maps its references.</summary>
    public static FolderDependencies Compute(string sourceRoot)
    {
        var files = Directory.GetFiles(sourceRoot, "*.cs", SearchOption.AllDirectories)
            .Where(f => !IsBuildOutput(Path.GetRelativePath(sourceRoot, f)))
            .Order(StringComparer.Ordinal)
            .ToList();
        var options = new CSharpParseOptions(LanguageVersion.Preview);
        var trees = files.Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), options, path: f)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText(string.Concat(ImplicitUsings.Select(u => $"global using global::{u};\n")), options, path: "ImplicitUsings.g.cs"));
        var compilation = CSharpCompilation.Create("FolderDependencies", trees, PlatformReferences(),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, allowUnsafe: true));
        // Source generators ([LoggerMessage]) do not run here: the generated halves of partial methods are missing
        // (CS8795), which changes nothing the hand-written code references. Every other error fails the test.
        var errors = compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error && d.Id != "CS8795")
            .Select(d => d.ToString())
            .ToList();

        var edges = new SortedDictionary<string, SortedDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var tree in trees.Where(t => t.FilePath != "ImplicitUsings.g.cs"))
        {
            string from = FolderOf(sourceRoot, tree.FilePath);
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var symbol = model.GetSymbolInfo(name).Symbol ?? model.GetSymbolInfo(name).CandidateSymbols.FirstOrDefault();
                if (DeclaringType(symbol) is not { } type)
                {
                    continue;
                }

                foreach (var location in type.Locations.Where(l => l.IsInSource))
                {
                    string to = FolderOf(sourceRoot, location.SourceTree!.FilePath);
                    if (to == from)
                    {
                        continue;
                    }

                    if (!edges.TryGetValue(from, out var targets))
                    {
                        edges[from] = targets = new(StringComparer.Ordinal);
                    }

                    string user = name.Ancestors().OfType<BaseTypeDeclarationSyntax>().FirstOrDefault()?.Identifier.Text ?? Path.GetFileName(tree.FilePath);
                    targets.TryAdd(to, $"{user} → {type.Name}");
                }
            }
        }

        return new FolderDependencies(
            edges.ToDictionary(e => e.Key, e => (IReadOnlyDictionary<string, string>)e.Value, StringComparer.Ordinal), errors);
    }

    /// <summary>Finds the folder cycles of this graph.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles() =>
        FindCycles(Edges.ToDictionary(e => e.Key, e => (IReadOnlyCollection<string>)[.. e.Value.Keys], StringComparer.Ordinal));

    /// <summary>Finds the cycles of a graph: each strongly connected component of more than one node (Tarjan).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> FindCycles(IReadOnlyDictionary<string, IReadOnlyCollection<string>> edges)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        int next = 0;

        void Visit(string v)
        {
            index[v] = low[v] = next++;
            stack.Push(v);
            onStack.Add(v);
            foreach (var w in edges.TryGetValue(v, out var targets) ? targets : [])
            {
                if (!index.ContainsKey(w))
                {
                    Visit(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack.Contains(w) && index.TryGetValue(w, out int wIndex))
                {
                    low[v] = Math.Min(low[v], wIndex);
                }
            }

            if (low[v] == index[v])
            {
                var component = new List<string>();
                string w;
                do
                {
                    w = stack.Pop();
                    onStack.Remove(w);
                    component.Add(w);
                }
                while (w != v);
                if (component.Count > 1)
                {
                    component.Sort(StringComparer.Ordinal);
                    cycles.Add(component);
                }
            }
        }

        foreach (var folder in edges.Keys.Concat(edges.Values.SelectMany(t => t)).Distinct().Order(StringComparer.Ordinal))
        {
            if (!index.ContainsKey(folder))
            {
                Visit(folder);
            }
        }

        return cycles;
    }

    /// <summary>Describes a cycle: every edge between its folders, with an example use.</summary>
    public string Describe(IReadOnlyList<string> cycle) => string.Join(Environment.NewLine,
        from f in cycle
        where Edges.ContainsKey(f)
        from t in Edges[f]
        where cycle.Contains(t.Key)
        select $"  {f} → {t.Key} (e.g. {t.Value})");

    private static INamedTypeSymbol? DeclaringType(ISymbol? symbol) => symbol switch
    {
        null => null,
        INamedTypeSymbol named => named.OriginalDefinition,
        IMethodSymbol { ReducedFrom: { } extension } => extension.ContainingType,
        _ => symbol.ContainingType?.OriginalDefinition,
    };

    private static string FolderOf(string root, string file)
    {
        // A folder is one area of the core (Keys, Verification, …); its sub-folders (Keys/Remote, Verification/Rules) are
        // parts of that area, so a rule using its own area's policy type is not a cycle between areas.
        string folder = Path.GetDirectoryName(Path.GetRelativePath(root, file))!.Replace('\\', '/');
        int slash = folder.IndexOf('/', StringComparison.Ordinal);
        return folder.Length == 0 ? "(root)" : slash < 0 ? folder : folder[..slash];
    }

    private static bool IsBuildOutput(string relative) =>
        relative.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal)
        || relative.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>The runtime and package assemblies this test runs with, minus the project's own (its sources are compiled instead).</summary>
    private static List<MetadataReference> PlatformReferences()
    {
        string list = (string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")
            ?? throw new InvalidOperationException("The host gives no TRUSTED_PLATFORM_ASSEMBLIES.");
        return [.. list.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                && !Path.GetFileName(p).StartsWith("AgentPassport", StringComparison.OrdinalIgnoreCase))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => (MetadataReference)MetadataReference.CreateFromFile(g.First()))];
    }
}
