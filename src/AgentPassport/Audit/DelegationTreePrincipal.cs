namespace AgentPassport;

/// <summary>A principal (the person a chain acts for) and the root Passports minted for their agents.</summary>
public sealed class DelegationTreePrincipal
{
    internal DelegationTreePrincipal(string principal, int? ial, IReadOnlyList<DelegationTreeNode> agents)
    {
        Principal = principal;
        Ial = ial;
        Agents = agents;
    }

    /// <summary>Gets the principal (<c>sub</c>).</summary>
    public string Principal { get; }

    /// <summary>Gets the principal's identity assurance level, when the Passports carry one.</summary>
    public int? Ial { get; }

    /// <summary>Gets the first-hop agents' nodes.</summary>
    public IReadOnlyList<DelegationTreeNode> Agents { get; }
}
