using System.Text.Json.Nodes;

namespace AgentPassport.Tests.Corpus;

/// <summary>One conformance case: the leaf, its chain (root first), the policy overrides and the expected outcome.</summary>
/// <param name="Id">Stable id: <c>rNN-category-MM-slug</c> for row NN of "Recommended lists (a)", <c>c-chain-continuity-…</c> for chain continuity, <c>b-baseline-…</c> for baselines.</param>
/// <param name="Category">The row number (1..15), 0 for baselines, 20 for chain continuity, 21 for argument constraints, 22 for holder binding.</param>
/// <param name="CategoryName">The row's name.</param>
/// <param name="Description">What the case does.</param>
/// <param name="Leaf">The compact leaf token (may be deliberately malformed).</param>
/// <param name="Chain">The parents, root first.</param>
/// <param name="Policy">Overrides of the default policy (null = none).</param>
/// <param name="Expected">"valid", a <see cref="PassportErrorKind"/> name, or "InvalidPolicy" when the policy itself must be refused.</param>
/// <param name="ChainReason">The <see cref="ChainBrokenReason"/> name for ChainBroken cases.</param>
/// <param name="ChainIndex">The index of the chain token the error is about (0 = root), null for the leaf.</param>
/// <param name="SignedWith">"current" or "previous" (a trusted key: the leaf's signature over its literal signing input verifies), "untrusted", "modified" (the case is about the signature bytes) or "none".</param>
/// <param name="Note">Why the expectation is what it is, when not obvious.</param>
/// <param name="Arguments">The call's arguments, checked against <c>policy.requiredScope</c> (argument-constraint cases only).</param>
/// <param name="Proof">The proof of possession presented with the leaf and the call it must match (holder-binding cases only).</param>
internal sealed record CorpusCase(
    string Id,
    int Category,
    string CategoryName,
    string Description,
    string Leaf,
    IReadOnlyList<string> Chain,
    JsonObject? Policy,
    string Expected,
    string? ChainReason,
    int? ChainIndex,
    string SignedWith,
    string? Note,
    JsonObject? Arguments = null,
    CorpusProof? Proof = null);
