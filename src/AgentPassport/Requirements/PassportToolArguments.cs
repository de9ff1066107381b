using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// The arguments of one tool call as JSON values, in the one form every adapter hands to the
/// <see cref="PassportAuthorizer"/> (for argument constraints and a proof's <c>args</c> hash). Immutable. A value an
/// adapter could not represent as JSON is kept as <see cref="JsonValueKind.Undefined"/>: it satisfies no constraint and
/// has no canonical form, so doubt denies.
/// </summary>
public sealed class PassportToolArguments
{
    /// <summary>The most arguments one call may carry; past it the call's arguments are unreadable.</summary>
    public const int MaxArguments = 256;

    private static readonly JsonSerializerOptions ClrValues = new() { MaxDepth = 32 };

    private readonly KeyValuePair<string, object?>[]? _pending;
    private readonly Func<string, object?, object?>? _bind;
    private Dictionary<string, JsonElement>? _values;
    private bool _isComplete;

    private PassportToolArguments(Dictionary<string, JsonElement> values, bool isComplete)
    {
        _values = values;
        _isComplete = isComplete;
    }

    // Arguments read only when something asks for them: most calls are decided without them (no constraint covers the
    // scope, no holder proof), and serializing every value of every call was most of an adapter's per-call cost.
    private PassportToolArguments(KeyValuePair<string, object?>[] pending, Func<string, object?, object?> bind)
    {
        _pending = pending;
        _bind = bind;
    }

    /// <summary>Gets the arguments of a call that has none.</summary>
    public static PassportToolArguments Empty { get; } = new(new Dictionary<string, JsonElement>(StringComparer.Ordinal), isComplete: true);

    /// <summary>Gets the number of arguments.</summary>
    public int Count => Values.Count;

    /// <summary>Gets the argument names, in no particular order.</summary>
    public IEnumerable<string> Names => Values.Keys;

    /// <summary>Gets a value indicating whether every argument could be read (none is <see cref="JsonValueKind.Undefined"/> and the count is within <see cref="MaxArguments"/>).</summary>
    public bool IsComplete
    {
        get
        {
            _ = Values;
            return _isComplete;
        }
    }

    /// <summary>
    /// Gets a value indicating whether the values were ever read. A decision that did not read them did not depend on them
    /// (see <see cref="PassportToolArgumentReader.StillHolds"/>).
    /// </summary>
    internal bool WasRead => Volatile.Read(ref _values) is not null;

    private Dictionary<string, JsonElement> Values
    {
        get
        {
            if (Volatile.Read(ref _values) is { } values)
            {
                return values;
            }

            lock (_pending!)
            {
                if (_values is null)
                {
                    var (read, complete) = Read(_pending.Select(p => new KeyValuePair<string, object?>(p.Key, _bind!(p.Key, p.Value))));
                    _isComplete = complete;
                    Volatile.Write(ref _values, read);
                }

                return _values;
            }
        }
    }

    /// <summary>Reads the members of a JSON object (the form MCP and HTTP carry arguments in).</summary>
    /// <param name="arguments">A JSON object; any other kind gives arguments that are not complete.</param>
    /// <returns>The arguments.</returns>
    public static PassportToolArguments FromJsonObject(JsonElement arguments)
    {
        if (arguments.ValueKind != JsonValueKind.Object)
        {
            return new(new Dictionary<string, JsonElement>(StringComparer.Ordinal), isComplete: false);
        }

        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var complete = true;
        foreach (var property in arguments.EnumerateObject())
        {
            // A name given twice is ambiguous (which value would the tool see?): neither is trusted.
            if (values.Count >= MaxArguments || !values.TryAdd(property.Name, property.Value.Clone()))
            {
                values[property.Name] = default;
                complete = false;
            }
        }

        return new(values, complete);
    }

    /// <summary>Reads name/value pairs as an adapter holds them (<c>KernelArguments</c>, <c>AIFunctionArguments</c>).</summary>
    /// <param name="arguments">The pairs; a <see cref="JsonElement"/> value is taken as is, any other value is serialized as JSON.</param>
    /// <returns>The arguments; a value that cannot be serialized is kept as undefined.</returns>
    public static PassportToolArguments From(IEnumerable<KeyValuePair<string, object?>> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var (values, complete) = Read(arguments);
        return new(values, complete);
    }

    /// <summary>
    /// Takes the pairs now (names and value references, at most one past <see cref="MaxArguments"/>) and reads them, each
    /// value through <paramref name="bind"/>, the first time anything asks for them.
    /// </summary>
    internal static PassportToolArguments Deferred(IEnumerable<KeyValuePair<string, object?>> arguments, Func<string, object?, object?> bind)
    {
        var pending = arguments.Take(MaxArguments + 1).ToArray();
        return pending.Length == 0 ? Empty : new(pending, bind);
    }

    private static (Dictionary<string, JsonElement> Values, bool Complete) Read(IEnumerable<KeyValuePair<string, object?>> arguments)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        var complete = true;
        foreach (var (name, value) in arguments)
        {
            if (values.Count >= MaxArguments)
            {
                complete = false;
                break;
            }

            var json = ToJson(value);
            complete &= json.ValueKind != JsonValueKind.Undefined;
            values[name] = json;
        }

        return (values, complete);
    }

    /// <summary>Gets the value of the argument <paramref name="name"/> (ordinal name match).</summary>
    /// <param name="name">The argument name.</param>
    /// <param name="value">The value; <see cref="JsonValueKind.Undefined"/> when it could not be read.</param>
    /// <returns>True when the call carries the argument.</returns>
    public bool TryGetValue(string name, out JsonElement value) => Values.TryGetValue(name, out value);

    /// <summary>Writes the arguments as the RFC 8785 canonical JSON of one object (what a proof's <c>args</c> hashes).</summary>
    /// <param name="canonical">The canonical UTF-8 bytes.</param>
    /// <returns>False when the arguments are not complete or not I-JSON.</returns>
    public bool TryGetCanonicalJson([NotNullWhen(true)] out byte[]? canonical)
    {
        canonical = null;
        if (!IsComplete)
        {
            return false;
        }

        using var document = JsonDocument.Parse(JsonSerializer.SerializeToUtf8Bytes(Values));
        try
        {
            canonical = PassportCanonicalJson.Canonicalize(document.RootElement);
            return true;
        }
        catch (AgentPassportException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"PassportToolArguments ({(WasRead ? Count : _pending!.Length)} argument(s), values not shown)";

    private static JsonElement ToJson(object? value)
    {
        if (value is JsonElement element)
        {
            return element.Clone();
        }

        try
        {
            return JsonSerializer.SerializeToElement(value, ClrValues);
        }
        catch (Exception ex) when (ex is NotSupportedException or JsonException or InvalidOperationException or ArgumentException)
        {
            return default;
        }
    }
}
