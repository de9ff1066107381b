using System.Globalization;
using System.Security.Claims;

namespace AgentPassport.AspNetCore;

/// <summary>Builds the <see cref="ClaimsPrincipal"/> of a verified Passport (<see cref="PassportClaimTypes"/>).</summary>
internal static class PassportPrincipal
{
    public static ClaimsPrincipal From(VerifiedPassport verified, string authenticationType)
    {
        var p = verified.Passport;
        var issuer = p.Issuer;
        var claims = new List<Claim>(16)
        {
            new(PassportClaimTypes.Principal, p.Subject, ClaimValueTypes.String, issuer),
            new(PassportClaimTypes.Agent, p.AgentId, ClaimValueTypes.String, issuer),
            new(PassportClaimTypes.AgentModel, p.AgentModel, ClaimValueTypes.String, issuer),
            new(PassportClaimTypes.Issuer, p.Issuer, ClaimValueTypes.String, issuer),
            new(PassportClaimTypes.Audience, p.Audience, ClaimValueTypes.String, issuer),
            new(PassportClaimTypes.TokenId, p.TokenId, ClaimValueTypes.String, issuer),
            new(PassportClaimTypes.Depth, p.Depth.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer32, issuer),
        };

        foreach (var scope in p.ToolScope.ToStrings())
        {
            claims.Add(new(PassportClaimTypes.Scope, scope, ClaimValueTypes.String, issuer));
        }

        AddLevel(claims, PassportClaimTypes.Ial, p.Ial, issuer);
        AddLevel(claims, PassportClaimTypes.Aal, p.Aal, issuer);
        AddLevel(claims, PassportClaimTypes.Fal, p.Fal, issuer);
        if (p.Acr is not null)
        {
            claims.Add(new(PassportClaimTypes.Acr, p.Acr, ClaimValueTypes.String, issuer));
        }

        foreach (var actor in p.Actor.OutermostFirst())
        {
            claims.Add(new(PassportClaimTypes.Actor, actor, ClaimValueTypes.String, issuer));
        }

        return new ClaimsPrincipal(new ClaimsIdentity(claims, authenticationType, PassportClaimTypes.Agent, roleType: null));
    }

    private static void AddLevel(List<Claim> claims, string type, int? level, string issuer)
    {
        if (level is { } value)
        {
            claims.Add(new(type, value.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer32, issuer));
        }
    }
}
