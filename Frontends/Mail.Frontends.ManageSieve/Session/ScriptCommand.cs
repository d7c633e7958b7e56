using Mail.Frontends.ManageSieve.Protocol;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Errors;

namespace Mail.Frontends.ManageSieve.Session;

/// <summary>What the script commands share: argument count checks, and grain refusals as RFC 5804 §1.3 response codes.</summary>
public static class ScriptCommand
{
    /// <summary>True when the command has exactly <paramref name="count"/> arguments; otherwise answers NO with the syntax.</summary>
    public static bool Arguments(ManageSieveSession session, ManageSieveCommand command, int count, string syntax)
    {
        if (command.Arguments.Count == count) return true;
        session.Write(ManageSieveResponse.No($"syntax: {syntax}"));
        return false;
    }

    /// <summary>Runs a grain call and answers OK, or NO with the response code of its refusal.</summary>
    public static async Task RunAsync(ManageSieveSession session, Func<Task> call, string done)
    {
        try
        {
            await call();
            session.Write(ManageSieveResponse.Ok(done));
        }
        catch (MailException e)
        {
            session.Write(Refusal(e));
        }
    }

    /// <summary>NO with NONEXISTENT, ALREADYEXISTS, ACTIVE or QUOTA (RFC 5804 §1.3) for a grain's refusal.</summary>
    public static string Refusal(MailException e) => e.Code switch
    {
        MailErrorCode.NotFound => ManageSieveResponse.No(e.Message, "NONEXISTENT"),
        MailErrorCode.AlreadyExists => ManageSieveResponse.No(e.Message, "ALREADYEXISTS"),
        MailErrorCode.Forbidden => ManageSieveResponse.No(e.Message, "ACTIVE"),
        MailErrorCode.QuotaExceeded => ManageSieveResponse.No(e.Message, "QUOTA"),
        _ => ManageSieveResponse.No(e.Message),
    };

    /// <summary>The NO of a script that does not compile: the error with its line and column.</summary>
    public static string Invalid(SieveCheckResult result) => ManageSieveResponse.No(result.Error ?? "invalid script");
}
