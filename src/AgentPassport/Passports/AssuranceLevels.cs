namespace AgentPassport;

/// <summary>NIST SP 800-63-3 assurance levels of the principal's identity proofing (IAL), authentication (AAL) and federation (FAL), each 1..3.</summary>
public sealed record AssuranceLevels
{
    /// <summary>Initializes the levels; each must be 1..3.</summary>
    /// <param name="ial">Identity assurance level.</param>
    /// <param name="aal">Authenticator assurance level.</param>
    /// <param name="fal">Federation assurance level.</param>
    public AssuranceLevels(int ial, int aal, int fal)
    {
        Ial = CheckLevel(ial, nameof(ial));
        Aal = CheckLevel(aal, nameof(aal));
        Fal = CheckLevel(fal, nameof(fal));
    }

    /// <summary>Gets the identity assurance level.</summary>
    public int Ial { get; }

    /// <summary>Gets the authenticator assurance level.</summary>
    public int Aal { get; }

    /// <summary>Gets the federation assurance level.</summary>
    public int Fal { get; }

    internal static int CheckLevel(int value, string name) =>
        value is >= 1 and <= 3 ? value : throw new ArgumentOutOfRangeException(name, value, "An assurance level must be 1, 2 or 3.");
}
