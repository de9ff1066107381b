using System.Globalization;
using AgentPassport;
using AgentPassport.Sqlite;

// agent-passport-sqlite-writer stream LOG KEY            writes decisions until killed, printing each seq once durable
// agent-passport-sqlite-writer mint LOG KEY ROOT CHILD   the orchestrator: mints ROOT and its CHILD, ROOT calls a tool
// agent-passport-sqlite-writer calls LOG KEY JTI N       a tool server: N decisions under the Passport JTI (every 3rd denied)
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: stream|mint|calls LOG KEY ...");
    return 2;
}

using var key = PassportAuditLogKey.LoadOrCreate(args[2]);
await using var log = await SqlitePassportAuditLog.OpenAsync(args[1], new PassportAuditLogOptions { SigningKey = key, CheckpointEvery = 10 });
var start = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
switch (args[0])
{
    case "stream":
        for (long i = 1; ; i++)
        {
            await log.WriteAsync(Decision("agent:streamer", "jti-stream", i, start.AddMilliseconds(i)));
            Console.WriteLine(i.ToString(CultureInfo.InvariantCulture));
        }

    case "mint":
        await log.WriteAsync(Mint("agent:orchestrator", args[3], null, start));
        await log.WriteAsync(Mint("agent:worker", args[4], args[3], start.AddSeconds(1)));
        await log.WriteAsync(Decision("agent:orchestrator", args[3], 0, start.AddSeconds(2)));
        break;
    case "calls":
        int n = int.Parse(args[4], CultureInfo.InvariantCulture);
        for (int i = 1; i <= n; i++)
        {
            await log.WriteAsync(Decision("agent:worker", args[3], i, start.AddSeconds(10 + i)));
        }

        break;
    default:
        Console.Error.WriteLine("unknown mode");
        return 2;
}

return 0;

static PassportAuditEvent Mint(string agent, string jti, string? parent, DateTimeOffset at) => new()
{
    Kind = PassportAuditEventKind.Minted,
    Timestamp = at,
    ClaimsVerified = true,
    AgentId = agent,
    Principal = "user-alice",
    TokenId = jti,
    ParentTokenId = parent,
    Scopes = ["files:read"],
    Audience = "https://tools.example.com/",
    ExpiresAt = at.AddMinutes(5),
};

static PassportAuditEvent Decision(string agent, string jti, long i, DateTimeOffset at) => new()
{
    Kind = i % 3 == 2 ? PassportAuditEventKind.Denied : PassportAuditEventKind.Allowed,
    Timestamp = at,
    ClaimsVerified = true,
    AgentId = agent,
    Principal = "user-alice",
    TokenId = jti,
    ToolName = "read_file_" + i.ToString(CultureInfo.InvariantCulture),
    RequiredScope = "files:read",
    ErrorKind = i % 3 == 2 ? PassportErrorKind.ScopeViolation : null,
    ErrorCode = i % 3 == 2 ? "AP0013" : null,
};
