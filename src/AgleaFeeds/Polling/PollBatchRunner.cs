using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Polling;

/// <summary>Polls a batch of sources concurrently, at most PollingOptions.MaxConcurrency at once in this process.</summary>
public sealed partial class PollBatchRunner(SourceRefresher refresher, IOptions<PollingOptions> options, ILogger<PollBatchRunner> logger)
{
    /// <summary>Polls every source in the batch; one source's crash is recorded on it and does not stop the others.</summary>
    public async Task<IReadOnlyList<PollResult>> RunAsync(IReadOnlyList<long> sourceIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        var results = new PollResult?[sourceIds.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = ct };
        await Parallel.ForEachAsync(Enumerable.Range(0, sourceIds.Count), parallel, async (i, token) =>
        {
            try
            {
                results[i] = await refresher.RefreshAsync(sourceIds[i], token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                // A bug or a store failure for one source: the source shows it, its neighbours still get polled.
                LogCrashed(logger, ex, sourceIds[i]);
                results[i] = await refresher.RecordCrashAsync(sourceIds[i], ex, token).ConfigureAwait(false);
            }
        }).ConfigureAwait(false);
        return results.OfType<PollResult>().ToList();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Poll of source {SourceId} crashed")]
    private static partial void LogCrashed(ILogger logger, Exception exception, long sourceId);
}
