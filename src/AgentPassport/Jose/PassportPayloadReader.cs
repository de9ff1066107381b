using System.Text.Json;

namespace AgentPassport.Jose;

/// <summary>
/// Reads a Passport claim set strictly in one pass. Shape failures (not a JSON object, duplicate member names anywhere,
/// nesting too deep) are reported at once; schema failures (a missing or mistyped claim) are kept and reported only
/// after the signature check, in the spec's order.
/// </summary>
internal ref struct PassportPayloadReader
{
    /// <summary>The largest value accepted for a time claim: 9999-12-31T23:59:59Z.</summary>
    private const long MaxUnixSeconds = 253402300799;

    private Utf8JsonReader _reader;
    private string? _schemaError;

    private string? _iss, _sub, _aud, _jti, _acr, _agentId, _agentModel, _taskPurpose, _parentJti, _parentHash;
    private long? _iat, _nbf, _exp;
    private int? _ial, _aal, _fal, _maxDepth;
    private PassportActor? _act;
    private List<string>? _scopes;

    private PassportPayloadReader(ReadOnlySpan<byte> json)
    {
        _reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = JsonStrictScanner.MaxDepth });
    }

    /// <summary>Reads <paramref name="json"/>.</summary>
    /// <param name="json">The decoded payload.</param>
    /// <param name="passport">The claims, when shape and schema are valid.</param>
    /// <param name="shapeError">A shape failure: report before any signature work.</param>
    /// <param name="schemaError">A schema failure: report after the signature check.</param>
    /// <param name="issuer">The <c>iss</c> string as read (unverified), or null when missing or not a string: it picks the key set.</param>
    public static void Read(ReadOnlySpan<byte> json, out Passport? passport, out string? shapeError, out string? schemaError, out string? issuer)
    {
        var r = new PassportPayloadReader(json);
        passport = null;
        schemaError = null;
        issuer = null;
        try
        {
            shapeError = r.ReadObject();
        }
        catch (JsonException)
        {
            shapeError = "the payload is not valid JSON (or nests too deeply)";
        }
        catch (InvalidOperationException)
        {
            shapeError = "the payload is not valid JSON";
        }

        if (shapeError is not null)
        {
            return;
        }

        issuer = r._iss;
        schemaError = r._schemaError ?? r.Build(out passport);
    }

    private string? ReadObject()
    {
        if (!_reader.Read() || _reader.TokenType != JsonTokenType.StartObject)
        {
            return "the payload is not a JSON object";
        }

        var names = new MemberNameSet();
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndObject)
        {
            if (!names.Add(ref _reader))
            {
                return "the payload has a duplicate member name";
            }

            bool ok = KnownClaimName(ref _reader) switch
            {
                PassportClaimNames.Issuer => ReadString(ref _iss, "iss"),
                PassportClaimNames.Subject => ReadString(ref _sub, "sub"),
                PassportClaimNames.Audience => ReadString(ref _aud, "aud"),
                PassportClaimNames.TokenId => ReadString(ref _jti, "jti"),
                PassportClaimNames.Acr => ReadString(ref _acr, "acr"),
                PassportClaimNames.IssuedAt => ReadTime(ref _iat, "iat"),
                PassportClaimNames.NotBefore => ReadTime(ref _nbf, "nbf"),
                PassportClaimNames.ExpiresAt => ReadTime(ref _exp, "exp"),
                PassportClaimNames.Ial => ReadInt(ref _ial, "ial", 1, 3),
                PassportClaimNames.Aal => ReadInt(ref _aal, "aal", 1, 3),
                PassportClaimNames.Fal => ReadInt(ref _fal, "fal", 1, 3),
                PassportClaimNames.Actor => ReadActorClaim(),
                PassportClaimNames.AgentId => ReadString(ref _agentId, "agent_id"),
                PassportClaimNames.AgentModel => ReadString(ref _agentModel, "agent_model"),
                PassportClaimNames.TaskPurpose => ReadString(ref _taskPurpose, "task_purpose"),
                PassportClaimNames.ParentJti => ReadString(ref _parentJti, "parent_jti"),
                PassportClaimNames.ParentHash => ReadString(ref _parentHash, "parent_hash"),
                PassportClaimNames.MaxDepth => ReadInt(ref _maxDepth, "max_depth", 0, PassportLimits.MaxChainDepth),
                PassportClaimNames.ToolScope => ReadScopes(),
                _ => JsonStrictScanner.SkipValue(ref _reader),
            };

            if (!ok)
            {
                return "the payload has a duplicate member name";
            }
        }

        return _reader.Read() ? "the payload has content after the JSON object" : null;
    }

    /// <summary>
    /// Gets the claim name the reader is on when it is one the reader interprets (as the shared constant), or null,
    /// without allocating a string for the name: unknown claims cost no allocation.
    /// </summary>
    private static string? KnownClaimName(ref Utf8JsonReader reader)
    {
        const int Longest = 64;
        if (reader.ValueIsEscaped)
        {
            return Known(reader.GetString());
        }

        // Every interpreted name is a 3-letter registered claim or an agent claim (prefix + suffix): anything else is
        // unknown without looking further, which keeps a token stuffed with short unknown claims cheap to scan.
        var utf8 = reader.ValueSpan;
        if (utf8.Length > Longest || (utf8.Length != 3 && utf8.Length <= PassportClaimNames.AgentClaimPrefix.Length))
        {
            return null;
        }

        Span<char> chars = stackalloc char[Longest];
        return System.Text.Ascii.ToUtf16(utf8, chars, out int written) == System.Buffers.OperationStatus.Done
            ? Known(chars[..written])
            : null;
    }

    // Every name here is 3 characters long or longer than the agent-claim prefix (KnownClaimName filters on that).
    private static string? Known(ReadOnlySpan<char> name) => name switch
    {
        PassportClaimNames.Issuer => PassportClaimNames.Issuer,
        PassportClaimNames.Subject => PassportClaimNames.Subject,
        PassportClaimNames.Audience => PassportClaimNames.Audience,
        PassportClaimNames.TokenId => PassportClaimNames.TokenId,
        PassportClaimNames.Acr => PassportClaimNames.Acr,
        PassportClaimNames.IssuedAt => PassportClaimNames.IssuedAt,
        PassportClaimNames.NotBefore => PassportClaimNames.NotBefore,
        PassportClaimNames.ExpiresAt => PassportClaimNames.ExpiresAt,
        PassportClaimNames.Ial => PassportClaimNames.Ial,
        PassportClaimNames.Aal => PassportClaimNames.Aal,
        PassportClaimNames.Fal => PassportClaimNames.Fal,
        PassportClaimNames.Actor => PassportClaimNames.Actor,
        PassportClaimNames.AgentId => PassportClaimNames.AgentId,
        PassportClaimNames.AgentModel => PassportClaimNames.AgentModel,
        PassportClaimNames.TaskPurpose => PassportClaimNames.TaskPurpose,
        PassportClaimNames.ParentJti => PassportClaimNames.ParentJti,
        PassportClaimNames.ParentHash => PassportClaimNames.ParentHash,
        PassportClaimNames.MaxDepth => PassportClaimNames.MaxDepth,
        PassportClaimNames.ToolScope => PassportClaimNames.ToolScope,
        _ => null,
    };

    private string? Build(out Passport? passport)
    {
        passport = null;
        if (_iss is null || _sub is null || _aud is null || _jti is null)
        {
            return $"missing required claim '{(_iss is null ? "iss" : _sub is null ? "sub" : _aud is null ? "aud" : "jti")}'";
        }

        if (_iat is null || _nbf is null || _exp is null)
        {
            return $"missing required claim '{(_iat is null ? "iat" : _nbf is null ? "nbf" : "exp")}'";
        }

        if (_act is null)
        {
            return "missing required claim 'act'";
        }

        if (_agentId is null || _agentModel is null)
        {
            return $"missing required claim '{(_agentId is null ? "agent_id" : "agent_model")}'";
        }

        if (_iss.Length == 0 || _sub.Length == 0 || _aud.Length == 0 || _jti.Length == 0 || _agentId.Length == 0)
        {
            return "iss, sub, aud, jti and agent_id must not be empty";
        }

        if (!string.Equals(_agentId, _act.Subject, StringComparison.Ordinal))
        {
            return "agent_id must equal act.sub";
        }

        if ((_parentJti is null) != (_parentHash is null))
        {
            return "parent_jti and parent_hash must appear together";
        }

        ScopeSet scopes = ScopeSet.Empty;
        if (_scopes is not null && !ScopeSet.TryParse(_scopes, out scopes!, out var scopeError))
        {
            return $"tool_scope: {scopeError}";
        }

        passport = new Passport
        {
            Issuer = _iss,
            Subject = _sub,
            Audience = _aud,
            TokenId = _jti,
            IssuedAt = DateTimeOffset.FromUnixTimeSeconds(_iat.Value),
            NotBefore = DateTimeOffset.FromUnixTimeSeconds(_nbf.Value),
            ExpiresAt = DateTimeOffset.FromUnixTimeSeconds(_exp.Value),
            Acr = _acr,
            Ial = _ial,
            Aal = _aal,
            Fal = _fal,
            Actor = _act,
            AgentId = _agentId,
            AgentModel = _agentModel,
            ToolScope = scopes,
            TaskPurpose = _taskPurpose,
            ParentJti = _parentJti,
            ParentHash = _parentHash,
            MaxDepth = _maxDepth,
        };
        return null;
    }

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

    private bool ReadActorClaim()
    {
        _reader.Read();
        bool ok = ReadActor(1, out _act);
        return ok;
    }

    /// <summary>Reads an <c>act</c> object (the reader is on its StartObject), nested at most to the format's cap.</summary>
    private bool ReadActor(int level, out PassportActor? actor)
    {
        actor = null;
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            Schema("'act' must be an object with a 'sub' string");
            return JsonStrictScanner.SkipCurrent(ref _reader);
        }

        if (level > PassportLimits.MaxChainDepth + 1)
        {
            Schema($"'act' nests more than {PassportLimits.MaxChainDepth + 1} actors");
            return JsonStrictScanner.SkipCurrent(ref _reader);
        }

        string? sub = null;
        PassportActor? parent = null;
        Dictionary<string, JsonElement>? others = null;
        var names = new MemberNameSet();
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndObject)
        {
            if (!names.Add(ref _reader))
            {
                return false;
            }

            bool isSub = _reader.ValueTextEquals("sub"u8), isAct = !isSub && _reader.ValueTextEquals("act"u8);
            string? otherName = isSub || isAct ? null : _reader.GetString();
            _reader.Read();
            if (isSub)
            {
                if (_reader.TokenType == JsonTokenType.String)
                {
                    sub = _reader.GetString();
                }
                else
                {
                    Schema("'act.sub' must be a string");
                    if (!JsonStrictScanner.SkipCurrent(ref _reader))
                    {
                        return false;
                    }
                }
            }
            else if (isAct)
            {
                if (!ReadActor(level + 1, out parent))
                {
                    return false;
                }

                if (parent is null)
                {
                    Schema("a nested 'act' is malformed");
                }
            }
            else if (!ReadOtherActMember(otherName!, ref others))
            {
                return false;
            }
        }

        if (string.IsNullOrEmpty(sub))
        {
            Schema("'act.sub' is required");
            return true;
        }

        actor = others is null ? new PassportActor(sub, parent) : new PassportActor(sub, parent) { OtherMembers = others };
        return true;
    }

    /// <summary>
    /// Keeps an <c>act</c> member other than <c>sub</c>/<c>act</c> (the reader is on its value): checked as strictly as
    /// any value (no duplicate names), then kept whole so a child can nest this actor unchanged.
    /// </summary>
    private bool ReadOtherActMember(string name, ref Dictionary<string, JsonElement>? others)
    {
        var atValue = _reader;
        if (!JsonStrictScanner.SkipCurrent(ref _reader))
        {
            return false;
        }

        // The scanner has validated the value, so parsing it again from the saved position cannot fail.
        var value = JsonElement.ParseValue(ref atValue);
        (others ??= new(StringComparer.Ordinal))[name] = value;
        return true;
    }
}
