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

    /// <summary>Gets the booking tool with a fare: what argument constraints limit (amount, destination).</summary>
    public AIFunction BookFare =>
        AIFunctionFactory.Create((string dest, decimal amount) => Run($"BOOKED SFO -> {dest} for {amount}"), "flights_book", "Books a flight at a fare.").WithPassportScope("flights:book");

    private string Run(string result)
    {
        Runs++;
        return result;
    }
}
