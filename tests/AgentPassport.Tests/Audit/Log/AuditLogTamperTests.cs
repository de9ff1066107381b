using System.Text;
using AgentPassport.Internal;
using AgentPassport.Jose;
using static AgentPassport.Tests.Audit.Log.AuditLogFixture;

namespace AgentPassport.Tests.Audit.Log;

public sealed class AuditLogTamperTests
{
    private static readonly PassportSigningKey Key = PassportSigningKey.Generate();

    // 12 events with a checkpoint after every 5 events: events 1-5, cp 6, events 7-11, cp 12, events 13-14, closing cp 15.
    private static async Task<List<PassportAuditLogRecord>> LogAsync() => [.. (await WriteAsync(Key, 12)).Records];

    [Fact]
    public async Task An_untouched_closed_log_verifies_and_is_sealed()
    {
        var records = await LogAsync();
        var result = Verify(records, Key, requireSealed: true);
        Assert.Equal(PassportAuditLogFault.None, result.Fault);
        Assert.True(result.Sealed);
        Assert.Equal(15, result.LastVerifiedSeq);
        Assert.Equal(12, result.VerifiedEvents);
        Assert.Equal(15, result.LastCheckpointSeq);
        Assert.Equal(Key.KeyId, result.KeyId);
    }

    [Fact]
    public async Task Each_record_is_canonical_json_chained_by_the_hash_of_the_previous_one()
    {
        var records = await LogAsync();
        Assert.Contains("\"prev\":\"" + CanonicalBase64Url.Encode(new byte[32]) + "\"", Text(records[0]), StringComparison.Ordinal);
        for (int i = 1; i < records.Count; i++)
        {
            var prev = CanonicalBase64Url.Encode(System.Security.Cryptography.SHA256.HashData(records[i - 1].Bytes.Span));
            Assert.Contains($"\"prev\":\"{prev}\"", Text(records[i]), StringComparison.Ordinal);
            Assert.Contains($"\"seq\":{i + 1}", Text(records[i]), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("eyJ", string.Concat(records.Where(r => !Text(r).Contains("\"checkpoint\"", StringComparison.Ordinal)).Select(Text)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2)] // an event followed by an event
    [InlineData(5)] // an event followed by a checkpoint
    [InlineData(13)]
    public async Task An_edited_event_is_named(int seq)
    {
        var records = await LogAsync();
        records[seq - 1] = WithText(records[seq - 1], Text(records[seq - 1]).Replace("\"allowed\"", "\"denied\"", StringComparison.Ordinal));
        var result = Verify(records, Key);
        Assert.Equal(PassportAuditLogFault.EditedRecord, result.Fault);
        Assert.Equal(seq, result.FirstBadSeq);
        Assert.Equal(seq - 1, result.LastVerifiedSeq);
    }

    [Fact]
    public async Task An_edit_of_a_records_prev_names_that_record()
    {
        var records = await LogAsync();
        var text = Text(records[6]);
        int at = text.IndexOf("\"prev\":\"", StringComparison.Ordinal) + 8;
        records[6] = WithText(records[6], text[..at] + (text[at] == 'A' ? 'B' : 'A') + text[(at + 1)..]);
        var result = Verify(records, Key);
        Assert.Equal(PassportAuditLogFault.EditedRecord, result.Fault);
        Assert.Equal(7, result.FirstBadSeq);
    }

    [Fact]
    public async Task A_reformatted_record_is_named_as_edited()
    {
        var records = await LogAsync();
        records[2] = WithText(records[2], Text(records[2]).Replace(",", ", ", StringComparison.Ordinal));
        var result = Verify(records, Key);
        Assert.Equal((PassportAuditLogFault.EditedRecord, 3L), (result.Fault, result.FirstBadSeq));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(6)] // a checkpoint
    public async Task A_deleted_record_is_named(int seq)
    {
        var records = await LogAsync();
        records.RemoveAt(seq - 1);
        var result = Verify(records, Key);
        Assert.Equal((PassportAuditLogFault.DeletedRecord, (long)seq), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task Deleting_the_first_records_is_detected()
    {
        var records = await LogAsync();
        records.RemoveRange(0, 2);
        var result = Verify(records, Key);
        Assert.Equal((PassportAuditLogFault.DeletedRecord, 1L), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task An_inserted_record_that_chains_correctly_is_named()
    {
        var records = await LogAsync();
        // The attacker forges seq 7 linking to seq 6 and slips it in before the genuine seq 7.
        var forged = AuditRecordJson.Event(Event(99, PassportAuditEventKind.Denied), 7, AuditRecordJson.Hash(records[5].Bytes.Span));
        records.Insert(6, new PassportAuditLogRecord(7, forged));
        var result = Verify(records, Key);
        Assert.Equal((PassportAuditLogFault.InsertedRecord, 7L), (result.Fault, result.FirstBadSeq));
        Assert.Equal(6, result.LastVerifiedSeq);
    }

    [Fact]
    public async Task An_inserted_duplicate_after_the_genuine_record_is_named()
    {
        var records = await LogAsync();
        var forged = AuditRecordJson.Event(Event(99, PassportAuditEventKind.Denied), 7, "x");
        records.Insert(7, new PassportAuditLogRecord(7, forged));
        var result = Verify(records, Key);
        Assert.Equal((PassportAuditLogFault.InsertedRecord, 7L), (result.Fault, result.FirstBadSeq));
        Assert.Equal(6, result.LastVerifiedSeq);
    }

    [Fact]
    public async Task Swapped_records_are_named_as_reordered()
    {
        var records = await LogAsync();
        (records[7], records[8]) = (records[8], records[7]);
        var result = Verify(records, Key);
        Assert.Equal((PassportAuditLogFault.ReorderedRecord, 8L), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task A_checkpoint_signed_by_another_key_is_named_as_forged()
    {
        var records = await LogAsync();
        using var other = PassportSigningKey.Generate();
        var prev = AuditRecordJson.Hash(records[10].Bytes.Span);
        records[11] = new PassportAuditLogRecord(12, AuditRecordJson.Checkpoint(12, prev, AuditCheckpoint.Sign(other, 12, prev, Clock.GetUtcNow(), false)));
        var result = Verify(records, Key);
        Assert.Equal((PassportAuditLogFault.ForgedCheckpoint, 12L), (result.Fault, result.FirstBadSeq));
    }

    [Fact]
    public async Task A_forged_checkpoint_among_genuine_ones_is_found_without_a_pinned_key()
    {
        var records = await LogAsync();
        using var other = PassportSigningKey.Generate();
        var prev = AuditRecordJson.Hash(records[10].Bytes.Span);
        records[11] = new PassportAuditLogRecord(12, AuditRecordJson.Checkpoint(12, prev, AuditCheckpoint.Sign(other, 12, prev, Clock.GetUtcNow(), false)));
        var result = PassportAuditLogVerifier.Verify(records);
        Assert.Equal((PassportAuditLogFault.ForgedCheckpoint, 12L), (result.Fault, result.FirstBadSeq));
        Assert.False(result.KeyPinned);
    }

    [Fact]
    public async Task A_checkpoint_whose_signature_bytes_were_altered_is_forged()
    {
        var records = await LogAsync();
        var text = Text(records[5]);
        int at = text.LastIndexOf('.') + 3;
        records[5] = WithText(records[5], text[..at] + (text[at] == 'A' ? 'B' : 'A') + text[(at + 1)..]);
        var result = Verify(records, Key);
        Assert.True(result.Fault == PassportAuditLogFault.ForgedCheckpoint && result.FirstBadSeq == 6, result.Message);
    }

    [Fact]
    public async Task A_tail_cut_after_a_checkpoint_is_a_truncation_when_the_log_must_be_closed()
    {
        var records = await LogAsync();
        records.RemoveRange(12, records.Count - 12); // keep 1..12 (ends at the checkpoint seq 12)
        var strict = Verify(records, Key, requireSealed: true);
        Assert.Equal((PassportAuditLogFault.TruncatedTail, 13L), (strict.Fault, strict.FirstBadSeq));
        var lenient = Verify(records, Key);
        Assert.Equal(PassportAuditLogFault.None, lenient.Fault);
        Assert.False(lenient.Sealed);
    }

    [Fact]
    public async Task A_torn_last_record_is_reported_as_such_and_the_records_before_it_verify()
    {
        var store = await WriteAsync(Key, 7, close: false);
        var records = store.Records.ToList();
        var last = records[^1];
        records[^1] = last with { Bytes = last.Bytes[..(last.Bytes.Length / 2)] };
        var result = Verify(records, Key);
        Assert.Equal(PassportAuditLogFault.TornRecord, result.Fault);
        Assert.True(result.IsIntact);
        Assert.Equal(records.Count, result.FirstBadSeq);
        Assert.Equal(records.Count - 1, result.LastVerifiedSeq);
    }

    [Fact]
    public async Task A_corrupt_record_in_the_middle_is_tampering_not_a_torn_write()
    {
        var records = await LogAsync();
        records[3] = records[3] with { Bytes = Encoding.UTF8.GetBytes("{\"seq\":") };
        var result = Verify(records, Key);
        Assert.Equal((PassportAuditLogFault.EditedRecord, 4L), (result.Fault, result.FirstBadSeq));
        Assert.False(result.IsIntact);
    }

    [Fact]
    public async Task A_log_reopened_continues_the_chain()
    {
        var store = await WriteAsync(Key, 3);
        var log = await PassportAuditLog.OpenAsync(store, Options(Key));
        await log.WriteAsync(Event(5));
        await log.DisposeAsync();
        var result = Verify(store.Records, Key, requireSealed: true);
        Assert.Equal(PassportAuditLogFault.None, result.Fault);
        Assert.Equal(4, result.VerifiedEvents);
    }

    [Fact]
    public void Header_of_a_checkpoint_names_its_type()
    {
        var jws = AuditCheckpoint.Sign(Key, 1, AuditRecordJson.GenesisPrev, Clock.GetUtcNow(), false);
        var header = Encoding.UTF8.GetString(CanonicalBase64Url.DecodeCanonical(jws.Split('.')[0])!);
        Assert.Contains("\"typ\":\"agent-passport-audit+jwt\"", header, StringComparison.Ordinal);
        _ = typeof(PassportWriter);
    }
}
