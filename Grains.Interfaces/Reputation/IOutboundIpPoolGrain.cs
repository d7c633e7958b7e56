namespace Mail.Grains.Interfaces.Reputation;

/// <summary>
/// One pool of outbound source IPs (keyed by pool name, as configured under Mail:Reputation:Pools): owns each IP's state
/// (paused, warm-up day, automation overrides) and the messages each IP was granted per receiving provider this hour
/// and day, so every warm-up cap and message rate holds cluster-wide. Mail assigned to a pool only ever leaves from
/// that pool's IPs.
/// </summary>
[Alias("mail.IOutboundIpPoolGrain")]
public interface IOutboundIpPoolGrain : IGrainWithStringKey
{
    /// <summary>
    /// Grants each request (in order) source-IP slots: shares on IPs with room for its provider, warming IPs first,
    /// never an IP of another pool. What it cannot grant now gets the time to ask again and why. Durable before it answers.
    /// </summary>
    Task<IReadOnlyList<SlotGrant>> ReserveAsync(IReadOnlyList<SlotRequest> requests);

    /// <summary>Gives back slots that were granted but not used (a destination had no room for the job).</summary>
    Task ReturnAsync(IReadOnlyList<SlotReturn> returns);

    /// <summary>The pool, its schedule and every IP with its caps and use per provider.</summary>
    Task<PoolView> GetAsync();

    /// <summary>One IP of this pool; null when the pool does not hold it.</summary>
    Task<IpView?> GetIpAsync(string ip);

    /// <summary>Stops sending from an IP until it is resumed (NotFound when the pool does not hold it).</summary>
    Task<IpView> PauseIpAsync(string ip, string reason);

    /// <summary>Sends from a paused IP again and drops the automation overrides on it; held mail of the pool is due at once.</summary>
    Task<IpView> ResumeIpAsync(string ip);

    /// <summary>Sets an IP's warm-up day (1 = first day); null makes it warmed (full volume, no caps).</summary>
    Task<IpView> SetWarmupDayAsync(string ip, int? day);

    /// <summary>Replaces the pool's warm-up schedule; null goes back to the configured one.</summary>
    Task<PoolView> SetScheduleAsync(WarmupScheduleSpec? schedule);

    /// <summary>Moves an IP of this pool to another configured pool, with its warm-up state and this hour's use.</summary>
    Task<IpView> MoveIpAsync(string ip, string pool);

    /// <summary>Takes over an IP another pool moved here (its row already names this pool).</summary>
    Task<IpView> AdoptIpAsync(string ip);

    /// <summary>Counts replies that matched automation rules and applies a rule's action once it reaches its threshold.</summary>
    Task ReportAsync(IReadOnlyList<ReplyMatch> matches);
}
