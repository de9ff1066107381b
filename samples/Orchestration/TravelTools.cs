using Microsoft.Extensions.AI;

namespace Orchestration;

/// <summary>The travel tools every agent is given (each guarded by that agent's own Passport) and the scope each needs.</summary>
internal sealed class TravelTools
{
    public int Runs { get; private set; }

    public IReadOnlyList<(AIFunction Tool, string Scope)> All =>
    [
        (AIFunctionFactory.Create((string item) => Run($"3 flights found for {item}"), "flights_search", "Searches flights."), "flights:search"),
        (AIFunctionFactory.Create((string item) => Run($"BOOKED flight {item}"), "flights_book", "Books a flight."), "flights:book"),
        (AIFunctionFactory.Create((string item) => Run($"2 hotels found near JFK"), "hotels_search", "Searches hotels."), "hotels:search"),
        (AIFunctionFactory.Create((string item) => Run($"BOOKED hotel for {item}"), "hotels_book", "Books a hotel."), "hotels:book"),
    ];

    private string Run(string result)
    {
        Runs++;
        return result;
    }
}
