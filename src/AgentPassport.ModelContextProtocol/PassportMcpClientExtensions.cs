using System.Text.Json;
using System.Text.Json.Nodes;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace AgentPassport.ModelContextProtocol;

/// <summary>
/// The caller's side of the MCP wire contract (spec v1.1 §15) for the official MCP C# client: each tool call carries the
/// Passport, its chain (root first) and, for a holder-bound Passport, a fresh proof of possession in the request's
/// <c>_meta</c> (<see cref="PassportMcpWire"/>). The proof's <c>op</c> is the tool's required scope and its <c>args</c>
/// the hash of exactly the arguments sent, so it is good for this one call only.
/// </summary>
public static class PassportMcpClientExtensions
{
    /// <summary>Calls a tool with the agent's Passport (and a proof, when it is holder-bound) in the request's <c>_meta</c>.</summary>
    /// <param name="client">The MCP client.</param>
    /// <param name="passport">The agent's Passport, chain and (for a bound Passport) holder key (<see cref="PassportContext.WithHolderKey"/>).</param>
    /// <param name="toolName">The tool to call.</param>
    /// <param name="requiredScope">The scope the server requires for the tool (the proof's <c>op</c>).</param>
    /// <param name="arguments">The call's arguments; serialized once, and the proof binds exactly what is sent.</param>
    /// <param name="timeProvider">The clock for the proof's <c>iat</c>; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The tool's result (a denied call is an error result the server marks with <see cref="PassportMcpWire.MetaDeniedKey"/>).</returns>
    /// <exception cref="InvalidOperationException">The Passport is bound but the context holds no key or another key.</exception>
    public static ValueTask<CallToolResult> CallToolWithPassportAsync(
        this McpClient client, PassportContext passport, string toolName, string requiredScope,
        IReadOnlyDictionary<string, object?>? arguments = null, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.CallToolAsync(CreateCallToolRequest(passport, toolName, requiredScope, arguments, timeProvider), cancellationToken);
    }

    /// <summary>Builds the <c>tools/call</c> parameters <see cref="CallToolWithPassportAsync"/> sends: the arguments as JSON and the Passport, chain and proof in <c>_meta</c>.</summary>
    /// <param name="passport">The agent's Passport, chain and holder key.</param>
    /// <param name="toolName">The tool to call.</param>
    /// <param name="requiredScope">The scope the server requires for the tool.</param>
    /// <param name="arguments">The call's arguments.</param>
    /// <param name="timeProvider">The clock for the proof's <c>iat</c>.</param>
    /// <returns>The request parameters; the proof in them is usable once, within the server's proof window.</returns>
    /// <exception cref="InvalidOperationException">The Passport is bound but the context holds no key or another key.</exception>
    public static CallToolRequestParams CreateCallToolRequest(
        PassportContext passport, string toolName, string requiredScope, IReadOnlyDictionary<string, object?>? arguments = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(passport);
        ArgumentException.ThrowIfNullOrWhiteSpace(toolName);
        ArgumentException.ThrowIfNullOrWhiteSpace(requiredScope);
        var claims = PassportReader.DecodeUnverified(passport.Token);
        CheckHolderKey(passport, claims.HolderThumbprint);

        // Serialized once: the proof hashes the very JSON values the server receives.
        var sent = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (name, value) in arguments ?? new Dictionary<string, object?>())
        {
            sent[name] = JsonSerializer.SerializeToElement(value, McpJsonUtilities.DefaultOptions.GetTypeInfo(value?.GetType() ?? typeof(object)));
        }

        var meta = new JsonObject { [PassportMcpWire.MetaTokenKey] = passport.Token };
        if (passport.ChainTokens.Count > 0)
        {
            meta[PassportMcpWire.MetaChainKey] = new JsonArray([.. passport.ChainTokens.Select(t => (JsonNode)JsonValue.Create(t))]);
        }

        if (passport.HolderKey is { } key)
        {
            var bound = PassportToolArguments.From(sent.Select(p => new KeyValuePair<string, object?>(p.Key, p.Value)));
            meta[PassportMcpWire.MetaProofKey] = PassportProof.Create(key, claims.Audience, passport.Token, requiredScope.Trim(),
                PassportProof.HashArguments(bound) is null ? null : bound, timeProvider);
        }

        return new CallToolRequestParams { Name = toolName, Arguments = sent, Meta = meta };
    }

    private static void CheckHolderKey(PassportContext passport, string? bound)
    {
        if (bound is null)
        {
            return;
        }

        if (passport.HolderKey is null)
        {
            throw new InvalidOperationException("The Passport is bound to a holder key (cnf.jkt), so every call needs a proof signed by that key: pass context.WithHolderKey(key).");
        }

        if (!string.Equals(passport.HolderKey.Thumbprint, bound, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The context's holder key is not the key the Passport is bound to (its thumbprint differs from cnf.jkt): pass the agent's own key.");
        }
    }
}
