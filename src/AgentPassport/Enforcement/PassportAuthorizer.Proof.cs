namespace AgentPassport;

/// <content>Holder binding (spec v1.1 §11): the proof of possession each call of a bound Passport needs.</content>
public sealed partial class PassportAuthorizer
{
    /// <summary>
    /// Checks holder binding for one call. In process (<see cref="PassportContext.HolderKey"/>) a proof over the call's
    /// scope and arguments is signed with the agent's key and verified like any other; across processes the caller's
    /// <see cref="PassportContext.Proof"/> is verified. A bound Passport with neither is refused.
    /// </summary>
    private ValueTask<PassportProofResult> CheckProofAsync(PassportContext context, VerifiedPassport verified, string requiredScope, PassportToolArguments? arguments, CancellationToken cancellationToken)
    {
        var expectation = PassportProofExpectation.ForOperation(verified.Passport.Audience, requiredScope, arguments);
        string? proof = context.Proof;
        if (proof is null && context.HolderKey is { } key && (verified.Passport.IsHolderBound || Policy.RequireHolderBinding))
        {
            proof = PassportProof.CreateWithArgumentsHash(key, verified.Passport.Audience, verified.TokenHash, requiredScope, expectation.ArgumentsHash, TimeProvider);
        }

        // Arguments without a canonical form (or unseen by the adapter) are left out of the proof: the verifier then refuses
        // the call if the policy requires argument binding, so doubt still denies.
        return _proofs.VerifyAsync(verified, proof, expectation, cancellationToken);
    }
}
