namespace AgentPassport;

/// <summary>How a tool parameter binds an argument sent as a string (see <see cref="PassportToolArgumentReader"/>).</summary>
public enum PassportArgumentKind
{
    /// <summary>The value is taken as it is.</summary>
    Other,

    /// <summary>An integer parameter (any .NET integer type, JSON schema "integer"): an invariant integer string is that integer.</summary>
    WholeNumber,

    /// <summary>A number parameter: an invariant decimal or floating-point string is that number.</summary>
    Number,

    /// <summary>A boolean parameter: <c>"true"</c> / <c>"false"</c> (any case) is that boolean.</summary>
    Boolean,
}
