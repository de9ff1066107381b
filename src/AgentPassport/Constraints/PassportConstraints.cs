using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// A Passport's argument constraints (spec v1.1 §13, claim <c>https://agent-passport.org/claims/constraints</c>): for
/// <c>tool_scope</c> entries, which argument must satisfy which <see cref="PassportConstraint"/>. An entry with no
/// constraints is unconstrained. Each entry with its constraints is one capability: a call is allowed when some capability
/// covers its scope and its arguments satisfy all of that capability's constraints. Immutable; equal by content.
/// </summary>
public sealed partial class PassportConstraints : IEquatable<PassportConstraints>
{
    /// <summary>The most constrained arguments per scope.</summary>
    public const int MaxArgumentsPerScope = 64;

    /// <summary>The longest argument name, in characters.</summary>
    public const int MaxArgumentNameLength = 128;

    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly IReadOnlyDictionary<string, PassportConstraint> None = new Dictionary<string, PassportConstraint>(StringComparer.Ordinal);

    // Scopes and, per scope, arguments keep the order they were given in, so a token is written as it was asked for.
    private readonly List<KeyValuePair<string, Dictionary<string, PassportConstraint>>> _entries;
    private readonly Dictionary<string, Dictionary<string, PassportConstraint>> _byScope;

    private PassportConstraints(List<KeyValuePair<string, Dictionary<string, PassportConstraint>>> entries)
    {
        _entries = entries;
        _byScope = new(StringComparer.Ordinal);
        foreach (var (scope, arguments) in entries)
        {
            _byScope[scope] = arguments;
        }
    }

    /// <summary>Gets the empty set: every scope unconstrained.</summary>
    public static PassportConstraints Empty { get; } = new([]);

    /// <summary>Gets a value indicating whether no scope is constrained.</summary>
    public bool IsEmpty => _byScope.Count == 0;

    /// <summary>Gets the constrained <c>tool_scope</c> entries, in order.</summary>
    public IEnumerable<string> Scopes => _entries.Select(e => e.Key);

    /// <summary>Gets the constraints of one <c>tool_scope</c> entry (matched verbatim), by argument name; empty when it has none.</summary>
    /// <param name="scope">The <c>tool_scope</c> entry, for example <c>flights:book</c> or <c>flights:*</c>.</param>
    /// <returns>The constraints by argument name.</returns>
    public IReadOnlyDictionary<string, PassportConstraint> For(string scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return _byScope.TryGetValue(scope, out var arguments) ? arguments : None;
    }

    /// <summary>Returns a copy with one more constraint.</summary>
    /// <param name="scope">The <c>tool_scope</c> entry it applies to (verbatim).</param>
    /// <param name="argument">The argument's name.</param>
    /// <param name="constraint">The constraint.</param>
    /// <returns>The new set.</returns>
    /// <exception cref="ArgumentException">The scope is malformed, the argument name empty or too long, the argument already constrained for that scope, or a cap exceeded.</exception>
    public PassportConstraints With(string scope, string argument, PassportConstraint constraint)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(argument);
        ArgumentNullException.ThrowIfNull(constraint);
        var entries = _entries.Select(e => new KeyValuePair<string, Dictionary<string, PassportConstraint>>(e.Key, new(e.Value, StringComparer.Ordinal))).ToList();
        int index = entries.FindIndex(e => e.Key == scope);
        if (index < 0)
        {
            if (ScopeError(scope) is { } scopeError)
            {
                throw new ArgumentException(scopeError, nameof(scope));
            }

            entries.Add(new(scope, new(StringComparer.Ordinal)));
            index = entries.Count - 1;
        }

        var arguments = entries[index].Value;
        if (ArgumentError(argument, arguments.Count) is { } argumentError)
        {
            throw new ArgumentException(argumentError, nameof(argument));
        }

        if (!arguments.TryAdd(argument, constraint))
        {
            throw new ArgumentException($"'{argument}' is already constrained for '{scope}' (an argument has one constraint; a range takes min and max together)", nameof(argument));
        }

