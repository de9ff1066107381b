using System.Text.Json;

namespace AgentPassport.Jose;

/// <content>Building the <see cref="Passport"/> once every claim is read: required claims, cross-claim rules, the schema error.</content>
internal ref partial struct PassportPayloadReader
{
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

        var constraints = PassportConstraints.Empty;
        if (_constraints is JsonElement constraintsJson)
        {
            if (!PassportConstraints.TryParse(constraintsJson, out constraints, out var constraintsError))
            {
                return $"constraints: {constraintsError}";
            }

            if (constraints.KeyOutside(scopes) is { } outside)
            {
                return $"constraints: the key '{PassportConstraint.Clip(outside)}' is not an entry of tool_scope";
            }
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
            Constraints = constraints,
            HolderThumbprint = _cnfJkt,
        };
        return null;
    }
}
