using System.Buffers;
using Mail.Frontends.Smtp.Protocol;

namespace Mail.Frontends.Smtp.Session;

/// <summary>
/// DATA (RFC 5321 §4.1.1.4): 354, then the body streamed through <see cref="DataDecoder"/> into the blob
/// store. A bare LF or CR ends the session with 521 (SMTP smuggling defence, as Postfix does); an
/// oversized body is read to its end without being kept and refused with 552. Each read must come within
/// <see cref="SmtpOptions.DataTimeoutSeconds"/> and the whole content within <see cref="SmtpOptions.DataDeadlineSeconds"/>,
/// else 421 4.4.2 and close.
/// </summary>
public sealed class DataHandler : ISmtpCommandHandler
{
    /// <inheritdoc />
    public string Verb => "DATA";

    /// <inheritdoc />
    public async Task HandleAsync(SmtpSession session, string argument, CancellationToken ct)
    {
        if (argument.Trim().Length > 0)
        {
            session.Reply(SmtpReplies.Syntax("Syntax: DATA takes no argument"));
            return;
        }
        if (session.Chunks is not null)
        {
            session.Reply(SmtpReplies.BadSequence("DATA cannot follow BDAT"));
            return;
        }
        if (session.Envelope is not { } envelope)
        {
            session.Reply(SmtpReplies.BadSequence("need MAIL command"));
            return;
        }
        if (envelope.Recipients.Count == 0)
        {
            session.Reply(SmtpReplies.BadSequence("need RCPT command"));
            return;
        }

        session.Reply(new SmtpReply(354, null, "End data with <CR><LF>.<CR><LF>"));
        await session.FlushAsync(ct);
        var sink = DeliveryHandoff.OpenSink(session, envelope, ct);
        DataStatus status;
        try
        {
            status = await ReadBodyAsync(session, sink, ct);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            await sink.AbortAsync();
            session.Reply(SmtpReplies.Timeout(session.Options.HostName));
            session.Closing = true;
            return;
        }
        catch
        {
            await sink.AbortAsync();
            throw;
        }
        if (status is DataStatus.BareLf or DataStatus.BareCr)
        {
            await sink.AbortAsync();
            session.Reply(SmtpReplies.BareLineEnd(session.Options.HostName, status));
            session.Closing = true;
            return;
        }
        if (status != DataStatus.End)
        {
            await sink.AbortAsync();
            session.Closing = true;
            return;
        }
        session.Reply(await DeliveryHandoff.CompleteAsync(session, envelope, sink));
        await session.ResetTransactionAsync();
    }

    private static async Task<DataStatus> ReadBodyAsync(SmtpSession session, MessageSink sink, CancellationToken ct)
    {
        var decoder = new DataDecoder();
        var input = session.Transport.Input;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(session.DataDeadline);
        while (true)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(session.Options.DataTimeoutSeconds));
            var result = await input.ReadAsync(timeout.Token);
            var buffer = result.Buffer;
            var status = DataStatus.NeedMore;
            long used = 0;
            foreach (var segment in buffer)
            {
                status = decoder.Decode(segment.Span, sink, out var consumed);
                used += consumed;
                if (status != DataStatus.NeedMore) break;
            }
            input.AdvanceTo(buffer.GetPosition(used));
            if (status != DataStatus.NeedMore) return status;
            await sink.FlushAsync(ct);
            if (result.IsCompleted) return DataStatus.NeedMore;
        }
    }
}
