using Mail.Grains.Interfaces.Accounts;
using Mail.Grains.Interfaces.Bulk;
using Mail.Grains.Reputation.Unsubscribe;

namespace Mail.Grains.Reputation.Bulk;

/// <summary>
/// What a runner needs to make every message of a leased job: its templates, parsed once, the domain that signs, and for
/// marketing mail the unsubscribe signer and the public host of the unsubscribe URL.
/// </summary>
public sealed class BulkJobContext
{
    /// <summary>Parses the job's templates.</summary>
    public BulkJobContext(BulkJob job, UnsubscribeSigner? unsubscribe, string publicHost)
    {
        Job = job;
        Subject = BulkTemplate.Parse(job.Subject);
        Text = job.Text is null ? null : BulkTemplate.Parse(job.Text);
        Html = job.Html is null ? null : BulkTemplate.Parse(job.Html);
        Domain = AddressKey.DomainOf(job.FromAddress);
        Unsubscribe = job.Class == BulkMailClasses.Marketing ? unsubscribe ?? throw new ArgumentNullException(nameof(unsubscribe)) : null;
        PublicHost = publicHost;
    }

    /// <summary>The job.</summary>
    public BulkJob Job { get; }

    /// <summary>The subject template.</summary>
    public BulkTemplate Subject { get; }

    /// <summary>The text/plain body template, if any.</summary>
    public BulkTemplate? Text { get; }

    /// <summary>The text/html body template, if any.</summary>
    public BulkTemplate? Html { get; }

    /// <summary>The From domain: it signs (d=), gets the VERP return path and the mailto unsubscribe address.</summary>
    public string Domain { get; }

    /// <summary>Makes unsubscribe tokens; null for transactional mail.</summary>
    public UnsubscribeSigner? Unsubscribe { get; }

    /// <summary>Host of https://{host}/v1/unsubscribe/{token}.</summary>
    public string PublicHost { get; }
}
