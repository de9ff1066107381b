using System.Globalization;

namespace AgentPassport;

/// <summary>
/// Recomputes an audit log's hash chain and checks its checkpoints, and names the first bad record: edited, deleted,
/// inserted or reordered records, a forged checkpoint, a truncated tail (when the log must be closed) and a torn last
/// record (an interrupted write, reported as such and never as tampering of the records before it).
/// </summary>
/// <remarks>
/// What it cannot see: records after the last checkpoint are covered by no signature until the next checkpoint, so a
/// change to them that keeps the chain consistent (an edit of the very last record, or records appended by someone who
/// can write the file) is only detected once a checkpoint follows — which is why the writer checkpoints every N records
/// or T seconds and when it closes the log.
/// </remarks>
public static class PassportAuditLogVerifier
{
    /// <summary>Verifies the records of <paramref name="store"/>.</summary>
    /// <param name="store">The log.</param>
    /// <param name="options">The keys and requirements; null for the defaults.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The result.</returns>
    /// <exception cref="PassportAuditLogException">The log could not be read.</exception>
    public static async ValueTask<PassportAuditLogVerification> VerifyAsync(IPassportAuditLogStore store, PassportAuditLogVerifierOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var records = new List<PassportAuditLogRecord>();
        await foreach (var record in store.ReadAsync(1, cancellationToken).ConfigureAwait(false))
        {
            records.Add(record);
        }

        return Verify(records, options);
    }

    /// <summary>Verifies records given in stored order (for example read from an exported JSON Lines file).</summary>
    /// <param name="records">The records.</param>
    /// <param name="options">The keys and requirements; null for the defaults.</param>
    /// <returns>The result.</returns>
    public static PassportAuditLogVerification Verify(IEnumerable<PassportAuditLogRecord> records, PassportAuditLogVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        options ??= new();
        var entries = records.Select(r => new Entry(AuditRecordJson.TryParse(r.Bytes), AuditRecordJson.Hash(r.Bytes.Span))).ToList();
        return new Walk(entries, options).Run();
    }

    private sealed record Entry(ParsedAuditRecord? Parsed, string Hash);

    private sealed class Walk(List<Entry> entries, PassportAuditLogVerifierOptions options)
    {
        private readonly List<PassportAuditEvent> _events = [];
        private PassportVerificationKey? _learnedKey;
        private string _prevHash = AuditRecordJson.GenesisPrev;
        private long _prevSeq;
        private long _verified;
        private long _eventCount;
        private long _lastCheckpoint;
        private bool _sealed;

        public PassportAuditLogVerification Run()
        {
            int n = entries.Count;
            bool torn = n > 0 && entries[n - 1].Parsed is null;
            if (torn)
            {
                n--;
            }

            for (int i = 0; i < n; i++)
            {
                if (Check(i, n) is { } fault)
                {
                    return fault;
                }
            }

            if (torn)
            {
                return Result(PassportAuditLogFault.TornRecord, _prevSeq + 1,
                    $"the last record (seq {Seq(_prevSeq + 1)}) is incomplete, an interrupted write; every record before it verified");
            }

            if (options.RequireSealed && !_sealed)
            {
                return Result(PassportAuditLogFault.TruncatedTail, _prevSeq + 1,
                    $"the log does not end with its writer's closing checkpoint: records from seq {Seq(_prevSeq + 1)} on may have been cut");
            }

            var note = _lastCheckpoint == 0 && _verified > 0 ? "; no checkpoint yet (nothing is signed)"
                : _prevSeq > _lastCheckpoint ? $"; records after seq {Seq(_lastCheckpoint)} are not yet covered by a checkpoint" : "";
            return Result(PassportAuditLogFault.None, null,
                $"intact: {Seq(_verified)} records through seq {Seq(_prevSeq)}, {(_sealed ? "closed by its writer" : "not closed")}{note}");
        }

