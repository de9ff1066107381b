using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentPassport.Cli;

/// <summary>
/// <c>development-provider.json</c> in the data directory: the public JWKS of the provider that signed the ID token
/// stored by <c>login --mock</c>, so a later <c>issue</c> (another process) can check that token. Marked
/// development-only in the file itself; written owner-only; removed when a real login stores an ID token.
/// </summary>
internal static class DevelopmentProviderStore
{
    public const string FileName = "development-provider.json";

    public static string FilePath => Path.Combine(DataDirectory.Path, FileName);

    public static void Save(string jwksJson)
    {
        var doc = new JsonObject
        {
            ["development_only"] = "Written by 'agent-passport login --mock'. These are the public keys of the built-in mock OpenID provider; 'issue' trusts them only while CSP_DISCOVERY_URL is unset. A real 'agent-passport login' deletes this file.",
            ["issuer"] = DevelopmentProvider.Issuer,
            ["client_id"] = DevelopmentProvider.ClientId,
            ["jwks"] = JsonNode.Parse(jwksJson),
        };
        DataDirectory.Ensure();
        OwnerOnlyFiles.WriteAtomic(FilePath, Encoding.UTF8.GetBytes(doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"), OwnerOnlyFiles.PrivateFileMode);
    }

    /// <summary>The stored JWKS, or null when there is none (or it is not the development provider's).</summary>
    public static string? LoadJwks()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        try
        {
            var doc = JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject;
            return doc?["issuer"]?.GetValue<string>() == DevelopmentProvider.Issuer && doc["jwks"] is JsonObject jwks ? jwks.ToJsonString() : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    public static void Delete() => File.Delete(FilePath);
}
