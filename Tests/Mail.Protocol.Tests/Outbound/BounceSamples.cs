namespace Mail.Protocol.Tests.Outbound;

/// <summary>Hand-written bounces in the shapes real MTAs send them, addressed to one of our VERP return paths.</summary>
public static class BounceSamples
{
    /// <summary>Postfix 3.x: per-message X-Postfix fields, "rfc822; " with a space, Diagnostic-Code folded.</summary>
    public const string Postfix = """
        Return-Path: <>
        Received: by mx.remote.test (Postfix) id 4ZkQ1x3Wl9z9sRq; Mon, 30 Nov 2026 10:01:02 +0100 (CET)
        Date: Mon, 30 Nov 2026 10:01:02 +0100 (CET)
        From: MAILER-DAEMON@mx.remote.test (Mail Delivery System)
        Subject: Undelivered Mail Returned to Sender
        To: bounces+0123456789abcdefghijklmnop@example.org
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=delivery-status;
        	boundary="4ZkQ1x3Wl9z9sRq.1732957262/mx.remote.test"
        Content-Transfer-Encoding: 8bit
        Message-Id: <4ZkQ1x3Wl9z9sRq@mx.remote.test>

        This is a MIME-encapsulated message.

        --4ZkQ1x3Wl9z9sRq.1732957262/mx.remote.test
        Content-Description: Notification
        Content-Type: text/plain; charset=us-ascii

        This is the mail system at host mx.remote.test.

        <bob@remote.test>: host mailstore.remote.test[10.0.0.7] said: 550 5.1.1
            <bob@remote.test>: Recipient address rejected: User unknown in local
            recipient table (in reply to RCPT TO command)

        --4ZkQ1x3Wl9z9sRq.1732957262/mx.remote.test
        Content-Description: Delivery report
        Content-Type: message/delivery-status

        Reporting-MTA: dns; mx.remote.test
        X-Postfix-Queue-ID: 4ZkQ1x3Wl9z9sRq
        X-Postfix-Sender: rfc822; bounces+0123456789abcdefghijklmnop@example.org
        Arrival-Date: Mon, 30 Nov 2026 10:01:01 +0100 (CET)

        Final-Recipient: rfc822; bob@remote.test
        Original-Recipient: rfc822;bob@remote.test
        Action: failed
        Status: 5.1.1
        Remote-MTA: dns; mailstore.remote.test
        Diagnostic-Code: smtp; 550 5.1.1 <bob@remote.test>: Recipient address
            rejected: User unknown in local recipient table

        Final-Recipient: rfc822; carol@remote.test
        Original-Recipient: rfc822;carol@remote.test
        Action: delayed
        Status: 4.4.1
        Diagnostic-Code: X-Postfix; connect to mailstore.remote.test[10.0.0.7]:25:
            Connection timed out

        --4ZkQ1x3Wl9z9sRq.1732957262/mx.remote.test
        Content-Description: Undelivered Message Headers
        Content-Type: text/rfc822-headers

        Return-Path: <bounces+0123456789abcdefghijklmnop@example.org>
        From: Alice <alice@example.org>
        To: bob@remote.test, carol@remote.test
        Subject: Quarterly numbers
        Message-ID: <orig-1@example.org>

        --4ZkQ1x3Wl9z9sRq.1732957262/mx.remote.test--
        """;

