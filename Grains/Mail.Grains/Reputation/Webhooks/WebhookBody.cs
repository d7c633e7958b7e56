using System.Globalization;
using System.Text.Json;

namespace Mail.Grains.Reputation.Webhooks;

/// <summary>
/// The JSON a webhook receives: <c>{"id","event","created_at","tenant","data"}</c>. The id is the delivery's, the same on
/// every retry, so a receiver can drop a repeat; the bytes are the same on every retry too.
/// </summary>
public static class WebhookBody
{
    /// <summary>The UTF-8 body of <paramref name="delivery"/>.</summary>
    public static byte[] For(PendingDelivery delivery)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", delivery.Id.ToString(CultureInfo.InvariantCulture));
            json.WriteString("event", delivery.Event);
            json.WriteString("created_at", delivery.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            json.WriteString("tenant", delivery.TenantId);
            json.WritePropertyName("data");
            json.WriteRawValue(delivery.DataJson);
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
