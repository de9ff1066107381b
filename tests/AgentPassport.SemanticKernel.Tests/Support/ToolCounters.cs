using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests.Support;

/// <summary>Counts how many times each tool body actually ran, and which agent's kernel it ran on.</summary>
public sealed class ToolCounters
{
    private readonly ConcurrentDictionary<string, int> _runs = new();

    public ConcurrentQueue<(string Tool, string? AgentId)> Log { get; } = new();

    public int Runs(string tool) => _runs.TryGetValue(tool, out var n) ? n : 0;

    public int Total => _runs.Values.Sum();

    public string Hit(string tool, Kernel? kernel)
    {
        _runs.AddOrUpdate(tool, 1, (_, n) => n + 1);
        var passport = kernel?.GetPassport();
        Log.Enqueue((tool, passport is null ? null : PassportReader.DecodeUnverified(passport.Token).AgentId));
        return $"{tool} done";
    }
}

public sealed class FlightsPlugin(ToolCounters counters)
{
    [KernelFunction("book"), Description("Books a flight.")]
    public string Book(Kernel kernel, string item) => counters.Hit("flights.book", kernel);

    [KernelFunction("search"), Description("Searches flights.")]
    public string Search(Kernel kernel, string item) => counters.Hit("flights.search", kernel);
}

public sealed class HotelsPlugin(ToolCounters counters)
{
    [KernelFunction("book"), Description("Books a hotel.")]
    public string Book(Kernel kernel, string item) => counters.Hit("hotels.book", kernel);
}

public sealed class PaymentsPlugin(ToolCounters counters)
{
    [KernelFunction("charge"), Description("Charges a card.")]
    public string Charge(Kernel kernel, string item) => counters.Hit("payments.charge", kernel);
}

/// <summary>A plugin whose function names a scope other than its default.</summary>
public sealed class TravelAdminPlugin(ToolCounters counters)
{
    [KernelFunction("refund"), Description("Refunds a booking."), PassportScope("flights:refund")]
    public string Refund(Kernel kernel, string item) => counters.Hit("admin.refund", kernel);
}

/// <summary>
/// A flight booking whose body makes a nested call (it pays through the kernel it was given): what the body's kernel is
/// decides whose Passport the nested payments.charge is checked against.
/// </summary>
public sealed class NestedBookingPlugin(ToolCounters counters)
{
    [KernelFunction("book"), Description("Books a flight and pays for it.")]
    public async Task<string> Book(Kernel kernel, string item)
    {
        counters.Hit("flights.book", kernel);
        var paid = await kernel.InvokeAsync("payments", "charge", new KernelArguments { ["item"] = item });
        return "booked; payment: " + paid.GetValue<object>();
    }
}
