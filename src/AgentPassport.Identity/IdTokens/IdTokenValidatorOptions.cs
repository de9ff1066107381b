namespace AgentPassport;

/// <summary>Configures an <see cref="IdTokenValidator"/>. Values are checked when the validator is built; no option switches a check off.</summary>
public sealed class IdTokenValidatorOptions
{
    /// <summary>The largest clock skew accepted.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromSeconds(120);

    /// <summary>Gets or sets this client's id (<c>CSP_CLIENT_ID</c>): the ID token's <c>aud</c> must contain it.</summary>
    /// <value>Required.</value>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>Gets or sets how <c>acr</c> maps to assurance levels.</summary>
    /// <value>Default <see cref="IalAcrMapping"/>.</value>
    public IAcrMapping AcrMapping { get; set; } = IalAcrMapping.Instance;

    /// <summary>Gets or sets the tolerance for <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    /// <value>Default 30 seconds; 0 .. 120 seconds.</value>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets the accepted ID token signature algorithms. <c>none</c> and <c>HS*</c> are never accepted.</summary>
    /// <value>Default RS256, ES256, PS256.</value>
    public IReadOnlyList<string> AllowedAlgorithms { get; set; } =
        [PassportAlgorithms.RS256, PassportAlgorithms.ES256, PassportAlgorithms.PS256];

    /// <summary>Gets or sets the largest ID token accepted, in bytes.</summary>
    /// <value>Default 32 KiB; 1 KiB .. 256 KiB.</value>
    public int MaxTokenBytes { get; set; } = 32 * 1024;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ClientId))
        {
            throw new ArgumentException("IdTokenValidatorOptions.ClientId is required (CSP_CLIENT_ID).", nameof(ClientId));
        }

        ArgumentNullException.ThrowIfNull(AcrMapping, nameof(AcrMapping));
        if (ClockSkew < TimeSpan.Zero || ClockSkew > MaxClockSkew)
        {
            throw new ArgumentOutOfRangeException(nameof(ClockSkew), ClockSkew, "ClockSkew must be 0..120 seconds.");
        }

        if (MaxTokenBytes is < 1024 or > 256 * 1024)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTokenBytes), MaxTokenBytes, "MaxTokenBytes must be 1 KiB .. 256 KiB.");
        }

        RemoteUrls.CheckAlgorithms(AllowedAlgorithms, nameof(AllowedAlgorithms));
    }
}
