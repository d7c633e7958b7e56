using System.Globalization;
using System.Text.RegularExpressions;
using Mail.Frontends.Hosting;
using Mail.Frontends.Http.Auth;
using Mail.Frontends.Http.Errors;
using Mail.Frontends.Http.Pipeline;
using Mail.Frontends.Http.Messages;
using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Mailboxes;
using Mail.Grains.Interfaces.Outbound;
using Mail.Mime;
using Mail.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Mail.Frontends.Http.Api;

/// <summary>POST /v1/send: builds the message, stores it once, and delivers it before answering 201.</summary>
public static partial class SendEndpoints
{
    private static readonly MimeKit.FormatOptions WireFormat = new() { NewLineFormat = MimeKit.NewLineFormat.Dos };

    /// <summary>Header that makes a retried send a no-op.</summary>
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>Maps the endpoint.</summary>
    public static void Map(RouteGroupBuilder v1)
    {
        v1.MapPost("/send", async (SendRequest request, HttpContext http, IGrainFactory grains, IBlobStore blobs,
            IOptions<HttpFrontendOptions> options, IConfiguration configuration, CancellationToken ct) =>
        {
            var user = MailUser.From(http.User);
            var account = await grains.GetGrain<IAccountGrain>(user.AccountId).GetAsync();
            if (account is null || account.Suspended) return Problems.Forbidden("This account may not send.");
            var from = request.From is null ? account.Address : AddressKey.Normalize(request.From);
            if (from is null || (from != account.Address && !account.Aliases.Contains(from)))
            {
                return Problems.Forbidden($"You may send only as {string.Join(", ", account.Aliases.Prepend(account.Address))}.");
            }
            var idempotencyKey = http.Request.Headers[IdempotencyHeader].ToString();
            if (idempotencyKey.Length > 0 && !IdempotencyKeyPattern().IsMatch(idempotencyKey))
            {
                return Problems.BadRequest($"{IdempotencyHeader} must be 1-100 characters of letters, digits and -_.:");
            }

            var streamClass = StreamClasses.Parse(request.Class);
            if (request.Class is not null && streamClass is null) return Problems.BadRequest($"class must be {StreamClasses.Transactional} or {StreamClasses.Marketing}.");

            var (built, error) = OutgoingMessageBuilder.Build(request, from, options.Value.MaxRecipients);
            if (built is null) return Problems.BadRequest(error!);
            if (configuration.GetValue(VerifiedSenderRule.ConfigurationKey, true)
                && await HasRemoteRecipientAsync(grains, built.Recipients)
                && await VerifiedSenderRule.RefusalAsync(grains, AddressKey.DomainOf(from)) is { } refusal)
            {
                return Problems.Forbidden(refusal);
            }
            using var content = new MemoryStream();
            // RFC 5322 §2.1: lines end in CRLF. MimeKit's default is the platform's LF, which receivers
            // refuse as bare newlines and which would not match the DKIM signature made over the stored bytes.
            await built.Message.WriteToAsync(WireFormat, content, ct);
            if (content.Length > options.Value.MaxMessageBytes)
            {
                return Problems.TooLarge($"The message is {content.Length} bytes; the limit is {options.Value.MaxMessageBytes}.");
            }
            content.Position = 0;
            var stored = await blobs.PutAsync(account.TenantId, content, ct);

            var submissionId = idempotencyKey.Length > 0 ? $"http:{account.AccountId}:{idempotencyKey}" : $"http:{Guid.NewGuid():N}";
            var result = await grains.GetGrain<IDeliveryAgentGrain>(0).SubmitAsync(new Submission(
                submissionId, new StoredBlob(account.TenantId, stored.Name, stored.Length), from, built.Recipients,
                account.AccountId, DateTimeOffset.UtcNow, MessageSummaryReader.Read(built.Message), StreamClass: streamClass));
            var id = result.SentMessageId!.Value.ToString(CultureInfo.InvariantCulture);
            var response = new SendResponse(id, built.Message.MessageId ?? "",
                result.Recipients.Select(r => new RecipientResult(r.Address, r.Status.ToString().ToLowerInvariant(), r.Detail)).ToArray());
            return Results.Created($"/v1/emails/{id}", response);
        }).WithName("Send").RequireAuthorization(ScopePolicies.Send).WithBodyLimit(BodyLimit.Message);
    }

    /// <summary>Whether any recipient's domain is not hosted here, so the message leaves the platform.</summary>
    private static async Task<bool> HasRemoteRecipientAsync(IGrainFactory grains, IEnumerable<string> recipients)
    {
        foreach (var domain in recipients.Select(r => AddressKey.DomainOf(AddressKey.Normalize(r) ?? r)).Distinct(StringComparer.Ordinal))
        {
            if (await grains.GetGrain<IDomainGrain>(domain).GetAsync() is null) return true;
        }
        return false;
    }

    [GeneratedRegex("^[A-Za-z0-9._:-]{1,100}$", RegexOptions.None, matchTimeoutMilliseconds: 100)]
    private static partial Regex IdempotencyKeyPattern();
}
