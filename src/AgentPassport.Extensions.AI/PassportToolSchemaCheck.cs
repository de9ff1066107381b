using Microsoft.Extensions.AI;

namespace AgentPassport.Extensions.AI;

/// <summary>
/// Spec v1.1 §13 "Knowing the tools", for a delegating side that knows the sub-agent's tools: before a child is minted,
/// each constraint that applies to one of those tools must name one of its parameters, of a type the constraint can hold
/// (<see cref="PassportConstraints.CheckToolSchema"/>). A typo must not leave an argument silently unconstrained. The
/// refusal is audited as a refused delegation, like any other.
/// </summary>
internal static class PassportToolSchemaCheck
{
    /// <summary>Refuses <paramref name="constraints"/> that do not fit the tools (each with the scope it requires; tools without one are never run, so not checked).</summary>
    /// <exception cref="AgentPassportException"><see cref="PassportErrorKind.IssuanceRefused"/> naming scope, argument and constraint.</exception>
    public static async ValueTask EnsureFitsAsync(
        PassportConstraints constraints,
        IEnumerable<(AIFunction Tool, string? Scope)> tools,
        PassportAuthorizer authorizer,
        PassportContext? parent,
        string agentId,
        CancellationToken cancellationToken)
    {
        if (constraints.IsEmpty)
        {
            return;
        }

        try
        {
            foreach (var (tool, scope) in tools)
            {
                if (scope is not null)
                {
                    constraints.CheckToolSchema(scope, tool.JsonSchema);
                }
            }
        }
        catch (AgentPassportException refused)
        {
            await authorizer.RecordDeniedAsync(parent, $"delegate to {agentId}", refused.Error, cancellationToken: cancellationToken);
            throw;
        }
    }
}
