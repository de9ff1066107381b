using System.ComponentModel;
using ModelContextProtocol.Server;

namespace McpServerSample;

/// <summary>The MCP server's tools. Plain MCP tools: the Passport gate in front of them decides who may call each.</summary>
[McpServerToolType]
internal sealed class FlightTools
{
    /// <summary>The scope each tool requires; a tool missing here is never callable (deny by default).</summary>
    public static readonly IReadOnlyDictionary<string, string> RequiredScopes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["flights_search"] = "flights:search",
        ["flights_book"] = "flights:book",
        ["flights_cancel"] = "flights:cancel",
    };

    [McpServerTool(Name = "flights_search"), Description("Searches flights on a route.")]
    public static string Search(string route) => $"3 flights found for {route}";

    [McpServerTool(Name = "flights_book"), Description("Books a flight.")]
    public static string Book(string route) => $"BOOKED {route}, confirmation PNR-7Q2K";

    [McpServerTool(Name = "flights_cancel"), Description("Cancels a booking.")]
    public static string Cancel(string confirmation) => $"CANCELLED {confirmation}";
}
