using Mail.Integration.Tests.Outbound;

namespace Mail.Integration.Tests.Feedback;

/// <summary>
/// The outbound test world with a feedback loop address (fbl@example.test) and webhooks allowed to reach the test's
/// plain-HTTP loopback receivers, retrying after 1–2 s instead of minutes.
/// </summary>
public sealed class FeedbackHostFixture : OutboundHostFixture
{
    /// <summary>The feedback loop address complaint reports are sent to.</summary>
    public const string FeedbackAddress = "fbl@example.test";

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings
    {
        get
        {
            var settings = base.Settings;
            settings["Mail:Reputation:FeedbackAddress"] = FeedbackAddress;
            settings["Mail:Webhooks:AllowHttp"] = "true";
            settings["Mail:Webhooks:AllowPrivateTargets"] = "true";
            settings["Mail:Webhooks:MinimalBackoffSeconds"] = "1";
            settings["Mail:Webhooks:MaximalBackoffSeconds"] = "2";
            settings["Mail:Webhooks:TimeoutSeconds"] = "5";
            return settings;
        }
    }
}
