using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Mail.Frontends.Http.Bulk;
using Mail.Grains.Interfaces.Bulk;

namespace Mail.Protocol.Tests.Bulk;

public class BulkRequestParserTests
{
    private const string Body = """
        {"from":"News <news@shop.test>","subject":"Hi {{name}}","text":"Hello {{name}}","html":null,"class":"marketing",
         "recipients":[{"to":"a@x.test","vars":{"name":"Ann","n":3,"ok":true,"none":null}},{"to":"b@x.test"},{"vars":{"name":"C"},"to":"c@x.test"}]}
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public async Task MembersAndRecipientsAreReadWhateverTheChunkSize(int chunk)
    {
        var (parser, recipients) = await ParseAsync(Body, chunk, batchLimit: 2);

        Assert.Equal("News <news@shop.test>", parser.From);
        Assert.Equal("Hi {{name}}", parser.Subject);
        Assert.Equal("Hello {{name}}", parser.Text);
        Assert.Null(parser.Html);
        Assert.Equal("marketing", parser.Class);
        Assert.Equal(3, parser.RecipientCount);
        Assert.Equal(["a@x.test", "b@x.test", "c@x.test"], recipients.Select(r => r.To));
        Assert.Equal("""{"name":"Ann","n":"3","ok":"true"}""", recipients[0].VarsJson);
        Assert.Null(recipients[1].VarsJson);
        Assert.Equal("""{"name":"C"}""", recipients[2].VarsJson);
    }

    [Fact]
    public async Task ABigJobIsHandedOutInBatchesAsItArrives()
    {
        var body = new StringBuilder("""{"recipients":[""");
        for (var i = 0; i < 5000; i++) body.Append(i == 0 ? "" : ",").Append($$$"""{"to":"r{{{i}}}@x.test","vars":{"i":"{{{i}}}"}}""");
        body.Append("""],"from":"a@shop.test","subject":"s","text":"t","class":"transactional"}""");
        var batches = new List<int>();

        var (parser, recipients) = await ParseAsync(body.ToString(), 1000, batchLimit: 700, onBatch: batches.Add);

        Assert.Equal(5000, recipients.Count);
        Assert.Equal("r4999@x.test", recipients[^1].To);
        Assert.All(batches, b => Assert.InRange(b, 1, 700));
        Assert.Equal("a@shop.test", parser.From);
    }

    [Theory]
    [InlineData("""[]""", "must be a JSON object")]
    [InlineData("""{"recipient":[]}""", "Unknown member \"recipient\"")]
    [InlineData("""{"subject":"a","subject":"b"}""", "appears twice")]
    [InlineData("""{"subject":3}""", "subject must be a string")]
    [InlineData("""{"recipients":{}}""", "recipients must be an array")]
    [InlineData("""{"recipients":["a@x.test"]}""", "recipients[0] must be an object")]
    [InlineData("""{"recipients":[{"to":"not an address"}]}""", "recipients[0].to 'not an address' is not an e-mail address")]
    [InlineData("""{"recipients":[{"to":"a@x.test","vars":{"a":{"b":1}}}]}""", "recipients[0].vars.a must be a string")]
    [InlineData("""{"recipients":[{"to":"a@x.test","cc":"b@x.test"}]}""", "Unknown member recipients[0].cc")]
    [InlineData("""{"recipients":[{"to":"a@x.test"},{"to":"b@x.test"},{"to":"c@x.test"}]}""", "at most 2 recipients")]
    public async Task BadBodiesAreRefusedSayingWhy(string body, string why)
    {
        var e = await Assert.ThrowsAsync<BulkRequestException>(() => ParseAsync(body, 5, batchLimit: 10, maxRecipients: 2));
        Assert.Contains(why, e.Message);
    }

    [Fact]
    public async Task MalformedJsonIsAJsonError()
    {
        await Assert.ThrowsAnyAsync<JsonException>(() => ParseAsync("""{"recipients":[{"to":"a@x.test"}""", 4, batchLimit: 10));
    }

    /// <summary>Feeds <paramref name="body"/> through a pipe in chunks, as the endpoint reads a request, collecting batches.</summary>
    private static async Task<(BulkRequestParser, List<BulkRecipient>)> ParseAsync(string body, int chunk, int batchLimit, int maxRecipients = 100_000,
        Action<int>? onBatch = null)
    {
        var pipe = new Pipe();
        var bytes = Encoding.UTF8.GetBytes(body);
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < bytes.Length; i += chunk) await pipe.Writer.WriteAsync(bytes.AsMemory(i, Math.Min(chunk, bytes.Length - i)));
            await pipe.Writer.CompleteAsync();
        });
        var parser = new BulkRequestParser(maxRecipients);
        var all = new List<BulkRecipient>();
        var batch = new List<BulkRecipient>();
        try
        {
            while (!parser.Done)
            {
                var read = await pipe.Reader.ReadAsync();
                var consumed = parser.Parse(read.Buffer, read.IsCompleted, batch, batchLimit);
                var full = batch.Count >= batchLimit;
                pipe.Reader.AdvanceTo(consumed, full ? consumed : read.Buffer.End);
                if (batch.Count > 0 && (full || parser.Done))
                {
                    onBatch?.Invoke(batch.Count);
                    all.AddRange(batch);
                    batch.Clear();
                }
                if (read.IsCompleted && !full && !parser.Done) throw new BulkRequestException("ended early");
            }
        }
        finally
        {
            await pipe.Reader.CompleteAsync();
            await writer;
        }
        return (parser, all);
    }
}
