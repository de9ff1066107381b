using System.ComponentModel;
using System.Reflection;
using AgentPassport;
using ModelContextProtocol.Server;

namespace McpServerSample;

/// <summary>
/// The MCP server's tools. Plain MCP tools, each naming the scope it requires with <see cref="PassportScopeAttribute"/>;
/// the Passport adapter in front of them decides who may call each (a tool without a scope is never callable).
/// </summary>
[McpServerToolType]
internal sealed class FlightTools
{
    [McpServerTool(Name = "flights_search"), Description("Searches flights on a route."), PassportScope("flights:search")]
    public static string Search(string route) => $"3 flights found for {route}";

    [McpServerTool(Name = "flights_book"), Description("Books a flight."), PassportScope("flights:book")]
    public static string Book(string route) => $"BOOKED {route}, confirmation PNR-7Q2K";

    [McpServerTool(Name = "flights_cancel"), Description("Cancels a booking."), PassportScope("flights:cancel")]
    public static string Cancel(string confirmation) => $"CANCELLED {confirmation}";

    /// <summary>Each tool's name and required scope, read from the same attributes the adapter reads (for printing).</summary>
    public static IEnumerable<(string Tool, string Scope)> RequiredScopes() =>
        from m in typeof(FlightTools).GetMethods(BindingFlags.Public | BindingFlags.Static)
        let tool = m.GetCustomAttribute<McpServerToolAttribute>()
        let scope = m.GetCustomAttribute<PassportScopeAttribute>()
        where tool is not null && scope is not null
        select (tool.Name!, scope.Scope);
}
