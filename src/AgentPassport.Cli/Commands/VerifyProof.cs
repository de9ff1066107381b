namespace AgentPassport.Cli;

/// <summary>
/// <c>verify --proof</c>: holder binding for one call, after the Passport and chain verified
/// (<see cref="PassportProofVerifier"/>). A bound Passport is refused without a valid proof, as at every enforcement point.
/// </summary>
/// <remarks>Each run is its own verifier, so a proof replayed to another run is not detected here: replay protection
/// needs a long-lived verifier with a shared replay cache (an MCP/HTTP server, Redis).</remarks>
internal static class VerifyProof
{
    public static async Task CheckAsync(VerificationPolicy policy, VerifiedPassport leaf, string? proof, string? operation, PassportToolArguments? arguments, CancellationToken ct)
    {
        if (proof is not null && operation is null)
        {
            throw new UsageException("--proof needs --op: the operation the proof is for (the tool's required scope).");
        }

        if (!leaf.Passport.IsHolderBound && !policy.RequireHolderBinding)
        {
            if (proof is not null)
            {
                await Console.Error.WriteLineAsync("note: the Passport is not holder-bound (no cnf); the proof was not checked.").ConfigureAwait(false);
            }

            return;
        }

        // Without a proof the operation is never compared: the verifier answers ProofRequired first.
        var expectation = PassportProofExpectation.ForOperation(leaf.Passport.Audience, operation ?? "-", arguments);
        var result = await new PassportProofVerifier(policy, new InMemoryPassportReplayCache()).VerifyAsync(leaf, proof, expectation, ct).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new CliFailure("verification failed: " + ErrorText.Describe(result.Error));
        }
    }
}
