using System.Globalization;
using System.Net.Http.Headers;

namespace Mail.Bench.Chaos;

/// <summary>
/// Grain activations per silo, read from each silo's /metrics (Orleans' <c>orleans_catalog_activations</c>), to show that
/// a silo restarted under load takes activations again.
/// </summary>
public static class ChaosActivations
{
    /// <summary>Each silo's activation count; -1 when its /metrics did not answer.</summary>
    public static async Task<IReadOnlyList<(string Silo, long Activations)>> ReadAsync(IReadOnlyList<ChaosFrontend> processes, string adminToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
        var counts = new List<(string, long)>();
        foreach (var silo in processes.Where(p => p.Role == "silo"))
        {
            try
            {
                var text = await http.GetStringAsync($"http://127.0.0.1:{silo.Http}/metrics");
                counts.Add((silo.Name, text.Split('\n')
                    .Where(l => l.StartsWith("orleans_catalog_activations", StringComparison.Ordinal))
                    .Sum(l => (long)double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture))));
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException)
            {
                counts.Add((silo.Name, -1));
            }
        }
        return counts;
    }
}
