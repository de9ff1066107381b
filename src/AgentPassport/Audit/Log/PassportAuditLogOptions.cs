namespace AgentPassport;

/// <summary>How a <see cref="PassportAuditLog"/> writes: its key, checkpoint cadence, queue and privacy settings.</summary>
public sealed record PassportAuditLogOptions
{
    /// <summary>The default number of events between checkpoints.</summary>
    public const int DefaultCheckpointEvery = 1000;

    /// <summary>
    /// Gets the log's own signing key (see <see cref="PassportAuditLogKey.LoadOrCreate"/>): it signs the checkpoints.
    /// Use a key of its own, not the Passport issuer's, so a leak of one does not forge the other.
    /// </summary>
    public required PassportSigningKey SigningKey { get; init; }

    /// <summary>Gets how many events may follow a checkpoint before the next one is signed.</summary>
    public int CheckpointEvery { get; init; } = DefaultCheckpointEvery;

    /// <summary>Gets the longest time a written record waits for a checkpoint (10 seconds by default).</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Gets how many events may wait for the writer.</summary>
    public int QueueCapacity { get; init; } = 8192;

    /// <summary>Gets what happens when the queue is full: wait (the default) or refuse the call. An event is never dropped.</summary>
    public PassportAuditLogFullMode FullMode { get; init; } = PassportAuditLogFullMode.Wait;

    /// <summary>
    /// Gets a value indicating whether <see cref="IPassportAuditSink.WriteAsync"/> completes only once the event is durable
    /// (the default: a decision whose record cannot be written fails, and the tool never runs). When false it completes
    /// once the event is queued, which is faster; a failed write then closes the log and every later decision fails,
    /// while the decisions already taken stand unrecorded (<see cref="PassportAuditLog.LostEvents"/> counts them).
    /// </summary>
    public bool WaitForWrite { get; init; } = true;

    /// <summary>Gets the most events written in one store transaction.</summary>
    public int MaxBatchSize { get; init; } = 512;

    /// <summary>
    /// Gets a secret (at least 32 bytes) that, when set, replaces each principal (<c>sub</c>) by a keyed hash
    /// (<c>hmac-sha256:…</c>): one principal keeps one pseudonym, so trees and revocations still line up, but the log does
    /// not name the person. Keep the secret away from the log.
    /// </summary>
    public ReadOnlyMemory<byte> SubjectPseudonymKey { get; init; }

    /// <summary>Gets the clock of the checkpoints.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
