using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Mail.Bench.Delivery;

/// <summary>The few calls of the mail HTTP API the benchmark makes, over one pooled connection set.</summary>
public sealed class MailApiClient : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly HttpClient _http;

    /// <summary>A client for the API at <paramref name="baseAddress"/>; <paramref name="connections"/> bounds the open connections.</summary>
    public MailApiClient(Uri baseAddress, int connections)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) };
    }

    /// <summary>POST /v1/admin/accounts; throws unless the account was created.</summary>
    public async Task CreateAccountAsync(string adminToken, string address, string password, long? quotaBytes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/admin/accounts")
        {
            Content = JsonContent.Create(new AccountRequest(address, password, quotaBytes), options: Json),
        };
        request.Headers.Add("X-Admin-Token", adminToken);
        using var response = await _http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Created) throw await FailureAsync($"creating {address}", response);
    }

    /// <summary>POST /v1/auth/token; returns the bearer token.</summary>
    public async Task<string> LoginAsync(string address, string password)
    {
        using var response = await _http.PostAsJsonAsync("/v1/auth/token", new TokenRequest(address, password), Json);
        if (response.StatusCode != HttpStatusCode.OK) throw await FailureAsync($"logging in as {address}", response);
        var token = await response.Content.ReadFromJsonAsync<TokenResponse>(Json);
        return token?.AccessToken ?? throw new InvalidOperationException($"logging in as {address}: no access_token in the answer");
    }

    /// <summary>
    /// POST /v1/send of a text message to one recipient; a success only on 201 with the recipient's status <paramref name="expected"/>
    /// (filed, or queued for a remote one). With <paramref name="idempotencyKey"/> a retry of the same send is a no-op.
    /// </summary>
    public async Task<SendOutcome> SendAsync(string token, string to, string subject, string text, string expected = "delivered", string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/send")
        {
            Content = JsonContent.Create(new SendRequest([to], subject, text), options: Json),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        try
        {
            using var response = await _http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                return SendOutcome.Failure($"{(int)response.StatusCode} {Trim(await response.Content.ReadAsStringAsync())}");
            }
            var sent = await response.Content.ReadFromJsonAsync<SendResponse>(Json);
            var recipient = sent?.Recipients.FirstOrDefault();
            return recipient?.Status == expected
                ? SendOutcome.Success
                : SendOutcome.Failure($"201 but the recipient is not {expected}: {recipient?.Status ?? "no recipient"} {recipient?.Detail}");
        }
        catch (HttpRequestException e)
        {
            return SendOutcome.Failure($"request failed: {e.Message}");
        }
        catch (TaskCanceledException)
        {
            return SendOutcome.Failure("request timed out");
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    private static async Task<InvalidOperationException> FailureAsync(string what, HttpResponseMessage response) =>
        new($"{what}: {(int)response.StatusCode} {Trim(await response.Content.ReadAsStringAsync())}");

    private static string Trim(string body) => body.Length <= 300 ? body : body[..300] + "...";

    private sealed record AccountRequest(string Address, string Password, long? QuotaBytes);

    private sealed record TokenRequest(string Username, string Password);

    private sealed record TokenResponse(string AccessToken);

    private sealed record SendRequest(IReadOnlyList<string> To, string Subject, string Text);

    private sealed record SendResponse(string Id, IReadOnlyList<RecipientResult> Recipients);

    private sealed record RecipientResult(string Address, string Status, string? Detail);
}
