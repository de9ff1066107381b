using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace KernelFilter;

/// <summary>Counts how often each tool body really ran, so the sample can show that denied bodies never run.</summary>
internal sealed class ToolRuns
{
    public int Search;
    public int Book;
    public int Charge;

    public override string ToString() => $"flights.search {Search}, flights.book {Book}, payments.charge {Charge}";
}

/// <summary>A plain Semantic Kernel plugin: it knows nothing about Passports. Required scopes default to plugin:function.</summary>
internal sealed class FlightsPlugin(ToolRuns runs)
{
    [KernelFunction("search"), Description("Searches flights on a route.")]
    public string Search(string route)
    {
        runs.Search++;
        return $"3 flights found for {route}";
    }

    [KernelFunction("book"), Description("Books a flight.")]
    public string Book(string route)
    {
        runs.Book++;
        return $"BOOKED {route}";
    }
}

/// <summary>The second plugin: charging money needs payments:charge.</summary>
internal sealed class PaymentsPlugin(ToolRuns runs)
{
    [KernelFunction("charge"), Description("Charges the card on file.")]
    public string Charge(string route)
    {
        runs.Charge++;
        return $"CHARGED for {route}";
    }
}
