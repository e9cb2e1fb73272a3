using AgleaFeeds.Storage;
using Prometheus;

namespace AgleaFeeds.Observability;

/// <summary>
/// The pipeline's Prometheus metrics, on a registry of this process's own (not prometheus-net's
/// static default): polls and scrapes by outcome, scoring time, and, read from the store when
/// scraped, comments by status and sources in error.
/// </summary>
public sealed class PipelineMetrics
{
    private readonly Counter _polls;
    private readonly Counter _scrapes;
    private readonly Histogram _scoring;
    private readonly Counter _verdicts;

    public PipelineMetrics(IFeedStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _polls = factory.CreateCounter("agleafeeds_polls_total", "Polls of a source's feeds, by outcome.", "outcome");
        _scrapes = factory.CreateCounter("agleafeeds_scrapes_total", "Scrapes of a post page, by outcome.", "outcome");
        _scoring = factory.CreateHistogram("agleafeeds_scoring_batch_seconds", "Time to score one batch of comments (model and rules).", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.005, 2, 12) });
        _verdicts = factory.CreateCounter("agleafeeds_verdicts_total", "Verdicts given by scoring, by status.", "status");
        var comments = factory.CreateGauge("agleafeeds_comments", "Comments in the store, by status.", "status");
        var failing = factory.CreateGauge("agleafeeds_sources_failing", "Sources whose last poll failed.");
        var sources = factory.CreateGauge("agleafeeds_sources", "Sources in the store.");
        Registry.AddBeforeCollectCallback(async ct =>
        {
            foreach (var (status, count) in await store.CountCommentsByStatusAsync(ct).ConfigureAwait(false))
            {
                comments.WithLabels(status.ToString().ToLowerInvariant()).Set(count);
            }

            var all = await store.ListSourcesAsync(ct).ConfigureAwait(false);
            sources.Set(all.Count);
            failing.Set(all.Count(s => s.ErrorCount > 0));
        });
    }

    /// <summary>Gets the registry the /metrics endpoint exports.</summary>
    public CollectorRegistry Registry { get; }

    public void Polled(string outcome) => _polls.WithLabels(outcome).Inc();

    public void Scraped(string outcome) => _scrapes.WithLabels(outcome).Inc();

    public void Scored(TimeSpan batch, IEnumerable<KeyValuePair<Model.CommentStatus, int>> verdicts)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        _scoring.Observe(batch.TotalSeconds);
        foreach (var (status, count) in verdicts)
        {
            _verdicts.WithLabels(status.ToString().ToLowerInvariant()).Inc(count);
        }
    }
}
