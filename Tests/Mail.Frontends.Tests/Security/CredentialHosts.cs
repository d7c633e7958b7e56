namespace Mail.Frontends.Tests.Security;

/// <summary>
/// A host with the default throttle thresholds (10 failures of one user from one address lock that pair out), the
/// default Argon2id cost (so timing compares real hashing work) and short failure delays (10 ms growing to 40 ms).
/// The per-address limit is raised so the tests sharing 127.0.0.1 do not refuse each other.
/// </summary>
public sealed class CredentialHostFixture : MailHostFixture
{
    /// <summary>Failures that lock a (client address, user) pair out.</summary>
    public const int AccountFailures = 10;

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Passwords:MemoryKib"] = "19456",
        ["Mail:Passwords:Iterations"] = "2",
        ["Mail:Security:AccountFailures"] = AccountFailures.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Mail:Security:AccountWindow"] = "00:15:00",
        ["Mail:Security:AccountLockout"] = "00:15:00",
        ["Mail:Security:AddressFailures"] = "1000",
        ["Mail:Security:FailureDelayBase"] = "00:00:00.010",
        ["Mail:Security:MaxFailureDelay"] = "00:00:00.040",
    };
}

/// <summary>Test classes sharing the credential host; one at a time, since timing is measured.</summary>
[CollectionDefinition(Name)]
public sealed class CredentialHostCollection : ICollectionFixture<CredentialHostFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "credential host";
}
