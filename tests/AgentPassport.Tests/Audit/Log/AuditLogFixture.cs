using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace AgentPassport.Tests.Audit.Log;

/// <summary>Writes small logs into memory and edits their records the way an attacker with write access to the store could.</summary>
internal static class AuditLogFixture
{
    public static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));

    public static PassportAuditEvent Event(int i, PassportAuditEventKind kind = PassportAuditEventKind.Allowed, string? parent = null) => new()
    {
        Kind = kind,
        Timestamp = Clock.GetUtcNow().AddMilliseconds(i),
        ClaimsVerified = true,
        AgentId = "agent-" + (i % 3),
        Principal = "alice@example.com",
        TokenId = kind == PassportAuditEventKind.Minted ? "jti-" + i : "jti-0",
        ParentTokenId = parent,
        Scopes = ["tool:read"],
        ToolName = kind == PassportAuditEventKind.Minted ? null : "read_file",
        RequiredScope = kind == PassportAuditEventKind.Minted ? null : "tool:read",
    };

    /// <summary>A closed log of <paramref name="events"/> events with a checkpoint every <paramref name="every"/> records.</summary>
    public static async Task<InMemoryPassportAuditLogStore> WriteAsync(PassportSigningKey key, int events, int every = 5, bool close = true)
    {
        var store = new InMemoryPassportAuditLogStore();
        var log = await PassportAuditLog.OpenAsync(store, Options(key, every));
        for (int i = 0; i < events; i++)
        {
            await log.WriteAsync(Event(i, i == 0 ? PassportAuditEventKind.Minted : PassportAuditEventKind.Allowed));
        }

        if (close)
        {
            await log.DisposeAsync();
        }

        return store;
    }

    public static PassportAuditLogOptions Options(PassportSigningKey key, int every = 5) => new()
    {
        SigningKey = key,
        CheckpointEvery = every,
        CheckpointInterval = TimeSpan.FromHours(1),
        TimeProvider = Clock,
    };

    public static PassportAuditLogVerification Verify(IEnumerable<PassportAuditLogRecord> records, PassportSigningKey key, bool requireSealed = false) =>
        PassportAuditLogVerifier.Verify(records, new PassportAuditLogVerifierOptions { Keys = [key.PublicKey], RequireSealed = requireSealed });

    public static string Text(PassportAuditLogRecord r) => Encoding.UTF8.GetString(r.Bytes.Span);

    public static PassportAuditLogRecord WithText(PassportAuditLogRecord r, string text) => r with { Bytes = Encoding.UTF8.GetBytes(text) };
}
