using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// BDAT (RFC 3030 CHUNKING): exactly the announced number of octets, no dot-stuffing; LAST ends the
/// message. The chunk is always read, even when the command is refused, so the stream stays in step.
/// A bare LF or CR in the content ends the session with 521, as in DATA (<see cref="BareLineEndDetector"/>).
/// Each read must come within <see cref="SmtpOptions.DataTimeoutSeconds"/>, and the transaction's chunks, from the
/// first, within <see cref="SmtpOptions.DataDeadlineSeconds"/> (a refused chunk on its own), else 421 4.4.2 and close.
/// </summary>
public sealed class BdatHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "BDAT";

    /// <inheritdoc />
    public async Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        var parts = argument.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is 0 or > 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var size)
            || parts.Length == 2 && !parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase))
        {
            session.Reply(SmtpReplies.Syntax("Syntax: BDAT size [LAST]"));
            session.Closing = true;
            return;
        }
        var last = parts.Length == 2;
        var envelope = session.Envelope;
        SmtpReply? refusal = envelope is null ? SmtpReplies.BadSequence("need MAIL command")
            : envelope.Recipients.Count == 0 ? SmtpReplies.BadSequence("need RCPT command")
            : null;
        if (refusal is null && session.Chunks is null)
        {
            session.Chunks = DeliveryHandoff.OpenSink(session, envelope!, ct);
            session.ChunkLineEnds = new BareLineEndDetector();
            session.ChunksStarted = Stopwatch.GetTimestamp();
        }
        var started = refusal is null ? session.ChunksStarted!.Value : Stopwatch.GetTimestamp();
        var remaining = session.DataDeadline - Stopwatch.GetElapsedTime(started);

        DataStatus status;
        try
        {
            // A chunk that arrives with the time already spent is not read: a timer of zero fires only after octets already here are.
            if (remaining <= TimeSpan.Zero) throw new OperationCanceledException();
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(remaining);
            status = refusal is null
                ? await CopyAsync(session, size, session.Chunks, session.ChunkLineEnds, deadline.Token, ct)
                : await CopyAsync(session, size, null, null, deadline.Token, ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            session.Reply(SmtpReplies.Timeout(session.Options.HostName));
            session.Closing = true;
            return;
        }
        if (status == DataStatus.End && refusal is null && last) status = session.ChunkLineEnds!.Finish();
        if (status is DataStatus.BareLf or DataStatus.BareCr)
        {
            await session.ResetTransactionAsync();
            session.Reply(SmtpReplies.BareLineEnd(session.Options.HostName, status));
            session.Closing = true;
            return;
        }
        if (status != DataStatus.End)
        {
            session.Closing = true;
            return;
        }
        if (refusal is not null)
        {
            session.Reply(refusal);
            return;
        }
        if (!last)
        {
            session.Reply(new SmtpReply(250, "2.0.0", $"{size} octets received"));
            return;
        }
        var sink = session.Chunks!;
        session.Chunks = null;
        session.Reply(await DeliveryHandoff.CompleteAsync(session, envelope!, sink));
        await session.ResetTransactionAsync();
    }

    /// <summary>
    /// Reads the chunk into <paramref name="sink"/>: End when all of it was read, NeedMore when the client left, BareLf/BareCr at
    /// a bare line end. Reading the client is bounded by <paramref name="deadline"/>; storing is ours and only bound to the connection.
    /// </summary>
    private static async Task<DataStatus> CopyAsync(SmtpSession session, long size, MessageSink? sink, BareLineEndDetector? lineEnds,
        CancellationToken deadline, CancellationToken ct)
    {
        var input = session.Transport.Input;
        // A client may wait for the replies to its pipelined MAIL and RCPT before it sends the chunk.
        await session.FlushAsync(deadline);
        while (size > 0)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(deadline);
            timeout.CancelAfter(TimeSpan.FromSeconds(session.Options.DataTimeoutSeconds));
            var result = await input.ReadAsync(timeout.Token);
            var take = result.Buffer.Slice(0, Math.Min(size, result.Buffer.Length));
            if (sink is not null)
            {
                foreach (var segment in take)
                {
                    if (lineEnds!.Check(segment.Span) is var found and not DataStatus.NeedMore)
                    {
                        input.AdvanceTo(take.End);
                        return found;
                    }
                    sink.Write(segment.Span);
                }
            }
            size -= take.Length;
            input.AdvanceTo(take.End);
            if (sink is not null) await sink.FlushAsync(ct);
            if (size > 0 && result.IsCompleted) return DataStatus.NeedMore;
        }
        return DataStatus.End;
    }
}
