using AgleaFeeds.Storage;
using Microsoft.Extensions.Logging;

namespace AgleaFeeds.Scoring;

/// <summary>
/// This blog's model, rebuilt from the moderators' decisions when one was taken since the last build
/// (or the model in use changed), so that a decision counts from the next scoring run.
/// </summary>
public sealed partial class BlogModelProvider(IFeedStore store, SpamModelProvider models, ILogger<BlogModelProvider> logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private (long Stamp, string Version, BlogModel? Model)? _built;

    /// <summary>Gets why the last build failed (the shipped model alone is used meanwhile), or null.</summary>
    public string? Error { get; private set; }

    /// <summary>Gets the blog's model, or null while there are too few decisions (<see cref="BlogModel.MinLabels"/>) or no model in use.</summary>
    public async Task<BlogModel?> GetAsync(CancellationToken ct)
    {
        if (models.Model is not { } shipped)
        {
            return null;
        }

        var stamp = await store.ModeratorDecisionsStampAsync(ct).ConfigureAwait(false);
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (_built is { } built && built.Stamp == stamp && built.Version == models.Version)
            {
                return built.Model;
            }

            var labels = await store.ListModeratorLabelsAsync(ct).ConfigureAwait(false);
            BlogModel? model = null;
            try
            {
                model = BlogModel.Train(shipped, labels.Select(l => l.Label).ToList());
                Error = null;
                LogBuilt(logger, labels.Count, model is not null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A failed build never stops scoring: the model in use decides alone, and the Model page says why.
                Error = $"Scoring: this blog's model could not be built from {labels.Count} decisions: {ex.Message}";
                LogFailed(logger, Error, ex);
            }

            _built = (stamp, models.Version, model);
            return model;
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Error}")]
    private static partial void LogFailed(ILogger logger, string error, Exception ex);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Scoring: this blog's model rebuilt from {Labels} moderator decision(s); in use: {InUse}.")]
    private static partial void LogBuilt(ILogger logger, int labels, bool inUse);
}
