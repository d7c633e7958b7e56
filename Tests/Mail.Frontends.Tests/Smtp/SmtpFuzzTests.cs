using System.Text;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>Random lines at a live session: the server answers or closes, never hangs, and keeps serving new connections.</summary>
[Collection(SmtpHostCollection.Name)]
public sealed class SmtpFuzzTests(SmtpHostFixture host)
{
    private static readonly string[] Verbs = ["EHLO", "HELO", "MAIL", "RCPT", "RSET", "NOOP", "VRFY", "HELP", "QUIT", "AUTH", "STARTTLS", "DATA", "BDAT", "XYZZY"];

    [Fact]
    public async Task TwoHundredRandomLinesAreEachAnsweredOrTheSessionClosesAndTheServerStillServes()
    {
        var random = new Random(20251124);
        var sessions = 1;
        var answered = 0;
        var smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
        try
        {
            for (var i = 0; i < 200; i++)
            {
                await smtp.SendAsync([.. RandomLine(random), .. "\r\nNOOP\r\n"u8]);
                var replies = 0;
                var closed = false;
                while (replies < 2)
                {
                    var reply = await smtp.ReadReplyOrCloseAsync();
                    if (reply is null)
                    {
                        closed = true;
                        break;
                    }
                    replies++;
                    answered++;
                    if (replies < 2) continue;
                    if (reply.StartsWith("421 ", StringComparison.Ordinal))
                    {
                        Assert.Equal("421 4.7.0 localhost Error: too many errors\r\n", reply);
                        await smtp.ExpectClosedAsync();
                        closed = true;
                    }
                    else
                    {
                        Assert.Equal("250 2.0.0 Ok\r\n", reply);
                    }
                }
                if (!closed) continue;
                await smtp.DisposeAsync();
                smtp = await SmtpTranscript.OpenAsync(host.SmtpPort);
                sessions++;
            }
        }
        finally
        {
            await smtp.DisposeAsync();
        }

        Assert.True(answered >= 200, $"only {answered} replies in {sessions} sessions");
        await using var fresh = await SmtpTranscript.OpenAsync(host.SmtpPort);
        await fresh.RunAsync("C: EHLO client.example\n" + SmtpCommandTranscriptTests.PlainEhloReply);
    }

    /// <summary>
    /// Binary junk, known verbs with junk arguments, or very long lines; never an LF, and never a DATA or
    /// BDAT that the server would rightly wait on (those only with arguments that make them invalid).
    /// </summary>
    private static byte[] RandomLine(Random random)
    {
        switch (random.Next(4))
        {
            case 0:
            {
                var junk = new byte[random.Next(0, 200)];
                random.NextBytes(junk);
                return junk.Select(b => b == (byte)'\n' ? (byte)'?' : b).ToArray();
            }
            case 1:
            {
                var verb = Verbs[random.Next(Verbs.Length)];
                var argument = new byte[random.Next(1, 60)];
                random.NextBytes(argument);
                var text = Encoding.Latin1.GetString(argument).Replace('\n', '?');
                var prefix = verb switch
                {
                    "DATA" or "STARTTLS" => verb + " x",
                    "BDAT" => "BDAT x",
                    "AUTH" => "AUTH X-UNKNOWN",
                    _ => verb,
                };
                return Encoding.Latin1.GetBytes(prefix + " " + text);
            }
            case 2:
                return Encoding.ASCII.GetBytes(new string((char)random.Next(33, 127), random.Next(2049, 20_000)));
            default:
            {
                var mixed = new StringBuilder(Verbs[random.Next(Verbs.Length)] switch { "MAIL" => "MAIL FROM:", "RCPT" => "RCPT TO:", var v => v + " x " });
                for (var n = random.Next(0, 30); n > 0; n--) mixed.Append("<>@:.= \r\0\u00e9\u00ff,"[random.Next(12)]);
                return Encoding.Latin1.GetBytes(mixed.ToString());
            }
        }
    }
}
