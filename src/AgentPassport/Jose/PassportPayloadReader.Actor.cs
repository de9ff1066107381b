using System.Text.Json;

namespace AgentPassport.Jose;

/// <content>The <c>act</c> claim: nested actors up to the format's cap, other members kept whole.</content>
internal ref partial struct PassportPayloadReader
{
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
