using Microsoft.Extensions.AI;

namespace Orchestration;

/// <summary>The travel tools every agent is given, each declaring the scope it needs (the agent's Passport decides who may run it).</summary>
internal sealed class TravelTools
{
    public int Runs { get; private set; }

    public IReadOnlyList<AIFunction> All =>
    [
        AIFunctionFactory.Create((string item) => Run($"3 flights found for {item}"), "flights_search", "Searches flights.").WithPassportScope("flights:search"),
        AIFunctionFactory.Create((string item) => Run($"BOOKED flight {item}"), "flights_book", "Books a flight.").WithPassportScope("flights:book"),
        AIFunctionFactory.Create((string item) => Run($"2 hotels found near JFK"), "hotels_search", "Searches hotels.").WithPassportScope("hotels:search"),
        AIFunctionFactory.Create((string item) => Run($"BOOKED hotel for {item}"), "hotels_book", "Books a hotel.").WithPassportScope("hotels:book"),
    ];

    private string Run(string result)
    {
        Runs++;
        return result;
    }
}
