using System.ComponentModel;
using AgentPassport;
using ModelContextProtocol.Server;

namespace DistributedSample;

/// <summary>The tool server's MCP tools; each names the scope it requires, and the Passport filter decides who may call it.</summary>
[McpServerToolType]
internal sealed class FlightTools
{
    [McpServerTool(Name = "flights_search"), Description("Searches flights on a route."), PassportScope("flights:search")]
    public static string Search(string route) => $"3 flights found for {route}";

    [McpServerTool(Name = "flights_book"), Description("Books a flight."), PassportScope("flights:book")]
    public static string Book(string dest, decimal amount) => $"BOOKED SFO -> {dest} for {amount}, confirmation PNR-7Q2K";

    [McpServerTool(Name = "flights_cancel"), Description("Cancels a booking."), PassportScope("flights:cancel")]
    public static string Cancel(string confirmation) => $"CANCELLED {confirmation}";
}
