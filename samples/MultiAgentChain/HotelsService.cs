using System.ComponentModel;
using Microsoft.SemanticKernel;

namespace MultiAgentChain;

/// <summary>A second tool host; Carol's Passport does not reach it.</summary>
internal sealed class HotelsService
{
    [KernelFunction("book")]
    [Description("Books a hotel room.")]
    public string Book(string city) => $"BOOKED a room in {city}";
}
