using System.Collections.Concurrent;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Polling;

/// <summary>Polls a batch of sources concurrently, as many at once as <see cref="PollAdmission"/> lets this process.</summary>
public sealed partial class PollBatchRunner(SourceRefresher refresher, IFeedStore store, PollAdmission admission, IOptions<PollingOptions> options, TimeProvider time, ILogger<PollBatchRunner> logger)
{
    /// <summary>
    /// Polls every source of the batch that <paramref name="claim"/> still holds; one source's crash is recorded
    /// on it and does not stop the others. The batch first takes the claim's leases over as this host's worker,
    /// on a short lease it renews while it works; sources it gives back unpolled (a shutdown) are released at
    /// once. A source the claim no longer holds (its lease ran out and another host took it, or it was polled)
    /// is left alone: a job run again after its host was killed never polls a source twice.
    /// </summary>
    public async Task<IReadOnlyList<PollResult>> RunAsync(IReadOnlyList<long> sourceIds, string claim, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sourceIds);
        var workLease = options.Value.WorkLease;
        var worker = ThisHost.NewLeaseOwner();
        var held = await store.RenewLeasesAsync(sourceIds, time.GetUtcNow() + workLease, claim, ct, newOwner: worker).ConfigureAwait(false);
        if (held.Count < sourceIds.Count)
        {
            LogTakenElsewhere(logger, sourceIds.Count - held.Count, claim);
        }

        sourceIds = held;
        var unfinished = new ConcurrentDictionary<long, bool>(sourceIds.Select(id => KeyValuePair.Create(id, true)));
        var batch = new PollBatchStore(store, sourceIds, options.Value.RecheckPostsPerPoll);
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = RenewWhileWorkingAsync(unfinished, batch, workLease, worker, renewing.Token);
        var results = new PollResult?[sourceIds.Count];
        try
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxConcurrency, CancellationToken = ct };
            await Parallel.ForEachAsync(Enumerable.Range(0, sourceIds.Count), parallel, async (i, token) =>
            {
                using var turn = await admission.EnterAsync(token).ConfigureAwait(false);
                try
                {
                    results[i] = await refresher.RefreshAsync(sourceIds[i], batch, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    // A bug or a store failure for one source: the source shows it, its neighbours still get polled.
                    LogCrashed(logger, ex, sourceIds[i]);
                    results[i] = await refresher.RecordCrashAsync(sourceIds[i], ex, token).ConfigureAwait(false);
                }

                unfinished.TryRemove(sourceIds[i], out _);
            }).ConfigureAwait(false);
        }
        finally
        {
            // The outcomes still waiting, whatever stopped the batch.
            await FlushAsync(batch, CancellationToken.None).ConfigureAwait(false);
            await renewing.CancelAsync().ConfigureAwait(false);
            try
            {
                await renewal.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped above, as intended.
            }

            if (!unfinished.IsEmpty)
            {
                // Stopped before these were polled: free them now rather than when the lease runs out.
                await store.ReleaseLeasesAsync(unfinished.Keys.ToList(), worker, CancellationToken.None).ConfigureAwait(false);
            }
        }

        LogRan(logger, sourceIds.Count, admission.MostRunning, admission.Allowed, admission.Max);
        return results.OfType<PollResult>().ToList();
    }

    private async Task RenewWhileWorkingAsync(ConcurrentDictionary<long, bool> unfinished, PollBatchStore batch, TimeSpan workLease, string worker, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(workLease / 3, time);
        while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
        {
            // Outcomes wait at most until the next renewal: their sources' leases, no longer renewed, outlast that.
            await FlushAsync(batch, ct).ConfigureAwait(false);
            await store.RenewLeasesAsync(unfinished.Keys.ToList(), time.GetUtcNow() + workLease, worker, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Writes the outcomes waiting; a failure is logged: their sources stay leased until the lease runs out, then are polled again.</summary>
    private async Task FlushAsync(PollBatchStore batch, CancellationToken ct)
    {
        var waiting = batch.Waiting;
        try
        {
            await batch.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogOutcomesNotSaved(logger, ex, waiting);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The outcomes of {Count} poll(s) that found nothing new were not all recorded; those sources are polled again when their lease runs out")]
    private static partial void LogOutcomesNotSaved(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Polled a batch of {Count} source(s); so far at most {Most} polls ran at once in this process (allowed now {Allowed} of Polling:MaxConcurrency {Max})")]
    private static partial void LogRan(ILogger logger, int count, int most, int allowed, int max);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} source(s) of the batch claimed as {Claim} were polled or taken by another worker meanwhile: left alone")]
    private static partial void LogTakenElsewhere(ILogger logger, int count, string claim);

    [LoggerMessage(Level = LogLevel.Error, Message = "Poll of source {SourceId} crashed")]
    private static partial void LogCrashed(ILogger logger, Exception exception, long sourceId);
}
