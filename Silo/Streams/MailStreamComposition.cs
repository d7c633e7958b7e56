using Azure.Data.Tables;
using Azure.Storage.Queues;
using Mail.Grains.Interfaces;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;

namespace Mail.Silo.Streams;

/// <summary>
/// The stream provider of mailbox events (<see cref="Names.StreamProvider"/>), the same on silos and on frontend
/// clients (which subscribe to it): memory streams by default, Event Hubs or Azure Queue storage by configuration.
/// An event is a hint (consumers replay the change log after a gap), so a provider that loses events on a silo
/// crash, as the memory one does, is sound; a persistent one adds nothing to correctness and spares the replays.
/// </summary>
public static class MailStreamComposition
{
    /// <summary>Adds the provider to a silo, with the in-memory store of its subscriptions.</summary>
    public static ISiloBuilder AddMailStreams(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = Bind(configuration);
        // Subscriptions are held in memory: every consumer here is live (a hub connection, an IDLE session, an
        // indexer) and subscribes again when its feed finds it missed events, so nothing needs them after a restart.
        silo.AddMemoryGrainStorage(Names.PubSubStorage);
        var poll = TimeSpan.FromMilliseconds(Math.Max(1, options.PollMilliseconds));
        switch (Kind(options))
        {
            case StreamKind.EventHubs:
                silo.AddEventHubStreams(Names.StreamProvider, b =>
                {
                    b.ConfigureEventHub(o => o.Configure(h => h.ConfigureEventHubConnection(Required(options.ConnectionString, "ConnectionString"), options.EventHub, options.ConsumerGroup)));
                    b.UseAzureTableCheckpointer(o => o.Configure(c =>
                    {
                        c.TableServiceClient = new TableServiceClient(Required(options.CheckpointConnectionString, "CheckpointConnectionString"));
                        c.PersistInterval = TimeSpan.FromSeconds(10);
                    }));
                    b.ConfigurePullingAgent(o => o.Configure(p => p.GetQueueMsgsTimerPeriod = poll));
                });
                break;
            case StreamKind.AzureQueue:
                silo.AddAzureQueueStreams(Names.StreamProvider, b =>
                {
                    b.ConfigureAzureQueue(o => o.Configure(q => ConfigureQueues(q, options)));
                    b.ConfigurePullingAgent(o => o.Configure(p => p.GetQueueMsgsTimerPeriod = poll));
                });
                break;
            default:
                silo.AddMemoryStreams(Names.StreamProvider, b =>
                {
                    b.ConfigurePartitioning(options.Queues);
                    b.ConfigurePullingAgent(o => o.Configure(p => p.GetQueueMsgsTimerPeriod = poll));
                });
                break;
        }
        return silo;
    }

    /// <summary>Adds the provider to a cluster client (role "frontend"), so its hub and IDLE sessions can subscribe.</summary>
    public static IClientBuilder AddMailStreams(this IClientBuilder client, IConfiguration configuration)
    {
        var options = Bind(configuration);
        switch (Kind(options))
        {
            case StreamKind.EventHubs:
                client.AddEventHubStreams(Names.StreamProvider, b => b.ConfigureEventHub(o => o.Configure(h =>
                    h.ConfigureEventHubConnection(Required(options.ConnectionString, "ConnectionString"), options.EventHub, options.ConsumerGroup))));
                break;
            case StreamKind.AzureQueue:
                client.AddAzureQueueStreams(Names.StreamProvider, b => b.ConfigureAzureQueue(o => o.Configure(q => ConfigureQueues(q, options))));
                break;
            default:
                client.AddMemoryStreams(Names.StreamProvider, b => b.ConfigurePartitioning(options.Queues));
                break;
        }
        return client;
    }

    private static MailStreamOptions Bind(IConfiguration configuration)
    {
        var options = configuration.GetSection(MailStreamOptions.Section).Get<MailStreamOptions>() ?? new MailStreamOptions();
        if (options.Queues is < 1 or > 256) throw new InvalidOperationException($"{MailStreamOptions.Section}:Queues must be between 1 and 256.");
        return options;
    }

    private static StreamKind Kind(MailStreamOptions options) => options.Provider.ToLowerInvariant() switch
    {
        "memory" or "" => StreamKind.Memory,
        "eventhubs" => StreamKind.EventHubs,
        "azurequeue" => StreamKind.AzureQueue,
        _ => throw new InvalidOperationException($"{MailStreamOptions.Section}:Provider is \"{options.Provider}\"; it must be Memory, EventHubs or AzureQueue."),
    };

    private static void ConfigureQueues(AzureQueueOptions queues, MailStreamOptions options)
    {
        queues.QueueServiceClient = new QueueServiceClient(Required(options.ConnectionString, "ConnectionString"));
        queues.QueueNames = Enumerable.Range(0, options.Queues).Select(i => $"{options.QueuePrefix}-{i}").ToList();
    }

    private static string Required(string? value, string key) =>
        string.IsNullOrWhiteSpace(value) ? throw new InvalidOperationException($"{MailStreamOptions.Section}:{key} is required by this stream provider.") : value;

    private enum StreamKind
    {
        Memory,
        EventHubs,
        AzureQueue,
    }
}
