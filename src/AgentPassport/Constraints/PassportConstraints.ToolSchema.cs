using System.Text.Json;

namespace AgentPassport;

/// <content>Checking constraints against a tool's parameters when a child is minted (spec v1.1 §13 "Knowing the tools").</content>
public sealed partial class PassportConstraints
{
    /// <summary>
    /// Refuses constraints that cannot mean what they say for one tool: a constraint, on a <c>tool_scope</c> entry that
    /// covers <paramref name="requiredScope"/>, on an argument the tool's input schema does not have, or of a type the
    /// parameter cannot hold (a range on a string parameter). A typo must not leave an argument silently unconstrained,
    /// so the delegating side calls this for each of the sub-agent's tools before minting.
    /// </summary>
    /// <param name="requiredScope">The tool's required (concrete) scope.</param>
    /// <param name="inputSchema">The tool's input JSON schema (an object schema with <c>properties</c>, as <c>AIFunction.JsonSchema</c> or an MCP tool's <c>inputSchema</c> give it).</param>
    /// <exception cref="ArgumentException"><paramref name="requiredScope"/> is not a well-formed scope.</exception>
    /// <exception cref="AgentPassportException"><see cref="PassportErrorKind.IssuanceRefused"/>, with <see cref="PassportErrorDetails.Scope"/>, <see cref="PassportErrorDetails.Argument"/> and <see cref="PassportErrorDetails.Constraint"/> set.</exception>
    public void CheckToolSchema(string requiredScope, JsonElement inputSchema)
    {
        if (!PassportScope.TryParse(requiredScope, out var required, out var scopeError))
        {
            throw new ArgumentException($"the required scope is malformed: {scopeError}", nameof(requiredScope));
        }

        JsonElement properties = default;
        bool hasProperties = inputSchema.ValueKind == JsonValueKind.Object
            && inputSchema.TryGetProperty("properties", out properties) && properties.ValueKind == JsonValueKind.Object;
        foreach (var (scope, arguments) in _entries)
        {
            if (!PassportScope.Parse(scope).Covers(required))
            {
                continue;
            }

            foreach (var (name, constraint) in arguments)
            {
                if (!hasProperties || !properties.TryGetProperty(name, out var parameter))
                {
                    throw Mismatch(scope, name, constraint, $"the tool requiring '{required.Value}' has no parameter '{name}'");
                }

                if (!TypeFits(constraint, parameter, out var declared))
                {
                    throw Mismatch(scope, name, constraint, $"the parameter '{name}' of the tool requiring '{required.Value}' is {declared}, which a '{constraint.Name}' constraint cannot hold");
                }
            }
        }
    }

    private static AgentPassportException Mismatch(string scope, string argument, PassportConstraint constraint, string why) =>
        new(new PassportError(PassportErrorKind.IssuanceRefused, $"constraint {constraint} on argument '{argument}' of '{scope}' refused: {why}", details: new PassportErrorDetails
        {
            Scope = scope,
            Argument = argument,
            Constraint = constraint.Name,
        }));

    /// <summary>Whether the parameter's declared JSON type(s) can hold what the constraint accepts; a parameter with no declared type can hold anything.</summary>
    private static bool TypeFits(PassportConstraint constraint, JsonElement parameter, out string declared)
    {
        declared = "untyped";
        if (parameter.ValueKind != JsonValueKind.Object || !parameter.TryGetProperty("type", out var type))
        {
            return true;
        }

        var types = new List<string>();
        if (type.ValueKind == JsonValueKind.String)
        {
            types.Add(type.GetString()!);
        }
        else if (type.ValueKind == JsonValueKind.Array)
        {
            types.AddRange(type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!));
        }

        declared = $"of type {string.Join("|", types)}";
        return constraint.Kind switch
        {
            PassportConstraintKind.Range => types.Contains("number") || (types.Contains("integer") && IsWhole(constraint.Min) && IsWhole(constraint.Max)),
            PassportConstraintKind.Prefix or PassportConstraintKind.MaxLength or PassportConstraintKind.Regex => types.Contains("string"),
            _ => constraint.Values.All(v => ValueFits(v, types)),
        };
    }

    private static bool ValueFits(PassportConstraintValue value, List<string> types) => value.Kind switch
    {
        JsonValueKind.String => types.Contains("string"),
        JsonValueKind.Number => types.Contains("number") || (types.Contains("integer") && IsWhole(value.Number)),
        _ => types.Contains("boolean"),
    };

    private static bool IsWhole(decimal? value) => value is not decimal d || d == decimal.Truncate(d);
}
