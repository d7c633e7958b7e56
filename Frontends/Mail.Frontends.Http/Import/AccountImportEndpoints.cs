using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Text;
using Mail.Frontends.Http.Errors;
using Mail.Frontends.Http.Pipeline;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.Http.Import;

/// <summary>
/// POST /v1/admin/accounts:import: creates one account per line of a JSON-lines or CSV body, read as a stream (never held
/// whole) with a bounded number of accounts in creation at once. A line that cannot be read or created is reported with
/// its number (1-based, the CSV header included) and the rest are created; the answer counts both.
/// </summary>
public static class AccountImportEndpoints
{
    /// <summary>One line that was not imported.</summary>
    public sealed record LineError(long Line, string Error);

    /// <summary>The answer: accounts created, lines failed, the first failures by line number.</summary>
    public sealed record ImportResult(long Created, long Failed, IReadOnlyList<LineError> Errors, bool ErrorsTruncated);

    /// <summary>Maps the endpoint on the admin group (admin token checked there), with its own body limit.</summary>
    public static void Map(RouteGroupBuilder admin, AccountImportOptions options)
    {
        admin.MapPost("/accounts:import", (HttpContext http, IGrainFactory grains) => ImportAsync(http, grains, options))
            .WithName("ImportAccounts").WithBodyLimit(options.MaxBodyBytes);
    }

    /// <summary>Creates one account as POST /v1/admin/accounts does: the address's domain must be hosted; its tenant owns the account.</summary>
    public static async Task<AccountInfo> CreateAsync(IGrainFactory grains, string? requestedAddress, string? password, long? quotaBytes)
    {
        var address = AddressKey.Normalize(requestedAddress) ?? throw new MailException(MailErrorCode.Invalid, "address must be an e-mail address.");
        var domain = await grains.GetGrain<IDomainGrain>(AddressKey.DomainOf(address)).GetAsync()
            ?? throw new MailException(MailErrorCode.Invalid, $"Domain {AddressKey.DomainOf(address)} is not hosted here; add it first.");
        return await grains.GetGrain<ITenantGrain>(domain.TenantId).CreateAccountAsync(new NewAccount(address, password ?? "", quotaBytes));
    }

    private static async Task<IResult> ImportAsync(HttpContext http, IGrainFactory grains, AccountImportOptions options)
    {
        var parser = AccountImportParser.For(http.Request.ContentType);
        if (parser is null)
        {
            return Results.Problem("The body must be JSON lines (application/x-ndjson) or CSV (text/csv) with a header line.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }
        var errors = new ConcurrentBag<LineError>();
        long created = 0, lineNumber = 0;
        var pending = new List<Task>();
        using var slots = new SemaphoreSlim(Math.Max(1, options.Parallelism));
        async Task CreateLine(long number, AccountImportRow row)
        {
            try
            {
                await CreateAsync(grains, row.Address, row.Password, row.QuotaBytes);
                Interlocked.Increment(ref created);
            }
            catch (Exception e) when (e is MailException or ArgumentException)
            {
                errors.Add(new LineError(number, e.Message));
            }
            finally
            {
                slots.Release();
            }
        }
        await foreach (var (line, tooLong) in LinesAsync(http.Request.BodyReader, options.MaxLineBytes, http.RequestAborted))
        {
            lineNumber++;
            if (tooLong)
            {
                errors.Add(new LineError(lineNumber, $"the line is longer than {options.MaxLineBytes} bytes"));
                continue;
            }
            if (string.IsNullOrWhiteSpace(line)) continue;
            AccountImportRow? row;
            try
            {
                row = parser.Read(line);
            }
            catch (FormatException e)
            {
                errors.Add(new LineError(lineNumber, e.Message));
                continue;
            }
            if (row is null) continue;
            await slots.WaitAsync(http.RequestAborted);
            pending.Add(CreateLine(lineNumber, row));
            if (pending.Count >= 4 * options.Parallelism) pending.RemoveAll(t => t.IsCompleted);
        }
        await Task.WhenAll(pending);
        var listed = errors.OrderBy(e => e.Line).Take(options.MaxReportedErrors).ToArray();
        return Results.Ok(new ImportResult(created, errors.Count, listed, errors.Count > listed.Length));
    }

    /// <summary>The body's lines (LF or CRLF), UTF-8; a line over <paramref name="maxBytes"/> comes back empty and flagged, its bytes skipped.</summary>
    private static async IAsyncEnumerable<(string Line, bool TooLong)> LinesAsync(PipeReader body, int maxBytes,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var skipping = false;
        while (true)
        {
            var read = await body.ReadAsync(ct);
            var buffer = read.Buffer;
            var lines = new List<(string, bool)>();
            while (true)
            {
                var reader = new SequenceReader<byte>(buffer);
                if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
                {
                    if (buffer.Length > maxBytes)
                    {
                        if (!skipping) lines.Add(("", true));
                        skipping = true;
                        buffer = buffer.Slice(buffer.End);
                    }
                    break;
                }
                if (skipping) skipping = false;
                else lines.Add(line.Length > maxBytes ? ("", true) : (Encoding.UTF8.GetString(line).TrimEnd('\r'), false));
                buffer = buffer.Slice(reader.Position);
            }
            if (read.IsCompleted && !buffer.IsEmpty)
            {
                if (!skipping) lines.Add(buffer.Length > maxBytes ? ("", true) : (Encoding.UTF8.GetString(buffer).TrimEnd('\r'), false));
                buffer = buffer.Slice(buffer.End);
            }
            body.AdvanceTo(buffer.Start, buffer.End);
            foreach (var line in lines) yield return line;
            if (read.IsCompleted) break;
        }
    }
}
