using System.Globalization;
using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// Reads a call's arguments the way the tool body will receive them, for the <see cref="PassportAuthorizer"/> (every
/// adapter uses it). Models
/// often send numbers and booleans as strings; a tool binds them by its parameter's type (Semantic Kernel's converters,
/// Microsoft.Extensions.AI's <c>AllowReadingFromString</c>), so <c>"500"</c> for a number parameter is the number 500 in
/// the body and must be the number 500 to a constraint. Culture-invariant. A string that does not parse as the parameter's
/// type is left a string, so a numeric constraint on it denies (doubt denies); every other value is taken as it is.
/// </summary>
public static class PassportToolArgumentReader
{
    /// <summary>Reads <paramref name="arguments"/> for a tool whose parameters' JSON schema (an object schema with <c>properties</c>) is <paramref name="schema"/>.</summary>
    /// <param name="arguments">The call's name/value pairs.</param>
    /// <param name="schema">The tool's parameters schema (an <c>AIFunction</c>'s <c>JsonSchema</c>, an MCP tool's <c>inputSchema</c>).</param>
    /// <returns>The arguments.</returns>
    public static PassportToolArguments Read(IEnumerable<KeyValuePair<string, object?>> arguments, JsonElement schema) =>
        Read(arguments, name => KindOf(schema, name));

    /// <summary>Reads <paramref name="arguments"/>, binding each string by its parameter's <see cref="PassportArgumentKind"/>.</summary>
    /// <param name="arguments">The call's name/value pairs.</param>
    /// <param name="kindOf">How the parameter of a name binds a string.</param>
    /// <returns>The arguments.</returns>
    public static PassportToolArguments Read(IEnumerable<KeyValuePair<string, object?>> arguments, Func<string, PassportArgumentKind> kindOf)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(kindOf);
        return PassportToolArguments.Deferred(arguments, (name, value) => Bind(value, kindOf(name)));
    }

    /// <summary>Gets how a CLR parameter type binds a string (nullable types as their underlying type).</summary>
    /// <param name="type">The parameter's type; null is <see cref="PassportArgumentKind.Other"/>.</param>
    /// <returns>The kind.</returns>
    public static PassportArgumentKind KindOf(Type? type)
    {
        type = type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
        return Type.GetTypeCode(type) switch
        {
            TypeCode.SByte or TypeCode.Byte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32
                or TypeCode.Int64 or TypeCode.UInt64 => PassportArgumentKind.WholeNumber,
            TypeCode.Single or TypeCode.Double or TypeCode.Decimal => PassportArgumentKind.Number,
            TypeCode.Boolean => PassportArgumentKind.Boolean,
            _ => type == typeof(Half) ? PassportArgumentKind.Number : PassportArgumentKind.Other,
        };
    }

    /// <summary>Gets how the parameter <paramref name="name"/> of a tool's parameters JSON schema binds a string.</summary>
    /// <param name="schema">The parameters schema.</param>
    /// <param name="name">The parameter's name.</param>
    /// <returns>The kind; <see cref="PassportArgumentKind.Other"/> when the schema does not say.</returns>
    public static PassportArgumentKind KindOf(JsonElement schema, string name)
    {
        if (schema.ValueKind != JsonValueKind.Object
            || !schema.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object
            || !properties.TryGetProperty(name, out var parameter) || parameter.ValueKind != JsonValueKind.Object
            || !parameter.TryGetProperty("type", out var type))
        {
            return PassportArgumentKind.Other;
        }

        // "type": "number", or ["number", "null"] for a nullable parameter.
        string? single = type.ValueKind == JsonValueKind.String ? type.GetString() : null;
        if (type.ValueKind == JsonValueKind.Array)
        {
            var named = type.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String && t.GetString() != "null").ToList();
            single = named.Count == 1 ? named[0].GetString() : null;
        }

        return single switch
        {
            "integer" => PassportArgumentKind.WholeNumber,
            "number" => PassportArgumentKind.Number,
            "boolean" => PassportArgumentKind.Boolean,
            _ => PassportArgumentKind.Other,
        };
    }

    /// <summary>
    /// True when a decision made on <paramref name="decided"/> holds for a call with <paramref name="current"/>: the
    /// decision never read its arguments (no constraint covered the scope and no proof bound them, so it did not depend on
    /// them), or both readings hold the same arguments (<see cref="Same"/>).
    /// </summary>
    /// <param name="decided">The arguments the decision was made on.</param>
    /// <param name="current">The arguments the body is about to receive.</param>
    /// <returns>True when the decision holds; false: decide again.</returns>
    public static bool StillHolds(PassportToolArguments decided, PassportToolArguments current)
    {
        ArgumentNullException.ThrowIfNull(decided);
        ArgumentNullException.ThrowIfNull(current);
        return !decided.WasRead || Same(decided, current);
    }

    /// <summary>
    /// True when two readings hold the same arguments (same names; values equal as JSON, numbers by value). A value that
    /// could not be read equals only another such value: a constraint on it denies either way.
    /// </summary>
    /// <param name="a">One reading.</param>
    /// <param name="b">The other.</param>
    /// <returns>True when they are the same.</returns>
    public static bool Same(PassportToolArguments a, PassportToolArguments b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count || a.IsComplete != b.IsComplete)
        {
            return false;
        }

        foreach (var name in a.Names)
        {
            if (!a.TryGetValue(name, out var x) || !b.TryGetValue(name, out var y))
            {
                return false;
            }

            var readable = x.ValueKind != JsonValueKind.Undefined;
            if (readable != (y.ValueKind != JsonValueKind.Undefined) || (readable && !JsonElement.DeepEquals(x, y)))
            {
                return false;
            }
        }

        return true;
    }

    private static object? Bind(object? value, PassportArgumentKind kind)
    {
        if (kind == PassportArgumentKind.Other)
        {
            return value;
        }

        var text = value switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => null,
        };
        if (text is null)
        {
            return value;
        }

        var invariant = CultureInfo.InvariantCulture;
        return kind switch
        {
            PassportArgumentKind.WholeNumber when long.TryParse(text, NumberStyles.Integer, invariant, out var l) => l,
            PassportArgumentKind.WholeNumber when ulong.TryParse(text, NumberStyles.Integer, invariant, out var u) => u,
            PassportArgumentKind.Number when decimal.TryParse(text, NumberStyles.Float, invariant, out var m) => m,
            PassportArgumentKind.Number when double.TryParse(text, NumberStyles.Float, invariant, out var d) && double.IsFinite(d) => d,
            PassportArgumentKind.Boolean when bool.TryParse(text, out var b) => b,
            _ => value,
        };
    }
}
