namespace AgentPassport.AspNetCore;

/// <summary>The error kinds that say the holder's proof is missing or wrong: a credential problem (401), never a permission one.</summary>
internal static class PassportProofErrors
{
    public static bool IsProofError(PassportErrorKind kind) => kind is PassportErrorKind.ProofRequired or PassportErrorKind.InvalidProof
        or PassportErrorKind.HolderMismatch or PassportErrorKind.ReplayDetected or PassportErrorKind.ReplayCacheUnavailable;
}
