using System.Collections.Concurrent;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Polling;

/// <summary>
/// What the polls of one batch read before they fetch (<see cref="PollStart"/>), read from the store a slice of the
/// batch at a time, as the polls reach it, rather than one read per poll. A poll where every feed answers 304 is
/// mostly its store round trips, and on SQLite each poll's write empties the other connections' page caches, which
/// a read per poll then refilled: 1,000 such polls in one process went from 0.55-0.61 s to 0.42-0.52 s. A start is
/// read at most a slice's polls before it is used, as a poll's own read always was before its write. A source's
/// start is handed out once and then let go. Where the slice's read fails, each of its polls reads its own, so one
/// source's failure stays that source's.
/// </summary>
public sealed class PollStarts
{
    private readonly IFeedStore _store;
    private readonly IReadOnlyList<long> _ids;
    private readonly Dictionary<long, int> _slices;
    private readonly int _recheckLimit;
    private readonly int _sliceSize;
    private readonly ConcurrentDictionary<int, Lazy<Task<ConcurrentDictionary<long, PollStart>>>> _read = new();

    /// <param name="store">The store to read from.</param>
    /// <param name="ids">The batch's sources, in the order its polls start.</param>
    /// <param name="recheckLimit">How many older posts each poll checks again (<see cref="PollingOptions.RecheckPostsPerPoll"/>).</param>
    /// <param name="sliceSize">How many sources one read covers.</param>
    public PollStarts(IFeedStore store, IReadOnlyList<long> ids, int recheckLimit, int sliceSize = 50)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfLessThan(sliceSize, 1);
        _store = store ?? throw new ArgumentNullException(nameof(store));
        _ids = ids;
        _recheckLimit = recheckLimit;
        _sliceSize = sliceSize;
        _slices = new Dictionary<long, int>(ids.Count);
        for (var i = 0; i < ids.Count; i++)
        {
            _slices.TryAdd(ids[i], i / sliceSize);
        }
    }

    /// <summary>The start of one source's poll; null when the source does not exist (or is not in the batch and does not exist).</summary>
    public async Task<PollStart?> GetAsync(long sourceId, CancellationToken ct)
    {
        if (!_slices.TryGetValue(sourceId, out var slice))
        {
            return await _store.GetPollStartAsync(sourceId, _recheckLimit, ct).ConfigureAwait(false);
        }

        var read = _read.GetOrAdd(slice, s => new Lazy<Task<ConcurrentDictionary<long, PollStart>>>(() => ReadSliceAsync(s, ct)));
        ConcurrentDictionary<long, PollStart> starts;
        try
        {
            starts = await read.Value.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The slice's read failed (the store, for a moment): this poll reads its own start and fails on its own if it must.
            return await _store.GetPollStartAsync(sourceId, _recheckLimit, ct).ConfigureAwait(false);
        }

        // Handed out once: a start is read for one poll. A source listed twice in the batch reads its own the second time.
        return starts.TryRemove(sourceId, out var start) ? start
            : await _store.GetPollStartAsync(sourceId, _recheckLimit, ct).ConfigureAwait(false);
    }

    private async Task<ConcurrentDictionary<long, PollStart>> ReadSliceAsync(int slice, CancellationToken ct)
    {
        var ids = _ids.Skip(slice * _sliceSize).Take(_sliceSize).ToList();
        return new ConcurrentDictionary<long, PollStart>(await _store.GetPollStartsAsync(ids, _recheckLimit, ct).ConfigureAwait(false));
    }
}