        private PassportAuditLogVerification? Check(int i, int n)
        {
            var entry = entries[i];
            long expected = _prevSeq + 1;
            if (entry.Parsed is not { } p)
            {
                return Result(PassportAuditLogFault.EditedRecord, expected, $"record seq {Seq(expected)} is not a well-formed record");
            }

            if (p.Seq > expected)
            {
                bool movedLater = entries.Skip(i + 1).Any(e => e.Parsed is { } later && later.Seq >= expected && later.Seq < p.Seq);
                return movedLater
                    ? Result(PassportAuditLogFault.ReorderedRecord, expected, $"record seq {Seq(expected)} is out of place (seq {Seq(p.Seq)} stands where it belongs)")
                    : Result(PassportAuditLogFault.DeletedRecord, expected, p.Seq == expected + 1
                        ? $"record seq {Seq(expected)} is missing"
                        : $"records seq {Seq(expected)} to {Seq(p.Seq - 1)} are missing");
            }

            if (p.Seq < expected)
            {
                if (p.Seq == _prevSeq)
                {
                    // Two records claim one seq: the interloper is the one the chain does not run through.
                    string beforePrevious = i >= 2 ? entries[i - 2].Hash : AuditRecordJson.GenesisPrev;
                    long inserted = p.Prev == beforePrevious ? _prevSeq : p.Seq;
                    return Result(PassportAuditLogFault.InsertedRecord, inserted, $"record seq {Seq(inserted)} was inserted (two records claim seq {Seq(p.Seq)})");
                }

                return Result(PassportAuditLogFault.ReorderedRecord, p.Seq, $"record seq {Seq(p.Seq)} is out of place (it follows seq {Seq(_prevSeq)})");
            }

            if (!p.Canonical)
            {
                return Result(PassportAuditLogFault.EditedRecord, p.Seq, $"record seq {Seq(p.Seq)} was edited (it is no longer in canonical form)");
            }

            if (p.Prev != _prevHash)
            {
                // The link from the previous record broke: either it changed, or this record's prev did. A record whose
                // own successor (or signature) still vouches for it is unchanged, so the previous one is the edited one.
                long edited = _prevSeq;
                if (i > 0)
                {
                    bool vouched = i + 1 < n ? entries[i + 1].Parsed?.Prev == entry.Hash : p.Jws is not null && CheckpointError(p, out _) is null;
                    edited = vouched ? _prevSeq : p.Seq;
                }
                else
                {
                    edited = p.Seq;
                }

                return Result(PassportAuditLogFault.EditedRecord, edited, $"record seq {Seq(edited)} was edited (the chain's hash does not match)");
            }

            if (p.Jws is not null)
            {
                if (CheckpointError(p, out bool closed) is { } error)
                {
                    return Result(PassportAuditLogFault.ForgedCheckpoint, p.Seq, $"checkpoint seq {Seq(p.Seq)}: {error}");
                }

                _lastCheckpoint = p.Seq;
                _sealed = closed;
            }
            else
            {
                _eventCount++;
                _sealed = false;
                if (options.KeepEvents)
                {
                    _events.Add(p.Event!);
                }
            }

            _verified++;
            _prevHash = entry.Hash;
            _prevSeq = p.Seq;
            return null;
        }

        private string? CheckpointError(ParsedAuditRecord p, out bool closed) =>
            AuditCheckpoint.Verify(p.Jws!, p.Seq, p.Prev, options.Keys, ref _learnedKey, out closed);

        private PassportAuditLogVerification Result(PassportAuditLogFault fault, long? firstBad, string message) => new()
        {
            Fault = fault,
            FirstBadSeq = firstBad,
            Message = message,
            VerifiedRecords = firstBad is long bad && bad <= _prevSeq ? _verified - (_prevSeq - bad + 1) : _verified,
            VerifiedEvents = _eventCount,
            LastVerifiedSeq = firstBad is long before && before <= _prevSeq ? before - 1 : _prevSeq,
            LastCheckpointSeq = _lastCheckpoint,
            Sealed = _sealed && fault is PassportAuditLogFault.None,
            KeyId = _learnedKey?.KeyId,
            KeyPinned = options.Keys is not null,
            Events = _events,
        };

        private static string Seq(long seq) => seq.ToString(CultureInfo.InvariantCulture);
    }
}
