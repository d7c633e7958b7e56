using System.Text;
using Mail.Grains.Interfaces.Delivery;
using Mail.Grains.Interfaces.Errors;
using Microsoft.Extensions.Options;

namespace Mail.Grains.Delivery.Sieve;

/// <summary>
/// The single writer of one account's Sieve scripts. Every script is compiled by <see cref="SieveCompiler"/> before it
/// is stored, so the delivery path never meets a script error; the active script is kept in memory for deliveries.
/// </summary>
public sealed class SieveScriptsGrain(SieveStore store, IOptions<SieveLimits> options) : Grain, ISieveScriptsGrain
{
    private ActiveSieveScript? _active;
    private bool _activeLoaded;

    private string AccountId => this.GetPrimaryKeyString();

    private SieveLimits Limits => options.Value;

    /// <inheritdoc />
    public Task<IReadOnlyList<SieveScriptInfo>> ListAsync() => store.ListAsync(AccountId);

    /// <inheritdoc />
    public Task<string?> GetAsync(string name) => store.GetAsync(AccountId, name);

    /// <inheritdoc />
    public Task<SieveCheckResult> CheckAsync(string content)
    {
        CheckSize(content);
        return Task.FromResult(Check(content));
    }

    /// <inheritdoc />
    public async Task<SieveCheckResult> PutAsync(string name, string content)
    {
        CheckName(name);
        CheckSize(content);
        var scripts = await store.ListAsync(AccountId);
        if (scripts.Count >= Limits.MaxScripts && scripts.All(s => s.Name != name))
        {
            throw new MailException(MailErrorCode.QuotaExceeded, $"At most {Limits.MaxScripts} scripts per account.");
        }
        var result = Check(content);
        if (!result.Ok) return result;
        await store.PutAsync(AccountId, name, content);
        if (_active?.Name == name) _active = _active with { Content = content };
        return result;
    }

    /// <inheritdoc />
    public async Task SetActiveAsync(string? name)
    {
        var target = string.IsNullOrEmpty(name) ? null : name;
        // Checked first: a SETACTIVE of an unknown name must leave the active script as it was (RFC 5804 §2.8).
        if (target is not null && await store.GetAsync(AccountId, target) is null) throw new MailException(MailErrorCode.NotFound, $"There is no script named \"{name}\".");
        _activeLoaded = false;
        if (!await store.SetActiveAsync(AccountId, target)) throw new MailException(MailErrorCode.NotFound, $"There is no script named \"{name}\".");
    }

    /// <inheritdoc />
    public async Task DeleteAsync(string name)
    {
        var script = (await store.ListAsync(AccountId)).FirstOrDefault(s => s.Name == name)
            ?? throw new MailException(MailErrorCode.NotFound, $"There is no script named \"{name}\".");
        if (script.Active) throw new MailException(MailErrorCode.Forbidden, $"\"{name}\" is the active script; deactivate it first.");
        await store.DeleteAsync(AccountId, name);
    }

    /// <inheritdoc />
    public async Task RenameAsync(string name, string newName)
    {
        CheckName(newName);
        var scripts = await store.ListAsync(AccountId);
        if (scripts.All(s => s.Name != name)) throw new MailException(MailErrorCode.NotFound, $"There is no script named \"{name}\".");
        if (scripts.Any(s => s.Name == newName)) throw new MailException(MailErrorCode.AlreadyExists, $"A script named \"{newName}\" exists.");
        await store.RenameAsync(AccountId, name, newName);
        _activeLoaded = false;
    }

    /// <inheritdoc />
    public async Task<string?> HaveSpaceAsync(string name, long size)
    {
        if (size > Limits.MaxScriptBytes) return "QUOTA/MAXSIZE";
        var scripts = await store.ListAsync(AccountId);
        return scripts.Count >= Limits.MaxScripts && scripts.All(s => s.Name != name) ? "QUOTA/MAXSCRIPTS" : null;
    }

    /// <inheritdoc />
    public async Task<ActiveSieveScript?> GetActiveAsync()
    {
        if (_activeLoaded) return _active;
        _active = await store.GetActiveAsync(AccountId);
        _activeLoaded = true;
        return _active;
    }

    /// <inheritdoc />
    public Task<bool> TryRecordVacationAsync(string handle, string sender, int days) =>
        store.TryRecordVacationAsync(AccountId, handle, sender.ToLowerInvariant(), TimeSpan.FromDays(days));

    /// <summary>Compiles a script: ok, or its first error with line and column.</summary>
    public static SieveCheckResult Check(string content)
    {
        try
        {
            SieveCompiler.Compile(content);
            return new SieveCheckResult(true);
        }
        catch (SieveException e)
        {
            return new SieveCheckResult(false, e.Message, e.Line, e.Column);
        }
    }

    private void CheckSize(string content)
    {
        var size = Encoding.UTF8.GetByteCount(content);
        if (size > Limits.MaxScriptBytes) throw new MailException(MailErrorCode.QuotaExceeded, $"The script has {size} octets; at most {Limits.MaxScriptBytes} are allowed.");
    }

    /// <summary>RFC 5804 §1.6: a name is non-empty UTF-8 without control characters or line/paragraph separators.</summary>
    private void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > Limits.MaxNameLength
            || name.Any(c => c <= 0x1F || c is >= (char)0x7F and <= (char)0x9F || c is '\u2028' or '\u2029'))
        {
            throw new MailException(MailErrorCode.Invalid, $"\"{name}\" is not a valid script name (1 to {Limits.MaxNameLength} characters, no control characters).");
        }
    }
}
