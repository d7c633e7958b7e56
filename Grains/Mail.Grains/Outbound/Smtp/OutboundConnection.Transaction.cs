namespace Mail.Grains.Outbound.Smtp;

public sealed partial class OutboundConnection
{
    /// <summary>
    /// One mail transaction (RFC 5321 §3.3): MAIL FROM with SIZE (RFC 1870), BODY=8BITMIME (RFC 6152) and SMTPUTF8
    /// (RFC 6531) as the message and server call for, one RCPT per recipient, then BDAT (RFC 3030) or DATA; the
    /// envelope is one pipelined group when PIPELINING is offered (RFC 2920). Recipients refused at RCPT keep their
    /// RCPT reply; the others all get the final reply to the data. A message over the server's SIZE, or one that
    /// needs SMTPUTF8 the server lacks (RFC 6531 §3.4), fails for everyone before anything is sent. Failures of the
    /// whole session throw <see cref="OutboundConnectionException"/> and leave the connection unusable.
    /// </summary>
    public async Task<TransactionResult> SendAsync(OutboundMessage message, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_broken) throw new InvalidOperationException($"the connection to {HostName} is no longer usable");
        if (message.Recipients.Count == 0) throw new ArgumentException("a transaction needs a recipient", nameof(message));
        if (_capabilities.MaxSize > 0 && message.TotalSize > _capabilities.MaxSize)
            return Everyone(message, new SmtpReplyInfo(552, "5.3.4", $"message size {message.TotalSize} exceeds the fixed maximum message size {_capabilities.MaxSize} of {HostName}"));
        var content = await OpenSeekableAsync(message, ct);
        try
        {
            var traits = await MessageTraits.ScanAsync(message, content, _chunk, ct);
            if (traits.Utf8 && !_capabilities.SmtpUtf8)
                return Everyone(message, new SmtpReplyInfo(550, "5.6.7", $"SMTPUTF8 is required but {HostName} does not offer it"));
            content = await RewindAsync(message, content, ct);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                return await TransactAsync(message, traits, content, timeout);
            }
            catch (Exception e)
            {
                _broken = true;
                if (IsTransportFault(e, ct)) throw Fault(e);
                throw;
            }
        }
        finally
        {
            await content.DisposeAsync();
        }
    }

    /// <summary>
    /// The content, held in memory when it is small enough (most mail), so the scan for its traits and the send read
    /// the blob (and decrypt it) once; larger content stays a stream and is opened twice.
    /// </summary>
    private static async ValueTask<Stream> OpenSeekableAsync(OutboundMessage message, CancellationToken ct)
    {
        var content = await message.OpenContent(ct);
        if (content.CanSeek || message.TotalSize > MaxBufferedContent) return content;
        await using (content)
        {
            var buffered = new MemoryStream((int)message.TotalSize);
            await content.CopyToAsync(buffered, ct);
            buffered.Position = 0;
            return buffered;
        }
    }

    /// <summary>Back to the start of the content after scanning: seek, or open it again.</summary>
    private static async ValueTask<Stream> RewindAsync(OutboundMessage message, Stream content, CancellationToken ct)
    {
        if (content.CanSeek)
        {
            content.Position = 0;
            return content;
        }
        await content.DisposeAsync();
        return await message.OpenContent(ct);
    }

    private async Task<TransactionResult> TransactAsync(OutboundMessage message, MessageTraits traits, Stream content, CancellationTokenSource timeout)
    {
        var pipelined = _capabilities.Pipelining;
        var chunking = _capabilities.Chunking;
        var resetting = _needsReset;
        _needsReset = true;
        if (resetting) _output.AppendLine("RSET");
        _output.AppendLine(MailCommand(message, traits));
        if (pipelined)
        {
            foreach (var recipient in message.Recipients) _output.AppendLine($"RCPT TO:<{recipient}>");
            if (!chunking) _output.AppendLine("DATA");
        }
        await FlushAsync(timeout);
        if (resetting && await ReadAsync(timeout) is { IsSuccess: false } reset)
            throw new OutboundConnectionException($"{HostName} refused RSET: {reset}", reset);
        var mail = await ReadAsync(timeout);
        if (!mail.IsSuccess && !pipelined) return Everyone(message, mail);

        var replies = new SmtpReplyInfo[message.Recipients.Count];
        var accepted = 0;
        for (var i = 0; i < replies.Length; i++)
        {
            if (!pipelined)
            {
                _output.AppendLine($"RCPT TO:<{message.Recipients[i]}>");
                await FlushAsync(timeout);
            }
            replies[i] = await ReadAsync(timeout);
            if (replies[i].IsSuccess) accepted++;
        }

        SmtpReplyInfo? data = null;
        if (!chunking && pipelined) data = await ReadAsync(timeout);
        else if (!chunking && accepted > 0) data = await CommandReplyAsync("DATA", timeout);
        if (!mail.IsSuccess || accepted == 0)
        {
            if (data is { Code: 354 }) await EndEmptyDataAsync(timeout);
            return mail.IsSuccess ? Result(message, replies, final: null) : Everyone(message, mail);
        }
        if (data is { Code: not 354 }) return Result(message, replies, data);

        var final = chunking ? await SendChunksAsync(message, content, pipelined, timeout) : await SendDataAsync(message, content, timeout);
        if (final.IsSuccess) _needsReset = false;
        return Result(message, replies, final);
    }

    private string MailCommand(OutboundMessage message, MessageTraits traits)
    {
        var size = _capabilities.Size ? $" SIZE={message.TotalSize}" : "";
        var body = traits.EightBit && _capabilities.EightBitMime ? " BODY=8BITMIME" : "";
        var utf8 = traits.Utf8 ? " SMTPUTF8" : "";
        return $"MAIL FROM:<{message.ReturnPath}>{size}{body}{utf8}";
    }

    /// <summary>DATA with dot-stuffing (RFC 5321 §4.5.2), streamed in flush-sized writes, then the final reply.</summary>
    private async Task<SmtpReplyInfo> SendDataAsync(OutboundMessage message, Stream content, CancellationTokenSource timeout)
    {
        var stuffer = new DotStuffer();
        if (message.Prefix is { } prefix) stuffer.Append(_output, prefix);
        int read;
        while ((read = await content.ReadAsync(_chunk.AsMemory(0, ChunkSize), timeout.Token)) > 0)
        {
            stuffer.Append(_output, _chunk.AsSpan(0, read));
            if (_output.Length >= SmtpOutput.FlushThreshold) await FlushAsync(timeout);
        }
        stuffer.Finish(_output);
        await FlushAsync(timeout);
        return await ReadAsync(timeout);
    }

    /// <summary>
    /// BDAT chunks of the exact bytes (RFC 3030 §2): prefix then content, the last chunk marked LAST. Pipelined, the
    /// chunks go out back to back and their replies are read at the end; otherwise each reply is awaited and the
    /// first refusal stops the transfer. The first refusal is the transaction's reply.
    /// </summary>
    private async Task<SmtpReplyInfo> SendChunksAsync(OutboundMessage message, Stream content, bool pipelined, CancellationTokenSource timeout)
    {
        var prefix = message.Prefix ?? [];
        var prefixSent = 0;
        var pending = 0;
        while (true)
        {
            var filled = Math.Min(prefix.Length - prefixSent, ChunkSize);
            prefix.AsSpan(prefixSent, filled).CopyTo(_chunk);
            prefixSent += filled;
            var last = false;
            while (filled < ChunkSize && !last)
            {
                var read = await content.ReadAsync(_chunk.AsMemory(filled, ChunkSize - filled), timeout.Token);
                filled += read;
                last = read == 0;
            }
            _output.AppendLine(last ? $"BDAT {filled} LAST" : $"BDAT {filled}");
            _output.Append(_chunk.AsSpan(0, filled));
            await FlushAsync(timeout);
            pending++;
            if (pipelined && !last) continue;
            SmtpReplyInfo? refusal = null, reply = null;
            for (; pending > 0; pending--)
            {
                reply = await ReadAsync(timeout);
                if (!reply.IsSuccess) refusal ??= reply;
            }
            if (refusal is not null) return refusal;
            if (last) return reply!;
        }
    }

    /// <summary>A pipelined DATA got 354 though no recipient was accepted: send the empty data (RFC 2920 §3.1).</summary>
    private async Task EndEmptyDataAsync(CancellationTokenSource timeout)
    {
        _output.Append(".\r\n"u8);
        await FlushAsync(timeout);
        await ReadAsync(timeout);
    }

    private async ValueTask<SmtpReplyInfo> CommandReplyAsync(string line, CancellationTokenSource timeout)
    {
        _output.AppendLine(line);
        await FlushAsync(timeout);
        return await ReadAsync(timeout);
    }

    private TransactionResult Everyone(OutboundMessage message, SmtpReplyInfo reply) =>
        new(HostName, [.. message.Recipients.Select(r => new RecipientResult(r, false, reply))]);

    /// <summary>Refused recipients keep their RCPT reply; accepted ones take the data's final reply (none when no data was sent).</summary>
    private TransactionResult Result(OutboundMessage message, SmtpReplyInfo[] replies, SmtpReplyInfo? final)
    {
        var results = new RecipientResult[replies.Length];
        for (var i = 0; i < replies.Length; i++)
        {
            results[i] = replies[i].IsSuccess && final is not null
                ? new RecipientResult(message.Recipients[i], final.IsSuccess, final)
                : new RecipientResult(message.Recipients[i], false, replies[i]);
        }
        return new TransactionResult(HostName, results);
    }
}
