using System.Text.Json.Serialization;

namespace AgentPassport;

/// <summary>
/// The result a denied tool call returns in place of running: the model reads <see cref="Message"/> (short unless details
/// were opted into); the application reads the typed <see cref="Decision"/>, which is never serialized to the model.
/// </summary>
public sealed class PassportDenial
{
    /// <summary>Initializes a denial.</summary>
    /// <param name="decision">The denial decision.</param>
    /// <param name="includeDetails">Whether the model-visible message names the error.</param>
    /// <exception cref="ArgumentException">The decision is an allow.</exception>
    public PassportDenial(PassportDecision decision, bool includeDetails)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.IsAllowed)
        {
            throw new ArgumentException("A denial needs a denied decision.", nameof(decision));
        }

        Decision = decision;
        Message = decision.ToModelText(includeDetails);
    }

    /// <summary>Gets a value the model reads: always true.</summary>
    [JsonPropertyName("denied")]
#pragma warning disable CA1822 // An instance property so JSON serialization shows it to the model.
    public bool Denied => true;
#pragma warning restore CA1822

    /// <summary>Gets the text the model reads.</summary>
    [JsonPropertyName("message")]
    public string Message { get; }

    /// <summary>Gets the typed decision, for the application only.</summary>
    [JsonIgnore]
    public PassportDecision Decision { get; }

    /// <summary>Gets the typed error.</summary>
    [JsonIgnore]
    public PassportError Error => Decision.Error!;

    /// <summary>Returns the model-visible message.</summary>
    /// <returns>The message.</returns>
    public override string ToString() => Message;
}
