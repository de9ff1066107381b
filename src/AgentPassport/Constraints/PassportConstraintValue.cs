using System.Text.Json;

namespace AgentPassport;

/// <summary>
/// A value an <c>eq</c> or <c>in</c> constraint compares with: a string (ordinal, no Unicode normalization), an exact
/// decimal number (<c>500</c>, <c>500.0</c> and <c>5e2</c> are equal), or a boolean. Values of different types are never
/// equal: the string <c>"500"</c> is not the number 500, and <c>"true"</c> is not <see langword="true"/>.
/// </summary>
public readonly record struct PassportConstraintValue
{
    private readonly string? _string;
    private readonly decimal _number;
    private readonly bool _boolean;

    private PassportConstraintValue(JsonValueKind kind, string? text, decimal number, bool boolean)
    {
        Kind = kind;
        _string = text;
        _number = number;
        _boolean = boolean;
    }

    /// <summary>Gets the JSON type: <see cref="JsonValueKind.String"/>, <see cref="JsonValueKind.Number"/>, <see cref="JsonValueKind.True"/> or <see cref="JsonValueKind.False"/>.</summary>
    public JsonValueKind Kind { get; }

    /// <summary>Gets the string, or null when the value is not a string.</summary>
    public string? Text => _string;

    /// <summary>Gets the number, or null when the value is not a number.</summary>
    public decimal? Number => Kind == JsonValueKind.Number ? _number : null;

    /// <summary>Gets the boolean, or null when the value is not a boolean.</summary>
    public bool? Boolean => Kind is JsonValueKind.True or JsonValueKind.False ? _boolean : null;

    /// <summary>Creates a string value.</summary>
    /// <param name="value">The string, compared ordinally.</param>
    /// <returns>The value.</returns>
    public static PassportConstraintValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(JsonValueKind.String, value, 0m, false);
    }

    /// <summary>Creates a number value.</summary>
    /// <param name="value">The number, compared exactly.</param>
    /// <returns>The value.</returns>
    public static PassportConstraintValue FromNumber(decimal value) => new(JsonValueKind.Number, null, value == 0m ? 0m : value, false);

    /// <summary>Creates a boolean value.</summary>
    /// <param name="value">The boolean.</param>
    /// <returns>The value.</returns>
    public static PassportConstraintValue FromBoolean(bool value) => new(value ? JsonValueKind.True : JsonValueKind.False, null, 0m, value);

    /// <summary>Reads a JSON value: a string, a number its decimal holds exactly, or a boolean.</summary>
    /// <param name="json">The JSON value.</param>
    /// <param name="value">The value, when it is one of those.</param>
    /// <returns><see langword="false"/> for any other JSON (null, an object, an array, a number beyond exact decimal range).</returns>
    public static bool TryFromJson(JsonElement json, out PassportConstraintValue value)
    {
        value = default;
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                value = FromString(json.GetString()!);
                return true;
            case JsonValueKind.True or JsonValueKind.False:
                value = FromBoolean(json.ValueKind == JsonValueKind.True);
                return true;
            case JsonValueKind.Number when ExactDecimal.TryParse(json.GetRawText(), out var number):
                value = FromNumber(number);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Gets a value indicating whether a JSON argument equals this value (same type, same string ordinally, same exact number).</summary>
    /// <param name="argument">The argument as the tool receives it.</param>
    /// <returns><see langword="true"/> when equal; a number beyond exact decimal range never is.</returns>
    public bool Matches(JsonElement argument) => TryFromJson(argument, out var value) && Equals(value);

    /// <summary>Writes the value as JSON.</summary>
    /// <param name="writer">The writer.</param>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (Kind)
        {
            case JsonValueKind.String:
                writer.WriteStringValue(_string);
                break;
            case JsonValueKind.Number:
                writer.WriteRawValue(ExactDecimal.Format(_number), skipInputValidation: true);
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.WriteBooleanValue(_boolean);
                break;
            default:
                throw new InvalidOperationException("A default PassportConstraintValue has no value; use FromString, FromNumber or FromBoolean.");
        }
    }

    /// <summary>Gets the value as JSON text (a string quoted and escaped).</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => Kind switch
    {
        JsonValueKind.String => JsonSerializer.Serialize(_string),
        JsonValueKind.Number => ExactDecimal.Format(_number),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => string.Empty,
    };

    /// <inheritdoc />
    public bool Equals(PassportConstraintValue other) =>
        Kind == other.Kind && string.Equals(_string, other._string, StringComparison.Ordinal) && _number == other._number && _boolean == other._boolean;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _string is null ? 0 : string.GetHashCode(_string, StringComparison.Ordinal), _number, _boolean);
}
