using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Mail.Integration.Tests.Ops;

/// <summary>The operator console in a browser page, driven the way an operator would: typing, clicking, reading what shows.</summary>
public sealed class OpsConsolePage(BrowserPage browser)
{
    /// <summary>The page.</summary>
    public IPage Page => browser.Page;

    /// <summary>What went wrong in the page (CSP violations and uncaught exceptions among them).</summary>
    public IReadOnlyList<string> Errors => browser.Errors;

    /// <summary>Opens /ops and logs in with <paramref name="token"/>.</summary>
    public async Task OpenAndLogInAsync(string token)
    {
        await Page.GotoAsync("/ops");
        await LogInAsync(token);
    }

    /// <summary>Types <paramref name="token"/> into the login form and submits it.</summary>
    public async Task LogInAsync(string token)
    {
        await Page.FillAsync("#token", token);
        await Page.ClickAsync("#login-form button[type=submit]");
    }

    /// <summary>Clicks an IP in the pools panel and waits until the IP panel shows it.</summary>
    public async Task SelectIpAsync(string ip)
    {
        await Page.ClickAsync($"#pools button[data-ip='{ip}']");
        await Expect(Page.Locator("#ip-name")).ToHaveTextAsync(ip);
    }

    /// <summary>Waits until the selected IP's state badge reads <paramref name="state"/> (the page updates itself).</summary>
    public Task ExpectIpStateAsync(string state) => Expect(Page.Locator("#ip-state")).ToHaveTextAsync(state);

    /// <summary>What the Chart.js chart on canvas <paramref name="canvasId"/> holds (null before it exists), read from the Chart instance.</summary>
    public async Task<ChartSnapshot?> ChartAsync(string canvasId)
    {
        var json = await Page.EvaluateAsync<string?>(
            """
            id => {
              const chart = Chart.getChart(id);
              if (!chart) return null;
              return JSON.stringify({
                labels: chart.data.labels,
                datasets: chart.data.datasets.map((d, i) => ({ label: d.label, data: d.data, drawn: chart.getDatasetMeta(i).data.length })),
              });
            }
            """, canvasId);
        return json is null ? null : JsonSerializer.Deserialize<ChartSnapshot>(json, JsonOptions);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };
}

/// <summary>A chart's labels and datasets as Chart.js holds them; <see cref="ChartSeries.Drawn"/> counts the elements it laid out.</summary>
public sealed record ChartSnapshot(string[] Labels, ChartSeries[] Datasets)
{
    /// <summary>The dataset labelled <paramref name="label"/>.</summary>
    public ChartSeries Series(string label) => Datasets.Single(d => d.Label == label);
}

/// <summary>One dataset of a chart.</summary>
public sealed record ChartSeries(string Label, double?[] Data, int Drawn);
