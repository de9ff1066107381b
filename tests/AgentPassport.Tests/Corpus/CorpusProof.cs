using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Corpus;

/// <summary>
/// The proof of possession a holder-binding case presents with its leaf (spec v1.1 §11), and the call it must match.
/// </summary>
/// <param name="Token">The compact proof (may be deliberately malformed), or null when the call carries none.</param>
/// <param name="Audience">The audience called: the proof's <c>aud</c> must equal it.</param>
/// <param name="Operation">The call's operation (<c>op</c>), or null for an HTTP request.</param>
/// <param name="HttpMethod">The HTTP request's method (<c>htm</c>), or null for an operation.</param>
/// <param name="HttpUrl">The HTTP request's absolute URL (<c>htu</c> is its scheme, host, port and path), or null for an operation.</param>
/// <param name="Arguments">The call's arguments (a proof's <c>args</c> must hash to them), or null when the verifier does not know them.</param>
/// <param name="SignedWith">Which key signed the proof: a holder key name (<c>carol</c>, <c>bob</c>, <c>alice</c>, <c>thief</c>), <c>rsa-1024</c> (a throw-away key), <c>modified</c> or <c>none</c>.</param>
/// <param name="Reason">The expected <see cref="ProofFailureReason"/> name for an InvalidProof outcome, else null.</param>
internal sealed record CorpusProof(
    string? Token,
    string Audience,
    string? Operation,
    string? HttpMethod,
    string? HttpUrl,
    JsonObject? Arguments,
    string SignedWith,
    string? Reason);
