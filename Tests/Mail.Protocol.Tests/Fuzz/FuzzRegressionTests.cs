using System.Text;
using Mail.Frontends.Smtp.Protocol;
using Mail.Frontends.Smtp.Session;
using Mail.Mime;
using MimeKit;

namespace Mail.Protocol.Tests.Fuzz;

/// <summary>
/// Inputs infra/fuzz.sh (SharpFuzz + AFL++, Tests/Mail.Fuzz) found to break a promise of the code, kept as they were
/// found (or cut down to the line that mattered), with the behaviour the fix gives.
/// </summary>
public sealed class FuzzRegressionTests
{
    [Theory]
    // smtp target: with an address literal as domain, the local part was not checked at all.
    [InlineData("TO:<@relay.examp TO:<@relay.e\u0096ample:\"quoted user\"@[IPv6:::1]>")]
    [InlineData("TO:<a b<c@[127.0.0.1]>")]
    // smtp target: a quoted local part with a bare '"' inside is no quoted-string (RFC 5321 §4.1.2).
    [InlineData("TO:<@r:\"PT TCPO:<@r:\"qur\"@=Icv1]::1]>")]
    [InlineData("TO:<\"a\"b\"@example.test>")]
    [InlineData("TO:<\"a\\\"@example.test>")]
    public void PathWithSpecialsOutsideAQuotedStringIsRefused(string argument)
    {
        var (path, error) = PathArgument.Parse(argument, "TO", allowNull: false);

        Assert.Null(path);
        Assert.NotNull(error);
    }

    [Theory]
    [InlineData("TO:<\"quoted user\"@[IPv6:::1]>", "\"quoted user\"@[IPv6:::1]")]
    [InlineData("TO:<\"a<b\"@[127.0.0.1]>", "\"a<b\"@[127.0.0.1]")]
    [InlineData("TO:<\"a\\\"b\"@example.test>", "\"a\\\"b\"@example.test")]
    [InlineData("TO:<@relay.example:bob@[127.0.0.1]>", "bob@[127.0.0.1]")]
    public void QuotedStringsAndAddressLiteralsStillParse(string argument, string expected)
    {
        var (path, error) = PathArgument.Parse(argument, "TO", allowNull: false);

        Assert.Null(error);
        Assert.Equal(expected, path!.Address);
    }

    // data target: a results field whose name is padded with spaces before the colon (RFC 5322 §4.5.3 obs-optional; MimeKit
    // reads it as Authentication-Results) got through when the name reached past 128 bytes before a chunk ended.
    [Theory]
    [InlineData(200)]
    [InlineData(5000)]
    [InlineData(ForgedResultsFilter.MaxFieldBytes + 10)]
    public void ForgedResultsFieldWithAPaddedNameIsRemovedHoweverTheMessageArrives(int spaces)
    {
        var input = Encoding.ASCII.GetBytes("Authentication-Results" + new string(' ', spaces) + ": mx.example.net; spf=pass\r\nSubject: x\r\n\r\nbody\r\n");

        foreach (var chunk in new[] { input.Length, 1, 7, 128, 129 })
        {
            var output = new List<byte>();
            var filter = new ForgedResultsFilter("mx.example.net");
            for (var i = 0; i < input.Length; i += chunk) filter.Write(input.AsSpan(i, Math.Min(chunk, input.Length - i)), s => output.AddRange(s.ToArray()));
            filter.Complete(s => output.AddRange(s.ToArray()));
            Assert.Equal("Subject: x\r\n\r\nbody\r\n", Encoding.ASCII.GetString([.. output]));
        }
    }

    [Fact]
    public void LongFieldNamesThatCannotBeOursPassWhole()
    {
        var input = Encoding.ASCII.GetBytes("X-" + new string('a', 300) + ": v\r\nAuthentication-Resultsx: mx.example.net\r\n\r\n");

        var output = new List<byte>();
        var filter = new ForgedResultsFilter("mx.example.net");
        foreach (var b in input) filter.Write([b], s => output.AddRange(s.ToArray()));
        filter.Complete(s => output.AddRange(s.ToArray()));

        Assert.Equal(input, output);
    }

    // headercache target: a field name followed by a space then a tab before its colon ("To \t:") was not recognised
    // (the spaces were trimmed before the tabs, not in any mix), so ENVELOPE from the cache lost the To that the
    // message's own header has.
    [Theory]
    [InlineData("U3ViamVjU3ViamVjdDoNCiAgZWQNCmhlcjpwDVN1YmplY3Q6DQgBIGVkY3RP8gkQZg0JDQpGbSA6DSEKIA0KIGN0TA0KZXI6cA0ZY3Q6DQpUbyAJOnANGWN0Og0KDQpGbXJvbSA6DSANClQhZQo6cA1MaXNUVFRUVFRUVFRUVFRUVFRUVFRUVFRUVHQtSWQNClRkIAkNCkZtcm9tIDoNIA0KVG8gCQ0KRm1yb20gOg1zdA==")]
    [InlineData("VG8gCTogYUBleGFtcGxlLnRlc3QNClN1YmplY3QJIAk6IGhpDQoNCmJvZHkNCg==")]
    public void HeaderCacheKeepsFieldsWhoseNameIsFollowedByAnyMixOfSpacesAndTabs(string base64)
    {
        var message = Convert.FromBase64String(base64);

        var cache = HeaderCache.Extract(message);

        Assert.NotNull(cache);
        var original = HeaderList.Load(new MemoryStream(message));
        var cached = HeaderList.Load(new MemoryStream(cache));
        foreach (var name in new[] { "To", "Subject" })
        {
            Assert.Equal(Values(original, name), Values(cached, name));
        }
        Assert.NotEmpty(Values(cached, "To"));
    }

    private static string[] Values(HeaderList headers, string name) =>
        headers.Where(h => h.Field.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => Encoding.Latin1.GetString(h.RawValue)).ToArray();
}
