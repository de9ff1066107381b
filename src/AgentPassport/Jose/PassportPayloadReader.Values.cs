using System.Text.Json;

namespace AgentPassport.Jose;

/// <content>Typed claim values: strings, times, bounded integers and the scope array; a mistyped value is a schema error, kept for later.</content>
internal ref partial struct PassportPayloadReader
{
    private void Schema(string message) => _schemaError ??= message;

    private bool ReadString(ref string? target, string name)
    {
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.String)
        {
            target = _reader.GetString();
            return true;
        }

        Schema($"'{name}' must be a string");
        return JsonStrictScanner.SkipCurrent(ref _reader);
    }

    private bool ReadTime(ref long? target, string name)
    {
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Number && _reader.TryGetInt64(out long value))
        {
            if (value is < 0 or > MaxUnixSeconds)
            {
                Schema($"'{name}' is out of range");
            }
            else
            {
                target = value;
            }

            return true;
        }

        Schema($"'{name}' must be an integer number of seconds");
        return JsonStrictScanner.SkipCurrent(ref _reader);
    }

    private bool ReadInt(ref int? target, string name, int min, int max)
    {
        _reader.Read();
        if (_reader.TokenType == JsonTokenType.Number && _reader.TryGetInt32(out int value))
        {
            if (value < min || value > max)
            {
                Schema($"'{name}' must be {min}..{max}");
            }
            else
            {
                target = value;
            }

            return true;
        }

        Schema($"'{name}' must be an integer");
        return JsonStrictScanner.SkipCurrent(ref _reader);
    }

    private bool ReadScopes()
    {
        _reader.Read();
        if (_reader.TokenType != JsonTokenType.StartArray)
        {
            Schema("'tool_scope' must be an array of strings");
            return JsonStrictScanner.SkipCurrent(ref _reader);
        }

        _scopes = [];
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndArray)
        {
            if (_reader.TokenType == JsonTokenType.String)
            {
                _scopes.Add(_reader.GetString()!);
                continue;
            }

            Schema("'tool_scope' must be an array of strings");
            if (!JsonStrictScanner.SkipCurrent(ref _reader))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Keeps the constraints claim whole (checked for duplicate members at any depth first); it is parsed in <c>Build</c>, against <c>tool_scope</c>.</summary>
    private bool ReadConstraints()
    {
        _reader.Read();
        var start = _reader;
        if (!JsonStrictScanner.SkipCurrent(ref _reader))
        {
            return false;
        }

        using var document = JsonDocument.ParseValue(ref start);
        _constraints = document.RootElement.Clone();
        return true;
    }
}