    /// <summary>
    /// Exchange/Gmail-style: the report wrapped in multipart/mixed, lower-case field names, no Final-Recipient
    /// (only Original-Recipient), a Status with a comment, a base64-encoded delivery-status.
    /// </summary>
    public static readonly string WrappedExchange = $"""
        From: Microsoft Outlook <postmaster@remote.test>
        To: <bounces+0123456789abcdef@example.org>
        Subject: Undeliverable: Quarterly numbers
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/report; report-type=delivery-status; boundary="inner"

        --inner
        Content-Type: text/plain; charset="us-ascii"

        Your message to dave@remote.test couldn't be delivered.

        --inner
        Content-Type: message/delivery-status
        Content-Transfer-Encoding: base64

        {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(
            "reporting-mta: dns;BN8PR12MB3456.namprd12.prod.outlook.com\r\n" +
            "received-from-mta: dns;BN8PR12MB3456.namprd12.prod.outlook.com\r\n" +
            "arrival-date: Mon, 30 Nov 2026 09:01:02 +0000\r\n" +
            "\r\n" +
            "original-recipient: rfc822;Dave@Remote.test\r\n" +
            "action: Failed\r\n" +
            "status: 5.2.2 (mailbox full)\r\n" +
            "remote-mta: dns;\r\n" +
            "diagnostic-code: smtp;552 5.2.2 STOREDRV.Deliver; mailbox\r\n" +
            "  full\r\n" +
            "x-display-name: Dave\r\n"), Base64FormattingOptions.InsertLineBreaks)}

        --inner
        Content-Type: text/rfc822-headers

        Subject: Quarterly numbers

        --inner--

        --outer--
        """;

    /// <summary>A Gmail-style report whose Status is missing, so the Diagnostic-Code's reply gives it.</summary>
    public const string GmailNoStatus = """
        From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>
        To: bounces+0123456789abcdef@example.org
        Subject: Delivery Status Notification (Failure)
        MIME-Version: 1.0
        Content-Type: multipart/report; boundary="000000000000abc"; report-type=delivery-status

        --000000000000abc
        Content-Type: text/plain; charset="UTF-8"

        Address not found

        --000000000000abc
        Content-Type: message/delivery-status

        Reporting-MTA: dns; googlemail.com
        Received-From-MTA: dns; mail-sor-f41.google.com
        Arrival-Date: Mon, 30 Nov 2026 01:02:03 -0800 (PST)
        X-Original-Message-ID: <orig-1@example.org>

        Final-Recipient: rfc822; eve@remote.test
        Action: failed
        Remote-MTA: dns; mx.remote.test. (10.0.0.9, the server for the domain remote.test.)
        Diagnostic-Code: smtp; 550 user unknown

        --000000000000abc--
        """;

    /// <summary>A vacation auto-reply: no report at all.</summary>
    public const string Vacation = """
        From: Bob <bob@remote.test>
        To: bounces+0123456789abcdef@example.org
        Subject: Out of office: Quarterly numbers
        Auto-Submitted: auto-replied
        MIME-Version: 1.0
        Content-Type: multipart/alternative; boundary="b"

        --b
        Content-Type: text/plain

        I am away until Monday. Action: failed
        Final-Recipient: rfc822; bob@remote.test

        --b
        Content-Type: text/html

        <p>I am away until Monday.</p>
        --b--
        """;

    /// <summary>An SMTPUTF8 bounce (RFC 6533): message/global-delivery-status in UTF-8, a utf-8 address type.</summary>
    public const string Global = """
        From: MAILER-DAEMON@mx.remote.test
        To: bounces+0123456789abcdef@example.org
        Subject: Undelivered Mail Returned to Sender
        MIME-Version: 1.0
        Content-Type: multipart/report; report-type=global-delivery-status; boundary="g"

        --g
        Content-Type: text/plain; charset=utf-8

        Not delivered.

        --g
        Content-Type: message/global-delivery-status
        Content-Transfer-Encoding: 8bit

        Reporting-MTA: dns; mx.remote.test

        Final-Recipient: utf-8; jörg@bücher.test
        Action: failed
        Status: 5.1.1
        Diagnostic-Code: smtp; 550 5.1.1 Empfänger unbekannt

        Final-Recipient: utf-8; j\x{F6}rg2@remote.test
        Action: failed
        Status: 5.1.1

        --g
        Content-Type: message/global-headers
        Content-Transfer-Encoding: 8bit

        Subject: Grüße

        --g--
        """;
}
