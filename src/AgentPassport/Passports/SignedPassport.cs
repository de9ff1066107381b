namespace AgentPassport;

/// <summary>A compact Passport token with its decoded claims.</summary>
/// <param name="Token">The compact token.</param>
/// <param name="Passport">Its claims.</param>
public sealed record SignedPassport(string Token, Passport Passport);
