using System.ComponentModel;
using AgentPassport.ModelContextProtocol;
using ModelContextProtocol.Server;

namespace AgentPassport.ModelContextProtocol.Tests.Support;

/// <summary>The MCP server's tools: two name their scope with the attribute, one is mapped in options, one has no scope.</summary>
[McpServerToolType]
public sealed class TravelMcpTools(McpToolRuns runs)
{
    [McpServerTool(Name = "flights_book"), Description("Books a flight."), PassportScope("flights:book")]
    public string BookFlight(string item) => runs.Hit("flights_book", item);

    [McpServerTool(Name = "hotels_book"), Description("Books a hotel."), PassportScope("hotels:book")]
    public string BookHotel(string item) => runs.Hit("hotels_book", item);

    [McpServerTool(Name = "payments_charge"), Description("Charges a card.")]
    public string Charge(string item) => runs.Hit("payments_charge", item);

    [McpServerTool(Name = "admin_reset"), Description("No scope is defined for this tool.")]
    public string Reset(string item) => runs.Hit("admin_reset", item);
}
