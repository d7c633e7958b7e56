using System.Net.Http.Json;
using System.Text.Json;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Mail.Frontends.Tests.Smtp;

/// <summary>A host whose per-session command limit is small, so a reused connection crosses it many times over.</summary>
public sealed class SmtpCommandLimitHostFixture : MailHostFixture
{
    /// <summary>Commands outside completed transactions before 421.</summary>
    public const int MaxCommands = 30;

    /// <inheritdoc />
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Mail:Smtp:MaxCommandsPerSession"] = MaxCommands.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>
/// Big senders reuse one connection for hundreds of messages: the command limit counts only commands outside completed
/// transactions, so they are never cut off for it, while a client that never delivers anything still is.
/// </summary>
public sealed class SmtpConnectionReuseTests(SmtpCommandLimitHostFixture host) : IClassFixture<SmtpCommandLimitHostFixture>
{
    [Fact]
    public async Task FiveHundredMessagesOverOneMailKitConnectionAreAllDelivered()
    {
        var (address, api) = await ApiUsers.CreateAsync(host);
        using var _ = api;

        using (var client = new SmtpClient())
        {
            await client.ConnectAsync("127.0.0.1", host.SmtpPort, SecureSocketOptions.None);
            for (var i = 0; i < 500; i++)
            {
                var message = new MimeMessage();
                message.From.Add(MailboxAddress.Parse("bulk@remote.example"));
                message.To.Add(MailboxAddress.Parse(address));
                message.Subject = $"reused {i}";
                message.Body = new TextPart("plain") { Text = $"Message {i} of 500 on one connection." };
                Assert.StartsWith("2.0.0 Ok", await client.SendAsync(message));
            }
            // Still connected after 1,500 commands, 50 times the limit.
            await client.NoOpAsync();
            await client.DisconnectAsync(true);
        }

        var page = await api.GetFromJsonAsync<JsonElement>("/v1/emails?page_size=1");
        Assert.Equal(500, page.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task AClientThatNeverCompletesATransactionIsStillCutOff()
    {
        await using var smtp = await SmtpTranscript.OpenWithEhloAsync(host.SmtpPort);
        // The EHLO counted; then commands that deliver nothing (a refused recipient, RSET, NOOP) count too.
        for (var i = 1; i < SmtpCommandLimitHostFixture.MaxCommands; i++)
        {
            await smtp.CommandAsync("NOOP");
            await smtp.ExpectLineStartsWithAsync("250");
        }
        await smtp.CommandAsync("NOOP");
        await smtp.ExpectLineStartsWithAsync("421 ");
        await smtp.ExpectClosedAsync();
    }
}
