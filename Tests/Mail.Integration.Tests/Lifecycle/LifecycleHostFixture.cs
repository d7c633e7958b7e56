namespace Mail.Integration.Tests.Lifecycle;

/// <summary>
/// The host with history retention and blob collection run by the tests (no background passes), tight limits so a
/// few messages cross them, and no grace period: a blob is collectable as soon as nothing references it.
/// </summary>
public class LifecycleHostFixture : MailHostFixture
{
    /// <summary>The newest MODSEQs whose changes a mailbox keeps here.</summary>
    public const int MaxChanges = 4;

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Retention:Enabled"] = "false",
        ["Mail:Retention:MaxChangesPerMailbox"] = MaxChanges.ToString(),
        ["Mail:Retention:MinChangeAgeMinutes"] = "0",
        ["Mail:Retention:DeliveryIdDays"] = "0",
        ["Mail:Blobs:Collection:Enabled"] = "false",
        ["Mail:Blobs:Collection:GraceMinutes"] = "0",
        ["Mail:Blobs:Collection:SegmentMinAgeMinutes"] = "0",
    };
}

/// <summary>The same on Azure Blob Storage (Azurite).</summary>
public sealed class AzureLifecycleHostFixture : LifecycleHostFixture
{
    /// <summary>The container this host keeps its blobs in.</summary>
    public string Container => "life-" + Database.Name.Replace('_', '-');

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Mail:Blobs:Kind"] = "azure";
            settings["Mail:Blobs:AzureConnectionString"] = AzuriteConnectionString;
            settings["Mail:Blobs:AzureContainer"] = Container;
            return settings;
        }
    }

    /// <summary>The Azurite of infra/test.sh.</summary>
    public static string AzuriteConnectionString => Environment.GetEnvironmentVariable("MAIL_TEST_AZURITE")
        ?? throw new InvalidOperationException("MAIL_TEST_AZURITE is not set: run the tests through infra/test.sh, which starts Azurite.");
}
