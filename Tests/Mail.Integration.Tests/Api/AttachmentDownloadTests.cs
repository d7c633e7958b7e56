using System.Text;

namespace Mail.Integration.Tests.Api;

/// <summary>
/// GET /v1/emails/{id}/attachments/{n}: a sender's attachment is always a download (RFC 6266) with nosniff, and a type
/// that could run script on the API's origin (HTML, SVG, JavaScript, XML) is served as application/octet-stream.
/// </summary>
public sealed class AttachmentDownloadTests(MailHostFixture host) : IClassFixture<MailHostFixture>
{
    [Theory]
    [InlineData("text/html", "page.html", "application/octet-stream")]
    [InlineData("image/svg+xml", "logo.svg", "application/octet-stream")]
    [InlineData("application/javascript", "app.js", "application/octet-stream")]
    [InlineData("application/xhtml+xml", "page.xhtml", "application/octet-stream")]
    [InlineData("text/xml", "feed.xml", "application/octet-stream")]
    [InlineData("text/javascript", "app.mjs", "application/octet-stream")]
    [InlineData("image/png", "photo.png", "image/png")]
    [InlineData("image/jpeg", "photo.jpg", "image/jpeg")]
    [InlineData("image/gif", "anim.gif", "image/gif")]
    [InlineData("application/pdf", "doc.pdf", "application/pdf")]
    [InlineData("text/plain; charset=utf-8", "notes.txt", "text/plain; charset=utf-8")]
    public async Task AttachmentIsADownloadWithNosniffAndAnInertType(string sentType, string fileName, string servedType)
    {
        var content = Encoding.UTF8.GetBytes("<script>alert(document.cookie)</script>");
        var response = await DownloadAsync(fileName, sentType, content);

        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(servedType, response.Content.Headers.ContentType!.ToString());
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("default-src 'none'; sandbox", Assert.Single(response.Headers.GetValues("Content-Security-Policy")));
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(fileName, disposition.FileNameStar);
    }

    [Theory]
    [InlineData("evil\r\nSet-Cookie: session=stolen.html", "evil__Set-Cookie: session=stolen.html")]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("..\\..\\windows\\win.ini", "win.ini")]
    [InlineData("quote\"d.txt", "quote_d.txt")]
    [InlineData("résumé.pdf", "résumé.pdf")]
    public async Task FileNameCannotBreakTheHeaderOrNameAPath(string sentName, string servedName)
    {
        var response = await DownloadAsync(sentName, "application/octet-stream", [1, 2, 3]);

        Assert.False(response.Headers.Contains("Set-Cookie"));
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal(servedName, disposition.FileNameStar);
    }

    private async Task<HttpResponseMessage> DownloadAsync(string fileName, string contentType, byte[] content)
    {
        var (_, sender) = await ApiUsers.CreateAsync(host);
        var (to, recipient) = await ApiUsers.CreateAsync(host);
        using var _ = sender;
        await ApiUsers.SendAsync(sender, new
        {
            to = new[] { to },
            subject = "attachment",
            text = "see attached",
            attachments = new[] { new { filename = fileName, content_type = contentType, content_base64 = Convert.ToBase64String(content) } },
        });
        var id = Assert.Single(await ApiUsers.ListAsync(recipient)).GetProperty("id").GetString();
        var response = await recipient.GetAsync($"/v1/emails/{id}/attachments/0");
        response.EnsureSuccessStatusCode();
        return response;
    }
}