        return new(entries);
    }

    /// <summary>Reads the claim's JSON text, for example <c>{"flights:book":{"amount":{"max":500},"dest":{"in":["JFK","LGA"]}}}</c>.</summary>
    /// <param name="json">The JSON text.</param>
    /// <returns>The constraints.</returns>
    /// <exception cref="AgentPassportException"><see cref="PassportErrorKind.MalformedClaims"/>: not JSON, or not a valid constraints object.</exception>
    public static PassportConstraints Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
            return Parse(document.RootElement);
        }
        catch (JsonException ex)
        {
            throw AgentPassportException.Create(PassportErrorKind.MalformedClaims, $"constraints: not valid JSON ({ex.Message})");
        }
    }

    /// <summary>Reads the claim's JSON value.</summary>
    /// <param name="json">The JSON object.</param>
    /// <returns>The constraints.</returns>
    /// <exception cref="AgentPassportException"><see cref="PassportErrorKind.MalformedClaims"/>: not a valid constraints object.</exception>
    public static PassportConstraints Parse(JsonElement json) =>
        TryParse(json, out var constraints, out var error) ? constraints : throw AgentPassportException.Create(PassportErrorKind.MalformedClaims, $"constraints: {error}");

    /// <summary>Reads the claim's JSON value: an object keyed by <c>tool_scope</c> entries whose values map argument names to one constraint each.</summary>
    /// <param name="json">The JSON object.</param>
    /// <param name="constraints">The constraints, when valid.</param>
    /// <param name="error">Why not, when invalid: an unknown kind, an empty or oversized <c>in</c>, <c>min</c> above <c>max</c>, a number beyond exact decimal range, a regex the linear engine refuses, a duplicate member.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryParse(JsonElement json, [NotNullWhen(true)] out PassportConstraints? constraints, [NotNullWhen(false)] out string? error)
    {
        try
        {
            return TryRead(json, out constraints, out error);
        }
        catch (InvalidOperationException)
        {
            constraints = null;
            error = "a string cannot be decoded (an escaped lone surrogate)";
            return false;
        }
    }

    private static bool TryRead(JsonElement json, [NotNullWhen(true)] out PassportConstraints? constraints, [NotNullWhen(false)] out string? error)
    {
        constraints = null;
        if (json.ValueKind != JsonValueKind.Object)
        {
            error = "must be a JSON object keyed by tool_scope entries";
            return false;
        }

        var entries = new List<KeyValuePair<string, Dictionary<string, PassportConstraint>>>();
        var scopes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var scope in json.EnumerateObject())
        {
            if (!scopes.Add(scope.Name))
            {
                error = $"the scope '{PassportConstraint.Clip(scope.Name)}' appears twice";
                return false;
            }

            if (ScopeError(scope.Name) is { } scopeError)
            {
                error = $"'{PassportConstraint.Clip(scope.Name)}': {scopeError}";
                return false;
            }

            if (scope.Value.ValueKind != JsonValueKind.Object)
            {
                error = $"'{scope.Name}' must map argument names to constraints";
                return false;
            }

            var arguments = new Dictionary<string, PassportConstraint>(StringComparer.Ordinal);
            foreach (var argument in scope.Value.EnumerateObject())
            {
                if (ArgumentError(argument.Name, arguments.Count) is { } argumentError)
                {
                    error = $"'{scope.Name}': {argumentError}";
                    return false;
                }

                if (arguments.ContainsKey(argument.Name))
                {
                    error = $"'{scope.Name}': the argument '{PassportConstraint.Clip(argument.Name)}' appears twice";
                    return false;
                }

                if (!PassportConstraint.TryParse(argument.Value, out var constraint, out var constraintError))
                {
                    error = $"'{scope.Name}' argument '{PassportConstraint.Clip(argument.Name)}': {constraintError}";
                    return false;
                }

                arguments.Add(argument.Name, constraint);
            }

            // An entry with no constraints is unconstrained, the same as no entry.
            if (arguments.Count > 0)
            {
                entries.Add(new(scope.Name, arguments));
            }
        }

        constraints = entries.Count == 0 ? Empty : new(entries);
        error = null;
        return true;
    }

    /// <summary>Writes the claim's JSON object.</summary>
    /// <param name="writer">The writer.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        foreach (var (scope, arguments) in _entries)
        {
            writer.WriteStartObject(scope);
            foreach (var (name, constraint) in arguments)
            {
                writer.WritePropertyName(name);
                constraint.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    /// <summary>Gets the claim's compact JSON text.</summary>
    /// <returns>The JSON text.</returns>
    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <inheritdoc />
    public override string ToString() => ToJson();

    /// <inheritdoc />
    public bool Equals(PassportConstraints? other)
    {
        if (other is null || other._byScope.Count != _byScope.Count)
        {
            return false;
        }

        foreach (var (scope, arguments) in _byScope)
        {
            if (!other._byScope.TryGetValue(scope, out var theirs) || theirs.Count != arguments.Count)
            {
                return false;
            }

            foreach (var (name, constraint) in arguments)
            {
                if (!theirs.TryGetValue(name, out var their) || !constraint.Equals(their))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PassportConstraints);

    /// <inheritdoc />
    public override int GetHashCode() => _byScope.Count;

    /// <summary>The first key that is not an entry of <paramref name="toolScope"/>, or null (spec: such a key is MalformedClaims).</summary>
    internal string? KeyOutside(ScopeSet toolScope)
    {
        foreach (var (scope, _) in _entries)
        {
            if (!Listed(scope, toolScope))
            {
                return scope;
            }
        }

        return null;
    }

    private static bool Listed(string scope, ScopeSet toolScope)
    {
        for (int i = 0; i < toolScope.Count; i++)
        {
            if (string.Equals(toolScope[i].Value, scope, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string? ScopeError(string scope) => PassportScope.Validate(scope);

    private static string? ArgumentError(string name, int count) =>
        name.Length == 0 ? "an argument name must not be empty"
        : name.Length > MaxArgumentNameLength ? $"an argument name is at most {MaxArgumentNameLength} characters"
        : count >= MaxArgumentsPerScope ? $"at most {MaxArgumentsPerScope} arguments may be constrained per scope"
        : null;
}
