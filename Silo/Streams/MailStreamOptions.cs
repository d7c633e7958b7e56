namespace Mail.Silo.Streams;

/// <summary>Which Orleans stream provider carries mailbox events, bound from "Mail:Streams" (README, Events and push).</summary>
public sealed class MailStreamOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Mail:Streams";

    /// <summary>"Memory" (the embedded default), "EventHubs" or "AzureQueue".</summary>
    public string Provider { get; set; } = "Memory";

    /// <summary>Queues (partitions) events are spread over; each is read by one pulling agent. Event Hubs uses its hub's partitions instead.</summary>
    public int Queues { get; set; } = 4;

    /// <summary>How often an idle pulling agent reads its queue: the floor of an event's latency, and the cost of idling.</summary>
    public int PollMilliseconds { get; set; } = 20;

    /// <summary>AzureQueue: the storage account's connection string. EventHubs: the Event Hubs namespace's connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>AzureQueue: prefix of the queue names (a queue per partition, "prefix-0", "prefix-1", ...).</summary>
    public string QueuePrefix { get; set; } = "mail-events";

    /// <summary>EventHubs: the event hub's name.</summary>
    public string EventHub { get; set; } = "mail-events";

    /// <summary>EventHubs: the consumer group the silos read with.</summary>
    public string ConsumerGroup { get; set; } = "$Default";

    /// <summary>EventHubs: the storage account (Azure Tables) where the silos checkpoint their position in each partition.</summary>
    public string? CheckpointConnectionString { get; set; }
}
