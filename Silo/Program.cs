namespace Mail.Silo;

/// <summary>Entry point: `dotnet Mail.Silo.dll [--role all|frontend]`, or a key verb (<see cref="KeyCommand"/>).</summary>
public static class Program
{
    /// <summary>Runs the host until SIGINT/SIGTERM, then stops the silo cleanly; or runs a key verb and exits with its code.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (KeyCommand.IsKeyCommand(args)) return await KeyCommand.RunAsync(args, Console.Out, Console.Error);
        var app = await MailHost.CreateAsync(args);
        await app.RunAsync();
        return 0;
    }
}
