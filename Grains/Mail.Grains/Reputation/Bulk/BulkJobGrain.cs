using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Bulk;
using Mail.Grains.Interfaces.Errors;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Reputation.Bulk;

/// <summary>
/// A bulk job (keyed by its id): takes the streamed recipients and the job's content into PostgreSQL and answers for its
/// state. It keeps nothing in memory; the rows are the truth, and the runner (<see cref="BulkRunner"/>) does the sending.
/// </summary>
public sealed class BulkJobGrain(BulkJobStore store, IOptions<BulkOptions> options) : Grain, IBulkJobGrain
{
    private Guid Id => this.GetPrimaryKey();

    private BulkOptions Options => options.Value;

    /// <inheritdoc />
    public async Task CheckSenderAsync(string tenantId, string from) =>
        await BulkSenderPolicy.CheckAsync(GrainFactory, tenantId, from, Options.RequireAuthenticatedDomains);

    /// <inheritdoc />
    public Task OpenAsync(string tenantId) => store.CreateAsync(Id, tenantId);

    /// <inheritdoc />
    public async Task AddRecipientsAsync(string tenantId, int firstSeq, IReadOnlyList<BulkRecipient> recipients)
    {
        if (firstSeq + recipients.Count > Options.MaxRecipients)
        {
            throw new MailException(MailErrorCode.Invalid, $"A job has at most {Options.MaxRecipients} recipients; send more as several jobs.");
        }
        var normalized = new BulkRecipient[recipients.Count];
        for (var i = 0; i < recipients.Count; i++)
        {
            var address = AddressKey.Normalize(recipients[i].To)
                ?? throw new MailException(MailErrorCode.Invalid, $"recipients[{firstSeq + i}].to '{recipients[i].To}' is not an e-mail address.");
            normalized[i] = recipients[i] with { To = address };
        }
        if (!await store.AddRecipientsAsync(Id, tenantId, firstSeq, normalized))
        {
            throw new MailException(MailErrorCode.NotFound, $"Bulk job {Id} is not receiving recipients numbered from {firstSeq}.");
        }
    }

    /// <inheritdoc />
    public async Task<BulkJobStatus> SubmitAsync(string tenantId, BulkJobSpec spec)
    {
        try
        {
            var from = await BulkSenderPolicy.CheckAsync(GrainFactory, tenantId, spec.From ?? "", Options.RequireAuthenticatedDomains);
            if (!BulkMailClasses.IsValid(spec.Class))
            {
                throw new MailException(MailErrorCode.Invalid, $"class must be {BulkMailClasses.Marketing} or {BulkMailClasses.Transactional}.");
            }
            if (spec.Subject is null) throw new MailException(MailErrorCode.Invalid, "subject is required.");
            if (spec.Text is null && spec.Html is null) throw new MailException(MailErrorCode.Invalid, "text or html (or both) is required.");
            var count = await store.ReceivingCountAsync(Id, tenantId)
                ?? throw new MailException(MailErrorCode.NotFound, $"Bulk job {Id} is not receiving.");
            if (count == 0) throw new MailException(MailErrorCode.Invalid, "recipients must list at least one recipient.");
            if (!await store.SubmitAsync(Id, tenantId, spec, from.Address, from.Name ?? ""))
            {
                throw new MailException(MailErrorCode.NotFound, $"Bulk job {Id} is not receiving.");
            }
        }
        catch (MailException)
        {
            await store.DeleteReceivingAsync(Id, tenantId);
            throw;
        }
        return (await store.StatusAsync(Id, tenantId))!;
    }

    /// <inheritdoc />
    public Task AbandonAsync(string tenantId) => store.DeleteReceivingAsync(Id, tenantId);

    /// <inheritdoc />
    public Task<BulkJobStatus?> GetAsync(string tenantId) => store.StatusAsync(Id, tenantId);

    /// <inheritdoc />
    public async Task<BulkJobStatus?> CancelAsync(string tenantId) =>
        await store.CancelAsync(Id, tenantId) ? await store.StatusAsync(Id, tenantId) : null;
}
