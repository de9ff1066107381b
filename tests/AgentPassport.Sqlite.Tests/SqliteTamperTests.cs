using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace AgentPassport.Sqlite.Tests;

/// <summary>Each way to tamper with the file through SQL is named by <c>audit verify</c> at the right seq.</summary>
public sealed partial class SqliteTamperTests : IDisposable
{
    private readonly SqliteLogFixture _f = new();

    [Fact]
    public async Task An_untouched_log_verifies_sealed_with_every_event()
    {
        await _f.WriteClosedLogAsync();
        var result = await _f.VerifyAsync(requireSealed: true, keepEvents: true);
        Assert.Equal(PassportAuditLogFault.None, result.Fault);
        Assert.True(result.Sealed);
        Assert.Equal(12, result.Events.Count);
        Assert.Equal(15, result.LastVerifiedSeq);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(11)] // just before a checkpoint
    public async Task An_edited_record_is_named(int seq)
    {
        await _f.WriteClosedLogAsync();
        _f.SetRecord(seq, _f.Record(seq).Replace("\"allowed\"", "\"denied\"", StringComparison.Ordinal));
        var result = await _f.VerifyAsync();
        Assert.Equal((PassportAuditLogFault.EditedRecord, (long)seq), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task A_deleted_record_is_named()
    {
        await _f.WriteClosedLogAsync();
        _f.Sql("DELETE FROM audit_records WHERE seq = 8");
        var result = await _f.VerifyAsync();
        Assert.Equal((PassportAuditLogFault.DeletedRecord, 8L), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task An_inserted_record_is_named()
    {
        await _f.WriteClosedLogAsync();
        // Make room at seq 8 and insert a forged event there that chains to seq 7.
        var prev = Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(_f.Record(7))));
        var forged = PrevPattern().Replace(_f.Record(8).Replace("tool_", "evil_", StringComparison.Ordinal), $"\"prev\":\"{prev}\"");
        _f.Sql("UPDATE audit_records SET seq = seq + 1000000 WHERE seq >= 8");
        _f.Sql("UPDATE audit_records SET seq = seq - 999999 WHERE seq >= 1000000");
        _f.Sql("INSERT INTO audit_records (seq, record) VALUES (8, $r)", ("$r", Encoding.UTF8.GetBytes(forged)));
        var result = await _f.VerifyAsync();
        Assert.Equal((PassportAuditLogFault.InsertedRecord, 8L), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task Reordered_records_are_named()
    {
        await _f.WriteClosedLogAsync();
        string a = _f.Record(3), b = _f.Record(4);
        _f.SetRecord(3, b);
        _f.SetRecord(4, a);
        var result = await _f.VerifyAsync();
        Assert.Equal((PassportAuditLogFault.ReorderedRecord, 3L), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task A_tail_cut_after_a_checkpoint_is_named_when_the_log_must_be_closed()
    {
        await _f.WriteClosedLogAsync();
        _f.Sql("DELETE FROM audit_records WHERE seq > 12");
        var result = await _f.VerifyAsync(requireSealed: true);
        Assert.Equal((PassportAuditLogFault.TruncatedTail, 13L), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task A_forged_checkpoint_signature_is_named()
    {
        await _f.WriteClosedLogAsync();
        var text = _f.Record(6);
        int at = text.LastIndexOf('.') + 5;
        _f.SetRecord(6, text[..at] + (text[at] == 'Q' ? 'R' : 'Q') + text[(at + 1)..]);
        var result = await _f.VerifyAsync();
        Assert.Equal((PassportAuditLogFault.ForgedCheckpoint, 6L), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task A_log_checked_against_another_key_fails_at_its_first_checkpoint()
    {
        await _f.WriteClosedLogAsync();
        using var other = PassportSigningKey.Generate();
        var result = await SqlitePassportAuditLog.VerifyAsync(_f.LogPath, new() { Keys = [other.PublicKey] });
        Assert.Equal((PassportAuditLogFault.ForgedCheckpoint, 6L), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task A_record_replaced_by_a_number_or_text_is_named_not_a_crash()
    {
        await _f.WriteClosedLogAsync();
        _f.Sql("UPDATE audit_records SET record = 42 WHERE seq = 4");
        _f.Sql("UPDATE audit_records SET record = CAST(record AS TEXT) WHERE seq = 2");
        var result = await _f.VerifyAsync();
        Assert.Equal((PassportAuditLogFault.EditedRecord, 4L), (result.Fault, result.FirstBadSeq));
    }

    public void Dispose() => _f.Dispose();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [GeneratedRegex("\"prev\":\"[A-Za-z0-9_-]+\"")]
    private static partial Regex PrevPattern();
}
