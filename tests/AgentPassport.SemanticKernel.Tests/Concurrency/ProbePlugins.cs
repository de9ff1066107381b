using System.Collections.Concurrent;
using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace AgentPassport.SemanticKernel.Tests.Concurrency;

/// <summary>Records, per call id, which tool body ran and the Passport token of the kernel it ran on.</summary>
public sealed class ProbeLog
{
    public ConcurrentDictionary<int, (string Tool, string? Token)> Runs { get; } = new();

    public string Hit(string tool, Kernel kernel, int call)
    {
        if (!Runs.TryAdd(call, (tool, kernel.GetPassport()?.Token)))
        {
            throw new InvalidOperationException($"call {call} ran twice");
        }

        return $"{tool}:{call}";
    }
}

public sealed class ProbeFlights(ProbeLog log)
{
    [KernelFunction("book"), Description("Books a flight.")]
    public string Book(Kernel kernel, int call) => log.Hit("flights.book", kernel, call);

    [KernelFunction("search"), Description("Searches flights.")]
    public string Search(Kernel kernel, int call) => log.Hit("flights.search", kernel, call);
}

public sealed class ProbeHotels(ProbeLog log)
{
    [KernelFunction("book"), Description("Books a hotel.")]
    public string Book(Kernel kernel, int call) => log.Hit("hotels.book", kernel, call);

    [KernelFunction("cancel"), Description("Cancels a hotel booking.")]
    public string Cancel(Kernel kernel, int call) => log.Hit("hotels.cancel", kernel, call);
}

public sealed class ProbePayments(ProbeLog log)
{
    [KernelFunction("charge"), Description("Charges a card.")]
    public string Charge(Kernel kernel, int call) => log.Hit("payments.charge", kernel, call);
}
