namespace AgentPassport.ModelContextProtocol.Tests.Support;

/// <summary>Counts how often each MCP tool body ran.</summary>
public sealed class McpToolRuns
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _runs = new();

    public int Runs(string tool) => _runs.TryGetValue(tool, out var n) ? n : 0;

    public int Total => _runs.Values.Sum();

    public string Hit(string tool, string item)
    {
        _runs.AddOrUpdate(tool, 1, (_, n) => n + 1);
        return $"{tool} done for {item}";
    }
}
