using System.Text.Json;
using Mail.Grains.Interfaces.Errors;
using Mail.Storage.Blobs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;

namespace Mail.Frontends.Http.Errors;

/// <summary>Turns exceptions into RFC 7807 problem+json answers with a status and a message a client can act on.</summary>
public sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = Describe(exception);
        if (status >= 500) logger.LogError(exception, "Request {Path} failed", context.Request.Path);
        if (context.Response.HasStarted) return false;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    /// <summary>Status, title and detail for an exception.</summary>
    public static (int Status, string Title, string? Detail) Describe(Exception exception) => exception switch
    {
        MailException e => e.Code switch
        {
            MailErrorCode.NotFound => (StatusCodes.Status404NotFound, "Not found", e.Message),
            MailErrorCode.AlreadyExists => (StatusCodes.Status409Conflict, "Already exists", e.Message),
            MailErrorCode.QuotaExceeded => (StatusCodes.Status507InsufficientStorage, "Quota exceeded", e.Message),
            MailErrorCode.Invalid => (StatusCodes.Status400BadRequest, "Invalid request", e.Message),
            MailErrorCode.Suspended => (StatusCodes.Status403Forbidden, "Suspended", e.Message),
            MailErrorCode.Forbidden => (StatusCodes.Status403Forbidden, "Forbidden", e.Message),
            MailErrorCode.Fenced => (StatusCodes.Status503ServiceUnavailable, "Try again", e.Message),
            MailErrorCode.HistoryPruned => (StatusCodes.Status410Gone, "Changes no longer available", e.Message),
            _ => (StatusCodes.Status500InternalServerError, "Error", e.Message),
        },
        BadHttpRequestException e when e.StatusCode == StatusCodes.Status413PayloadTooLarge =>
            (StatusCodes.Status413PayloadTooLarge, "Request too large", e.Message),
        BadHttpRequestException e => (e.StatusCode, "Bad request", e.InnerException is JsonException j ? j.Message : e.Message),
        JsonException e => (StatusCodes.Status400BadRequest, "Malformed JSON", e.Message),
        BlobNotFoundException => (StatusCodes.Status500InternalServerError, "Message content missing",
            "The stored content of this message could not be found."),
        BlobCorruptException => (StatusCodes.Status500InternalServerError, "Message content corrupt",
            "The stored content of this message failed its integrity check and was not served."),
        TimeoutException or OperationCanceledException => (StatusCodes.Status503ServiceUnavailable, "Try again", "The cluster did not answer in time."),
        _ => (StatusCodes.Status500InternalServerError, "Internal error", "The request failed; it was logged."),
    };
}
