namespace AgentPassport;

/// <summary>
/// Marks the nodes of a <see cref="DelegationTree"/> that recorded revocations stop: a <c>jti</c> revocation marks that
/// Passport, a principal or agent revocation marks the matching Passports minted before its cut-off, and every
/// descendant of a marked node is marked "via ancestor" (verification checks every link, so they are stopped too).
/// </summary>
internal static class DelegationTreeRevocations
{
    public static void Mark(List<DelegationTreeNode> roots, List<PassportAuditEvent> events)
    {
        var revocations = events.Where(e => e.Kind == PassportAuditEventKind.Revoked).ToList();
        if (revocations.Count == 0)
        {
            return;
        }

        foreach (var root in roots)
        {
            Visit(root, null);
        }

        void Visit(DelegationTreeNode node, PassportAuditEvent? inherited)
        {
            var own = revocations.FirstOrDefault(r => Stops(r, node.Minted));
            if (own is not null)
            {
                node.MarkRevoked(own, byAncestor: false);
            }
            else if (inherited is not null)
            {
                node.MarkRevoked(inherited, byAncestor: true);
            }

            foreach (var child in node.Children)
            {
                Visit(child, own ?? inherited);
            }
        }
    }

    private static bool Stops(PassportAuditEvent revocation, PassportAuditEvent minted) => revocation.RevocationKind switch
    {
        RevocationEntryKind.TokenId => minted.TokenId is not null && string.Equals(revocation.TokenId, minted.TokenId, StringComparison.Ordinal),
        RevocationEntryKind.Subject => minted.Timestamp < revocation.RevokedBefore && string.Equals(revocation.Principal, minted.Principal, StringComparison.Ordinal),
        RevocationEntryKind.Agent => minted.Timestamp < revocation.RevokedBefore && string.Equals(revocation.AgentId, minted.AgentId, StringComparison.Ordinal),
        _ => false,
    };
}
