namespace AgentPassport;

// The cache-miss path: spec §5 steps 1–6 with the signature work (the public API and the cache-hit path are in PassportVerifier.cs).
public sealed partial class PassportVerifier
{
    private async ValueTask<PassportValidationResult> ValidateSlowAsync(string token, VerificationPolicy policy, IReadOnlyList<string> chain, DateTimeOffset now, CancellationToken cancellationToken)
    {
        VerifiedChainCache.Entry? verifiedParents = null;
        if (_cache is not null && token is not null)
        {
            // The whole sequence was verified before (reached here when the resolver is asynchronous).
            if (_cache.TryGet(chain, token, policy, now, out var hit))
            {
                if (await _keySets.StillTrustedAsync(hit, cancellationToken).ConfigureAwait(false))
                {
                    var error = LeafRules.Check(hit.Leaf, policy) ?? ChainShapeRule.Check(hit.Leaf, chain, policy) ?? CheckRevoked(hit.Parents, hit.Leaf);
                    return error is null ? PassportValidationResult.Success(hit.Verified) : PassportValidationResult.Failure(error);
                }

                _cache.Remove(hit);
            }

            // A new leaf under parents verified before: only the leaf's signature and its link are checked.
            if (chain.Count > 0 && _cache.TryGet(chain, null, policy, now, out var parents))
            {
                if (await _keySets.StillTrustedAsync(parents, cancellationToken).ConfigureAwait(false))
                {
                    verifiedParents = parents;
                }
                else
                {
                    _cache.Remove(parents);
                }
            }
        }

        // Leaf: spec steps 1-4, then the leaf-only step 5.
        var (leaf, leafKey, leafError) = await TokenVerification.VerifyAsync(token!, policy, _keySets, now, null, cancellationToken).ConfigureAwait(false);
        if (leafError is not null)
        {
            return PassportValidationResult.Failure(leafError);
        }

        var leafError5 = LeafRules.Check(leaf!, policy);
        if (leafError5 is not null)
        {
            return PassportValidationResult.Failure(leafError5);
        }

        // Step 6: chain presence and length before any parent signature work.
        var shapeError = ChainShapeRule.Check(leaf!, chain, policy);
        if (shapeError is not null)
        {
            return PassportValidationResult.Failure(shapeError);
        }

        if (verifiedParents is not null)
        {
            var signedLeaf = new SignedPassport(token!, leaf!);
            var linkError = ChainRules.CheckNewLeaf(signedLeaf, verifiedParents.Tokens, policy);
            if (linkError is not null)
            {
                return PassportValidationResult.Failure(linkError);
            }

            _cache!.Add([.. verifiedParents.Tokens, signedLeaf], [.. verifiedParents.Keys, leafKey], policy, now);
            return CheckRevoked(verifiedParents.Tokens, leaf!) is { } revoked ? PassportValidationResult.Failure(revoked) : PassportValidationResult.Success(new VerifiedPassport(token!, leaf!, verifiedParents.Tokens));
        }

        return await VerifyParentsAsync(new SignedPassport(token!, leaf!), leafKey, chain, policy, now, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<PassportValidationResult> VerifyParentsAsync(SignedPassport leaf, VerifiedChainCache.KeyUse leafKey, IReadOnlyList<string> chain, VerificationPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parents = new SignedPassport[chain.Count];
        var keys = _cache is null ? null : new VerifiedChainCache.KeyUse[chain.Count + 1];
        for (int i = 0; i < chain.Count; i++)
        {
            var (parent, key, parentError) = await TokenVerification.VerifyAsync(chain[i], policy, _keySets, now, i, cancellationToken).ConfigureAwait(false);
            if (parentError is not null)
            {
                return PassportValidationResult.Failure(parentError);
            }

            parents[i] = new SignedPassport(chain[i], parent!);
            keys?[i] = key;
        }

        var linkError = ChainRules.Check(leaf, parents, policy);
        if (linkError is not null)
        {
            return PassportValidationResult.Failure(linkError);
        }

        if (keys is not null)
        {
            keys[^1] = leafKey;
            _cache!.Add([.. parents, leaf], keys, policy, now);
            if (parents.Length > 0)
            {
                // The parents alone are a verified sequence too: a new leaf under them costs one signature.
                _cache.Add(parents, keys[..^1], policy, now);
            }
        }

        return CheckRevoked(parents, leaf.Passport) is { } revoked ? PassportValidationResult.Failure(revoked) : PassportValidationResult.Success(new VerifiedPassport(leaf.Token, leaf.Passport, parents));
    }
}
