namespace AgentPassport;

/// <summary>
/// The built-in <c>ial</c> mapping (configuration name <c>ial</c>): <c>http://idmanagement.gov/ns/assurance/ial/1|2|3</c>
/// → N/N/N, the legacy <c>…/loa/1</c> → 1/1/1 and <c>…/loa/3</c> → 2/2/2. Parsing is exact: anything else
/// (<c>ial/02</c>, <c>ial/+2</c>, <c>ial/ 2</c>, <c>ial/0</c>, <c>ial/4</c>, <c>loa/2</c>, https, trailing slash) is unsupported.
/// </summary>
/// <remarks>AAL and FAL are set equal to the IAL, as the reference project does; a CSP that asserts them separately needs a custom mapping.</remarks>
public sealed class IalAcrMapping : IAcrMapping
{
    /// <summary>The <c>acr</c> prefix of the IAL values.</summary>
    public const string IalPrefix = "http://idmanagement.gov/ns/assurance/ial/";

    /// <summary>The <c>acr</c> prefix of the legacy level-of-assurance values.</summary>
    public const string LoaPrefix = "http://idmanagement.gov/ns/assurance/loa/";

    /// <summary>Gets the shared instance.</summary>
    public static IalAcrMapping Instance { get; } = new();

    /// <inheritdoc />
    public AssuranceLevels? Map(string acr)
    {
        ArgumentNullException.ThrowIfNull(acr);
        int level = acr switch
        {
            IalPrefix + "1" => 1,
            IalPrefix + "2" => 2,
            IalPrefix + "3" => 3,
            LoaPrefix + "1" => 1,

            // LOA3 proofing meets IAL2, not IAL3 (NIST SP 800-63-3 §6.1).
            LoaPrefix + "3" => 2,
            _ => 0,
        };
        return level == 0 ? null : new AssuranceLevels(level, level, level);
    }
}
