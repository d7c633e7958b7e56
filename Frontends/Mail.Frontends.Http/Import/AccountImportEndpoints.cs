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
/// whole). Lines are gathered per tenant into batches, each created by one tenant grain call in one PostgreSQL
/// transaction (ITenantGrain.CreateAccountsAsync), with a bounded number of batches at once. A line that cannot be read
/// or created is reported with its number (1-based, the CSV header included) and the rest are created; the answer counts both.
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
        var batchSize = Math.Clamp(options.BatchSize, 1, BulkAccount.MaxPerCall);
        // Lines are batched per tenant (the owner of the address's domain, looked up once per domain in this request).
        var tenantOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        var open = new Dictionary<string, ImportBatch>(StringComparer.Ordinal);

        async Task CreateBatch(string tenantId, ImportBatch batch)
        {
            try
            {
                var outcomes = await grains.GetGrain<ITenantGrain>(tenantId).CreateAccountsAsync(batch.Accounts);
                for (var i = 0; i < outcomes.Count; i++)
                {
                    if (outcomes[i].AccountId is not null) Interlocked.Increment(ref created);
                    else errors.Add(new LineError(batch.Lines[i], outcomes[i].Error ?? "not created"));
                }
            }
            catch (MailException e)
            {
                foreach (var line in batch.Lines) errors.Add(new LineError(line, e.Message));
            }
            finally
            {
                slots.Release();
            }
        }
        async Task Dispatch(string tenantId, ImportBatch batch)
        {
            await slots.WaitAsync(http.RequestAborted);
            pending.Add(CreateBatch(tenantId, batch));
            if (pending.Count >= 4 * options.Parallelism) pending.RemoveAll(t => t.IsCompleted);
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
            if (AddressKey.Normalize(row.Address) is not { } address)
            {
                errors.Add(new LineError(lineNumber, "address must be an e-mail address."));
                continue;
            }
            var domain = AddressKey.DomainOf(address);
            if (!tenantOf.TryGetValue(domain, out var tenantId))
            {
                tenantId = (await grains.GetGrain<IDomainGrain>(domain).GetAsync())?.TenantId;
                tenantOf[domain] = tenantId;
            }
            if (tenantId is null)
            {
                errors.Add(new LineError(lineNumber, $"Domain {domain} is not hosted here; add it first."));
                continue;
            }
            if (!open.TryGetValue(tenantId, out var batch)) open[tenantId] = batch = new ImportBatch();
            batch.Add(lineNumber, new BulkAccount(address, row.Password, row.PasswordHash, row.QuotaBytes));
            if (batch.Accounts.Count >= batchSize || batch.Passwords >= options.MaxPasswordsPerBatch)
            {
                open.Remove(tenantId);
                await Dispatch(tenantId, batch);
            }
        }
        foreach (var (tenantId, batch) in open) await Dispatch(tenantId, batch);
        await Task.WhenAll(pending);
        var listed = errors.OrderBy(e => e.Line).Take(options.MaxReportedErrors).ToArray();
        return Results.Ok(new ImportResult(created, errors.Count, listed, errors.Count > listed.Length));
    }

    /// <summary>Lines of one tenant on their way to its grain, with their line numbers.</summary>
    private sealed class ImportBatch
    {
        public List<BulkAccount> Accounts { get; } = [];

        public List<long> Lines { get; } = [];

        /// <summary>Lines that carry a plaintext password (each an Argon2id hash on the silo).</summary>
        public int Passwords { get; private set; }

        public void Add(long line, BulkAccount account)
        {
            Lines.Add(line);
            Accounts.Add(account);
            if (account.PasswordHash is null) Passwords++;
        }
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
