namespace Mail.Frontends.Http.Push;

/// <summary>Limits of the push hub (/v1/hub), bound from "Mail:Push".</summary>
public sealed class PushOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:Push";

    /// <summary>Most changes one <c>Resync</c> call returns; the client calls again from the answer's MODSEQ while <c>more</c>.</summary>
    public int MaxResyncChanges { get; set; } = 5000;

    /// <summary>Most hub connections one frontend accepts (each holds a socket and a share of its account's feed).</summary>
    public int MaxConnections { get; set; } = 20000;
}
