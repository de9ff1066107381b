using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace AgentPassport.TestSupport.Adapters;

/// <summary>Travel tools whose bodies count how often they actually ran.</summary>
public sealed class ToolBodies
{
    private readonly ConcurrentDictionary<string, int> _runs = new();

    public int Runs(string tool) => _runs.TryGetValue(tool, out var n) ? n : 0;

    public int Total => _runs.Values.Sum();

    /// <summary>flights_book, hotels_book, payments_charge; no scope attached (the map or a resolver names it).</summary>
    public IList<AIFunction> Plain() => [Tool("flights_book"), Tool("hotels_book"), Tool("payments_charge")];

    /// <summary>The same tools, each declaring its scope (<c>flights_book</c> → <c>flights:book</c>).</summary>
    public IList<AITool> Scoped() => Plain().Select(f => (AITool)f.WithPassportScope(f.Name.Replace('_', ':'))).ToList();

    public static Dictionary<string, string> Map() => new()
    {
        ["flights_book"] = "flights:book",
        ["hotels_book"] = "hotels:book",
        ["payments_charge"] = "payments:charge",
    };

    private AIFunction Tool(string name) => AIFunctionFactory.Create(
        (string item) =>
        {
            _runs.AddOrUpdate(name, 1, (_, n) => n + 1);
            return $"{name} done for {item}";
        },
        new AIFunctionFactoryOptions { Name = name, Description = "Travel tool " + name });
}
