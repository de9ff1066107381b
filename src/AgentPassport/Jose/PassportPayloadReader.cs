using System.Text.Json;

namespace AgentPassport.Jose;

/// <summary>
/// Reads a Passport claim set strictly in one pass. Shape failures (not a JSON object, duplicate member names anywhere,
/// nesting too deep) are reported at once; schema failures (a missing or mistyped claim) are kept and reported only
/// after the signature check, in the spec's order.
/// </summary>
internal ref partial struct PassportPayloadReader
{
    /// <summary>The largest value accepted for a time claim: 9999-12-31T23:59:59Z.</summary>
    private const long MaxUnixSeconds = 253402300799;

    private Utf8JsonReader _reader;
    private string? _schemaError;

    private string? _iss, _sub, _aud, _jti, _acr, _agentId, _agentModel, _taskPurpose, _parentJti, _parentHash, _cnfJkt;
    private long? _iat, _nbf, _exp;
    private int? _ial, _aal, _fal, _maxDepth;
    private PassportActor? _act;
    private List<string>? _scopes;
    private JsonElement? _constraints;

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
                PassportClaimNames.Confirmation => ReadConfirmation(),
                PassportClaimNames.AgentId => ReadString(ref _agentId, "agent_id"),
                PassportClaimNames.AgentModel => ReadString(ref _agentModel, "agent_model"),
                PassportClaimNames.TaskPurpose => ReadString(ref _taskPurpose, "task_purpose"),
                PassportClaimNames.ParentJti => ReadString(ref _parentJti, "parent_jti"),
                PassportClaimNames.ParentHash => ReadString(ref _parentHash, "parent_hash"),
                PassportClaimNames.MaxDepth => ReadInt(ref _maxDepth, "max_depth", 0, PassportLimits.MaxChainDepth),
                PassportClaimNames.ToolScope => ReadScopes(),
                PassportClaimNames.Constraints => ReadConstraints(),
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
        PassportClaimNames.Confirmation => PassportClaimNames.Confirmation,
        PassportClaimNames.AgentId => PassportClaimNames.AgentId,
        PassportClaimNames.AgentModel => PassportClaimNames.AgentModel,
        PassportClaimNames.TaskPurpose => PassportClaimNames.TaskPurpose,
        PassportClaimNames.ParentJti => PassportClaimNames.ParentJti,
        PassportClaimNames.ParentHash => PassportClaimNames.ParentHash,
        PassportClaimNames.MaxDepth => PassportClaimNames.MaxDepth,
        PassportClaimNames.ToolScope => PassportClaimNames.ToolScope,
        PassportClaimNames.Constraints => PassportClaimNames.Constraints,
        _ => null,
    };
}
