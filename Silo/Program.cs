namespace Mail.Silo;

/// <summary>Entry point: `dotnet Mail.Silo.dll [--role all|frontend]`.</summary>
public static class Program
{
    /// <summary>Runs the host until SIGINT/SIGTERM, then stops the silo cleanly.</summary>
    public static async Task Main(string[] args)
    {
        var app = await MailHost.CreateAsync(args);
        await app.RunAsync();
    }
}
