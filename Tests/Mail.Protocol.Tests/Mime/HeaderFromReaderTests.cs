using System.Text;
using Mail.Mime;

namespace Mail.Protocol.Tests.Mime;

/// <summary>The From field's mailboxes read from a message prefix (RFC 5322 §3.6.2), for the submission header From check.</summary>
public sealed class HeaderFromReaderTests
{
    private const string Trace = "Return-Path: <me@own.example>\r\nReceived: from client.example ([127.0.0.1])\r\n\tby localhost (Mail) with ESMTPSA id 0;\r\n\tMon, 30 Nov 2026 10:00:00 +0000\r\n";

    private static IReadOnlyList<string>? Read(string text) => HeaderFromReader.Read(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("From: me@own.example\r\n\r\nbody\r\n", new[] { "me@own.example" })]
    [InlineData("From: \"Me\" <me@own.example>\r\nSubject: x\r\n\r\n", new[] { "me@own.example" })]
    [InlineData("From: me@own.example, \"CEO\" <ceo@victim.example>\r\n\r\n", new[] { "me@own.example", "ceo@victim.example" })]
    [InlineData("From: team: me@own.example, ceo@victim.example;\r\n\r\n", new[] { "me@own.example", "ceo@victim.example" })]
    [InlineData("From: \"me@own.example\" <ceo@victim.example>\r\n\r\n", new[] { "ceo@victim.example" })]
    [InlineData("From: ceo@victim.example (me@own.example)\r\n\r\n", new[] { "ceo@victim.example" })]
    [InlineData("From:\r\n ceo@victim.example\r\n\r\n", new[] { "ceo@victim.example" })]
    public void EveryMailboxOfTheFieldIsReturned(string message, string[] expected) =>
        Assert.Equal(expected, Read(Trace + message));

    [Fact]
    public void MessageWithoutFromHasNone() => Assert.Empty(Read(Trace + "Subject: x\r\n\r\nFrom: me@own.example\r\n")!);

    [Theory]
    [InlineData("From: me@own.example\r\nFrom: ceo@victim.example\r\n\r\n")]
    [InlineData("Subject: " + "long ")]
    [InlineData("From: me@own.example\r\nSubject: unterminated header section")]
    public void AnUncertainFromIsNull(string message) => Assert.Null(Read(Trace + message));
}
