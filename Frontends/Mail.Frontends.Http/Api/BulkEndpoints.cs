using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Bulk;
using Mail.Frontends.Http.Errors;
using Mail.Frontends.Http.Pipeline;
using Mail.Grains.Interfaces.Bulk;

namespace Mail.Frontends.Http.Api;

/// <summary>
/// /v1/bulk for tenant API keys (bulk scope): POST streams a job of up to 100,000 recipients into storage and answers 202
/// once it is durable; GET shows its counts and progress; DELETE cancels what has not gone out.
/// </summary>
public static class BulkEndpoints
{
    /// <summary>Answer of POST /v1/bulk.</summary>
    public sealed record BulkAccepted(string Id);

    /// <summary>Maps the endpoints; the POST takes bodies up to <see cref="BulkApiOptions.MaxBodyBytes"/>, its own limit.</summary>
    public static void Map(RouteGroupBuilder v1, BulkApiOptions options)
    {
        v1.MapPost("/bulk", (HttpContext http, IGrainFactory grains, CancellationToken ct) => AcceptAsync(http, grains, options, ct))
            .WithName("CreateBulkJob").RequireAuthorization(ScopePolicies.Bulk).WithBodyLimit(options.MaxBodyBytes);

        v1.MapGet("/bulk/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
            Guid.TryParse(id, out var job) && await grains.GetGrain<IBulkJobGrain>(job).GetAsync(TenantPrincipal.TenantOf(http.User)) is { } status
                ? Results.Ok(status)
                : Problems.NotFound($"This tenant has no bulk job {id}."))
            .WithName("GetBulkJob").RequireAuthorization(ScopePolicies.Bulk);

        v1.MapDelete("/bulk/{id}", async (string id, HttpContext http, IGrainFactory grains) =>
            Guid.TryParse(id, out var job) && await grains.GetGrain<IBulkJobGrain>(job).CancelAsync(TenantPrincipal.TenantOf(http.User)) is { } status
                ? Results.Ok(status)
                : Problems.NotFound($"This tenant has no bulk job {id}."))
            .WithName("CancelBulkJob").RequireAuthorization(ScopePolicies.Bulk);
    }

    /// <summary>
    /// Reads the body as it arrives and stores recipients a batch at a time (one batch in flight while the next is read);
    /// the sender is checked as soon as "from" is read, so a refused job stores nothing when "from" comes first. Any
    /// failure before the job is submitted deletes what was stored.
    /// </summary>
    private static async Task<IResult> AcceptAsync(HttpContext http, IGrainFactory grains, BulkApiOptions options, CancellationToken ct)
    {
        if (!http.Request.HasJsonContentType())
        {
            return Results.Problem("The body must be application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }
        var tenant = TenantPrincipal.TenantOf(http.User);
        var id = Guid.NewGuid();
        var job = grains.GetGrain<IBulkJobGrain>(id);
        var upload = new Upload(job, tenant);
        try
        {
            var parser = await upload.ReadAsync(http.Request.BodyReader, options, ct);
            await job.SubmitAsync(tenant, new BulkJobSpec(parser.From ?? "", parser.Subject!, parser.Text, parser.Html, parser.Class ?? ""));
            return Results.Accepted($"/v1/bulk/{id}", new BulkAccepted(id.ToString()));
        }
        catch (Exception e) when (e is BulkRequestException or JsonException)
        {
            await upload.AbandonAsync();
            return Problems.BadRequest(e.Message);
        }
        catch
        {
            await upload.AbandonAsync();
            throw;
        }
    }

    /// <summary>One request's upload into its job: recipients stored so far, and the batch being stored.</summary>
    private sealed class Upload(IBulkJobGrain job, string tenant)
    {
        private bool _opened;
        private int _stored;
        private Task _inFlight = Task.CompletedTask;

        /// <summary>Reads the whole body, storing recipients as they come; returns the parser holding the other members.</summary>
        public async Task<BulkRequestParser> ReadAsync(PipeReader body, BulkApiOptions options, CancellationToken ct)
        {
            var parser = new BulkRequestParser(options.MaxRecipients);
            var batch = new List<BulkRecipient>(options.BatchSize);
            var senderChecked = false;
            while (true)
            {
                var read = await body.ReadAsync(ct);
                var consumed = read.Buffer.Start;
                var full = false;
                try
                {
                    if (parser.Done)
                    {
                        RequireWhiteSpace(read.Buffer);
                        consumed = read.Buffer.End;
                    }
                    else
                    {
                        consumed = parser.Parse(read.Buffer, read.IsCompleted, batch, options.BatchSize);
                        full = batch.Count >= options.BatchSize;
                        if (parser.Done) RequireWhiteSpace(read.Buffer.Slice(consumed));
                    }
                }
                finally
                {
                    // Always, even when the body is refused: Kestrel drains an unread body after the answer, which it can
                    // only do once this read is completed; otherwise it closes the connection under the client. A full
                    // batch stopped the parser with data left: look at it again at once rather than wait for more.
                    body.AdvanceTo(consumed, full ? consumed : read.Buffer.End);
                }
                if (!senderChecked && parser.From is { } from)
                {
                    await job.CheckSenderAsync(tenant, from);
                    senderChecked = true;
                }
                if (full || (parser.Done && batch.Count > 0))
                {
                    await StoreAsync(batch.ToArray());
                    batch.Clear();
                }
                if (parser.Done)
                {
                    if (read.IsCompleted) break;
                    continue;
                }
                if (read.IsCompleted && !full) throw new BulkRequestException("The body ended before the JSON object did.");
            }
            await _inFlight;
            if (!_opened) throw new BulkRequestException("recipients must list at least one recipient.");
            return parser;
        }

        /// <summary>Deletes what was stored of a job that will not be submitted.</summary>
        public async Task AbandonAsync()
        {
            if (!_opened) return;
            // The batch in flight may have failed (that may be why we are here); its outcome no longer matters.
            await _inFlight.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            await job.AbandonAsync(tenant);
        }

        private async Task StoreAsync(BulkRecipient[] recipients)
        {
            if (!_opened)
            {
                await job.OpenAsync(tenant);
                _opened = true;
            }
            // One batch is stored while the next is read.
            await _inFlight;
            _inFlight = job.AddRecipientsAsync(tenant, _stored, recipients);
            _stored += recipients.Length;
        }

        /// <summary>Only white space may follow the object (RFC 8259 §2).</summary>
        private static void RequireWhiteSpace(ReadOnlySequence<byte> rest)
        {
            foreach (var segment in rest)
            {
                foreach (var b in segment.Span)
                {
                    if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) throw new BulkRequestException("Only white space may follow the JSON object.");
                }
            }
        }
    }
}
