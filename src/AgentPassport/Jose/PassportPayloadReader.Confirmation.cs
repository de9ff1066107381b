using System.Text.Json;

namespace AgentPassport.Jose;

/// <content>The <c>cnf</c> claim (spec v1.1 §11), read strictly: an object with exactly one member, <c>jkt</c>, a SHA-256 thumbprint.</content>
internal ref partial struct PassportPayloadReader
{
    private bool ReadConfirmation()
    {
        _reader.Read();
        if (_reader.TokenType != JsonTokenType.StartObject)
        {
            Schema("'cnf' must be an object with exactly the member 'jkt'");
            return JsonStrictScanner.SkipCurrent(ref _reader);
        }

        // Skipped as a whole first, so a duplicate name anywhere inside is a shape failure like everywhere else.
        var probe = _reader;
        if (!JsonStrictScanner.SkipCurrent(ref probe))
        {
            return false;
        }

        string? jkt = null;
        int members = 0;
        bool wellTyped = true;
        while (_reader.Read() && _reader.TokenType != JsonTokenType.EndObject)
        {
            members++;
            bool isJkt = _reader.ValueTextEquals(PassportClaimNames.ConfirmationThumbprint);
            _reader.Read();
            if (isJkt && _reader.TokenType == JsonTokenType.String)
            {
                jkt = _reader.GetString();
            }
            else
            {
                wellTyped = false;
                _reader.TrySkip();
            }
        }

        if (members != 1 || !wellTyped || jkt is null || !HolderThumbprints.IsWellFormed(jkt))
        {
            Schema("'cnf' must be an object with exactly the member 'jkt', a base64url SHA-256 thumbprint (43 characters)");
            return true;
        }

        _cnfJkt = jkt;
        return true;
    }
}
