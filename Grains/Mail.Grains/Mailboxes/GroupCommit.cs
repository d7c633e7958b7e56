using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Mail.Grains.Mailboxes;

/// <summary>
/// Group commit of mailbox writes: writes that mailbox grains of this silo issue at the same moment share one
/// PostgreSQL transaction, so one WAL flush makes all of them durable. Each caller gets its answer only after that
/// commit. A write is the batch of statements it would have run alone (its fencing check first); when a shared
/// transaction fails, nothing of it committed, and each of its writes runs again alone, so one fenced or failing
/// write answers its own caller and costs the others only a retry.
/// </summary>
/// <remarks>
/// Order is kept where it matters: a mailbox grain awaits each write before it builds the next, so writes of one
/// mailbox never share or reorder a transaction; writes of different mailboxes touch disjoint rows.
/// </remarks>
public sealed class GroupCommit : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommitOptions _options;
    private readonly ILogger<GroupCommit> _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writers;
    private long _transactions;
    private long _writes;

    /// <summary>Starts the writer loops.</summary>
    public GroupCommit(NpgsqlDataSource dataSource, IOptions<GroupCommitOptions> options, ILogger<GroupCommit> logger)
    {
        _dataSource = dataSource;
        _options = options.Value;
        _logger = logger;
        _writers = _options.Enabled
            ? Enumerable.Range(0, Math.Max(1, _options.Writers)).Select(_ => Task.Run(WriteLoopAsync)).ToArray()
            : [];
    }

    /// <summary>Transactions committed (or tried) and writes they carried, since start: writes / transactions is the batching factor.</summary>
    public (long Transactions, long Writes) Counters => (Interlocked.Read(ref _transactions), Interlocked.Read(ref _writes));

    /// <summary>
    /// Runs <paramref name="commands"/> atomically, in a transaction it may share with other writes, and returns the
    /// first column of the first row of the command at <paramref name="resultIndex"/> (null when it is -1).
    /// </summary>
    public Task<object?> ExecuteAsync(IReadOnlyList<NpgsqlBatchCommand> commands, int resultIndex = -1)
    {
        var write = new PendingWrite(commands, resultIndex);
        if (!_options.Enabled || !_queue.Writer.TryWrite(write)) return RunAloneAsync(write);
        return write.Done.Task;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            var statements = 0;
            while (batch.Count < _options.MaxWrites && statements < _options.MaxStatements && _queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
                statements += write.Commands.Count;
            }
            if (batch.Count == 0) continue;
            Interlocked.Increment(ref _transactions);
            Interlocked.Add(ref _writes, batch.Count);
            if (batch.Count == 1)
            {
                await CompleteAloneAsync(batch[0]);
                continue;
            }
            try
            {
                var results = await RunTogetherAsync(batch);
                for (var i = 0; i < batch.Count; i++) batch[i].Done.TrySetResult(results[i]);
            }
            catch (PostgresException e)
            {
                // The server refused a statement, so nothing of the shared transaction committed (an implicit
                // transaction is all or nothing): each write runs alone, and the one that failed fails its caller only.
                _logger.LogDebug(e, "A shared transaction of {Writes} mailbox writes failed; running them one by one", batch.Count);
                foreach (var write in batch) await CompleteAloneAsync(write);
            }
            catch (Exception e)
            {
                // The connection failed: whether the transaction committed is unknown, so no write is run again here;
                // each caller gets the failure it would have had alone (the grain's retry rules apply).
                foreach (var write in batch) write.Done.TrySetException(e);
            }
        }
    }

    private async Task CompleteAloneAsync(PendingWrite write)
    {
        try
        {
            write.Done.TrySetResult(await RunAloneAsync(write));
        }
        catch (Exception e)
        {
            write.Done.TrySetException(e);
        }
    }

    private async Task<object?> RunAloneAsync(PendingWrite write)
    {
        await using var batch = _dataSource.CreateBatch();
        foreach (var command in write.Commands) batch.BatchCommands.Add(command);
        if (write.ResultIndex < 0)
        {
            await batch.ExecuteNonQueryAsync();
            return null;
        }
        await using var reader = await batch.ExecuteReaderAsync();
        return await ReadResultsAsync(reader, [write]) is var results ? results[0] : null;
    }

    private async Task<object?[]> RunTogetherAsync(List<PendingWrite> writes)
    {
        await using var batch = _dataSource.CreateBatch();
        foreach (var write in writes)
        {
            // Copies: a command whose parameters were bound by a failed batch cannot run again, and the originals may
            // have to, one by one.
            foreach (var command in write.Commands) batch.BatchCommands.Add(Copy(command));
        }
        await using var reader = await batch.ExecuteReaderAsync();
        return await ReadResultsAsync(reader, writes);
    }

    /// <summary>
    /// Reads every result set of a batch and keeps, for each write, the value of its result command, told apart from
    /// the other result sets by its column name, <see cref="ResultColumn"/>.
    /// </summary>
    private static async Task<object?[]> ReadResultsAsync(NpgsqlDataReader reader, IReadOnlyList<PendingWrite> writes)
    {
        var results = new object?[writes.Count];
        var index = 0;
        do
        {
            if (reader.FieldCount == 0 || reader.GetName(0) != ResultColumn) continue;
            // Result commands come in write order: the n-th named result belongs to the n-th write that has one.
            while (index < writes.Count && writes[index].ResultIndex < 0) index++;
            if (index == writes.Count) break;
            results[index++] = await reader.ReadAsync() && !reader.IsDBNull(0) ? reader.GetValue(0) : null;
        } while (await reader.NextResultAsync());
        return results;
    }

    private static NpgsqlBatchCommand Copy(NpgsqlBatchCommand command)
    {
        var copy = new NpgsqlBatchCommand(command.CommandText);
        foreach (NpgsqlParameter parameter in command.Parameters) copy.Parameters.Add(parameter.Clone());
        return copy;
    }

    /// <summary>The column name a write's result command must give its value ("SELECT f(...) AS result").</summary>
    public const string ResultColumn = "result";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private sealed record PendingWrite(IReadOnlyList<NpgsqlBatchCommand> Commands, int ResultIndex)
    {
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
