using System.Globalization;

namespace AgentPassport;

/// <content>The one-line description people read in logs and consoles; it never contains the token.</content>
public sealed partial class VerifiedPassport
{
    /// <summary>Describes the verified Passport (see <see cref="Passport.ToString"/>) and how many parents were verified with it.</summary>
    /// <returns>For example <c>verified Passport agent:carol (…) …, with 2 verified parents</c>.</returns>
    public override string ToString() =>
        "verified " + Passport + ", with " + Chain.Count.ToString(CultureInfo.InvariantCulture) + (Chain.Count == 1 ? " verified parent" : " verified parents");
}
