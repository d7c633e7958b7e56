using System.Reflection;
using Orleans.Concurrency;

namespace Mail.Silo.Cluster;

/// <summary>
/// Gives the grain calls of a frontend-only process that may be sent twice a deadline per attempt, and sends them again
/// when it passes or the cluster fails them: reads (the methods a grain marks <see cref="ReadOnlyAttribute"/>) and the
/// calls idempotent by an id they carry (<see cref="IdempotentCallRetry.Methods"/>). Such a process reaches grains through a
/// gateway silo, and a request to a silo that is then killed, directly or forwarded by the gateway, is answered by
/// nobody: silos fail their own calls to a dead silo as soon as membership declares it dead, but a client's call waits
/// out Orleans' response timeout (30 s). So the attempt is abandoned after
/// <see cref="Configuration.ClusterSettings.CallAttemptTimeoutSeconds"/> and the call sent again, up to 4 more times
/// over 3.75 s of pauses; by then membership has declared the silo dead and the grain lives on a surviving one.
/// </summary>
public sealed class DeadlineRetry(ILogger<DeadlineRetry> logger, DeadlineRetry.Settings settings) : IOutgoingGrainCallFilter
{
    /// <summary>How long one attempt waits for its answer, and which interface methods may be sent again.</summary>
    public sealed record Settings(TimeSpan AttemptTimeout, IReadOnlySet<MethodInfo> Resendable);

    private readonly TimeSpan _attemptTimeout = settings.AttemptTimeout;

    private static readonly TimeSpan[] Pauses =
        [TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)];

    // A retry goes through the filter pipeline again; it must not start retries of its own.
    private static readonly AsyncLocal<bool> Retrying = new();

    /// <inheritdoc />
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (Retrying.Value || context.InterfaceMethod is not { } method || !settings.Resendable.Contains(method))
        {
            await context.Invoke();
            return;
        }
        var arguments = Enumerable.Range(0, context.Request.GetArgumentCount()).Select(context.Request.GetArgument).ToArray();
        Retrying.Value = true;
        for (var attempt = 0; ; attempt++)
        {
            var call = attempt == 0 ? context.Invoke() : (Task)method.Invoke(context.Grain, arguments)!;
            try
            {
                if (await Task.WhenAny(call, Task.Delay(_attemptTimeout)) != call)
                {
                    // Abandoned: whatever it ends with is nobody's answer any more.
                    _ = call.ContinueWith(static t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                    throw new TimeoutException($"{method.Name} had no answer within {_attemptTimeout}");
                }
                await call;
                if (attempt > 0) context.Result = method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<object>.Result))!.GetValue(call) : null;
                return;
            }
            catch (Exception e) when (attempt < Pauses.Length && IdempotentCallRetry.IsClusterFailure(e))
            {
                logger.LogInformation("{Method} on {Grain}: attempt {Attempt} failed ({Reason}); sending it again",
                    method.Name, context.TargetId, attempt + 1, e.GetType().Name);
            }
            await Task.Delay(Pauses[attempt]);
        }
    }

    /// <summary>The interface methods whose implementation in <paramref name="grains"/> is marked read-only and returns a task.</summary>
    public static IReadOnlySet<MethodInfo> FindReadMethods(Assembly grains)
    {
        var reads = new HashSet<MethodInfo>();
        foreach (var type in grains.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IGrain).IsAssignableFrom(t)))
        {
            foreach (var contract in type.GetInterfaces().Where(i => typeof(IGrain).IsAssignableFrom(i)))
            {
                var map = type.GetInterfaceMap(contract);
                for (var i = 0; i < map.InterfaceMethods.Length; i++)
                {
                    if (map.TargetMethods[i].GetCustomAttribute<ReadOnlyAttribute>() is not null && typeof(Task).IsAssignableFrom(map.InterfaceMethods[i].ReturnType))
                    {
                        reads.Add(map.InterfaceMethods[i]);
                    }
                }
            }
        }
        return reads;
    }
}
