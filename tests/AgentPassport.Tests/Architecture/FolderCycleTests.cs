using AgentPassport.Tests.Support;
using Xunit.Abstractions;

namespace AgentPassport.Tests.Architecture;

/// <summary>
/// The core's folders form a layered graph: no folder uses a folder that (directly or through others) uses it back.
/// A cycle means two concepts were split across folders that cannot be understood one without the other.
/// </summary>
public sealed class FolderCycleTests(ITestOutputHelper output)
{
    private static readonly Lazy<FolderDependencies> Core =
        new(() => FolderDependencies.Compute(Path.Combine(RepoPaths.Root, "src", "AgentPassport")));

    [Fact]
    public void Core_sources_compile_so_the_graph_is_complete()
    {
        Assert.True(Core.Value.CompileErrors.Count == 0, string.Join(Environment.NewLine, Core.Value.CompileErrors.Take(20)));
    }

    [Fact]
    public void Core_folders_have_no_dependency_cycles()
    {
        var graph = Core.Value;
        foreach (var (from, targets) in graph.Edges)
        {
            output.WriteLine($"{from} → {string.Join(", ", targets.Keys)}");
        }

        var cycles = graph.Cycles();
        Assert.True(cycles.Count == 0, "Folder cycles in src/AgentPassport:" + Environment.NewLine
            + string.Join(Environment.NewLine, cycles.Select(c => $"[{string.Join(" ↔ ", c)}]{Environment.NewLine}{graph.Describe(c)}")));
    }

    [Fact]
    public void Graph_sees_known_dependencies_and_would_report_a_cycle()
    {
        var graph = Core.Value;

        // The verifier uses the key resolver interface: the analysis is not vacuous.
        Assert.Contains("Keys", graph.Edges["Verification"].Keys);

        // A use back from Keys into Verification would close a loop; the cycle finder reports exactly that pair.
        var edges = graph.Edges.ToDictionary(e => e.Key, e => (IReadOnlyCollection<string>)[.. e.Value.Keys], StringComparer.Ordinal);
        edges["Keys"] = [.. edges.GetValueOrDefault("Keys", []), "Verification"];
        Assert.Contains(FolderDependencies.FindCycles(edges), c => c.Contains("Keys") && c.Contains("Verification"));
    }
}
