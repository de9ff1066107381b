namespace AgentPassport.Cli;

/// <summary>The <c>inspect --format mermaid</c> view: the library's delegation tree as a Mermaid flowchart (<see cref="DelegationTree.ToMermaid"/>).</summary>
internal static class PassportMermaid
{
    public static string Write(Passport leaf, IReadOnlyList<Passport> chain) =>
        DelegationTree.Build(ChainEvents.From(leaf, chain)).ToMermaid();
}
