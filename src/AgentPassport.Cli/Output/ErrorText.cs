namespace AgentPassport.Cli;

/// <summary>Words a typed error as <c>&lt;ErrorName&gt;: &lt;message&gt;</c>, with the chain rule and the stable code.</summary>
internal static class ErrorText
{
    public static string Describe(PassportError error) => error.ChainReason == ChainBrokenReason.None
        ? $"{error.Name}: {error.Message} (code {error.Code})"
        : $"{error.Name}: {error.Message} (rule {error.ChainReason}, code {error.Code})";
}
