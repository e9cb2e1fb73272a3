using System.Reflection;
using AgleaFeeds.Model;
using AgleaFeeds.Polling;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Tests.Polling;

/// <summary>
/// What a batch of polls reads and writes together: the starts a slice of sources at a time, each what its own read
/// gives; the outcomes of polls that changed nothing written together, none lost when that write fails.
/// </summary>
public sealed class PollBatchStoreTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken Ct = CancellationToken.None;

    private static async Task<IReadOnlyList<long>> AddPolledSourcesAsync(IFeedStore store, int count)
    {
        var ids = await store.AddSourcesAsync(Enumerable.Range(0, count).Select(i => new SourceDefinition($"Blog {i}", $"https://blog{i}.example/feed/")).ToList(), Now, Ct);
        foreach (var id in ids)
        {
            await store.SavePollAsync(
                new PollWrite(id, Now, [], [], [($"https://blog{id}.example/comments/feed/", new HttpValidators($"\"c-{id}\"", null))]),
                _ => new SourcePollState { SourceId = id, PolledAt = Now, NextPollAt = Now.AddHours(1), Succeeded = true, ETag = $"\"posts-{id}\"" }, Ct);
        }

        return ids;
    }

    [Fact]
    public async Task GetStartAsync_EverySourceOfTheBatch_GetsWhatItsOwnReadGives_AndOthersReadTheirOwn()
    {
        await using var db = await TempDatabase.CreateAsync("Sqlite");
        var ids = await AddPolledSourcesAsync(db.Store, 5);
        var starts = new PollBatchStore(db.Store, ids, recheckLimit: 5, sliceSize: 2);

        // Out of order, as concurrent polls ask.
        foreach (var id in ids.Reverse())
        {
            var start = await starts.GetStartAsync(id, Ct);
            Assert.Equal(id, start!.Source.Id);
            Assert.Equal($"\"posts-{id}\"", start.Source.ETag);
            Assert.Equal($"\"c-{id}\"", start.Validators[$"https://blog{id}.example/comments/feed/"].ETag);
        }

        // Asked again (a source listed twice), and a source outside the batch: read on their own, still right.
        Assert.Equal($"\"posts-{ids[0]}\"", (await starts.GetStartAsync(ids[0], Ct))!.Source.ETag);
        await db.Store.RemoveSourceAsync(ids[1], "moderator", Now, Ct);
        Assert.Null(await starts.GetStartAsync(ids[1], Ct));
        Assert.Null(await starts.GetStartAsync(ids[^1] + 1000, Ct));
    }

    [Fact]
    public async Task GetStartAsync_WhenTheSlicesReadFails_EachPollReadsItsOwnStart()
    {
        await using var db = await TempDatabase.CreateAsync("Sqlite");
        var ids = await AddPolledSourcesAsync(db.Store, 3);
        var failing = FailingSliceStore.Wrap(db.Store);
        var starts = new PollBatchStore(failing, ids, recheckLimit: 5, sliceSize: 10);

        foreach (var id in ids)
        {
            Assert.Equal($"\"posts-{id}\"", (await starts.GetStartAsync(id, Ct))!.Source.ETag);
        }

        Assert.True(FailingSliceStore.Failures(failing) >= 1);
    }

    private static SourcePollState Outcome(long id, string outcome) =>
        new() { SourceId = id, PolledAt = Now.AddHours(1), NextPollAt = Now.AddHours(2), Succeeded = true, ETag = $"\"posts-{id}\"", Outcome = outcome };

    [Fact]
    public async Task SaveOutcomeAsync_WaitsForTheBatchsOthers_AndAFullBatchOfThemIsWrittenAtOnce()
    {
        await using var db = await TempDatabase.CreateAsync("Sqlite");
        var ids = await AddPolledSourcesAsync(db.Store, PollBatchStore.MaxOutcomesTogether + 1);
        var batch = new PollBatchStore(db.Store, ids, recheckLimit: 5);

        for (var i = 0; i < PollBatchStore.MaxOutcomesTogether - 1; i++)
        {
            await batch.SaveOutcomeAsync(Outcome(ids[i], "not modified (304)"), Ct);
        }

        Assert.Null((await db.Store.GetSourceAsync(ids[0], Ct))!.LastOutcome);
        Assert.Equal(PollBatchStore.MaxOutcomesTogether - 1, batch.Waiting);
        await batch.SaveOutcomeAsync(Outcome(ids[PollBatchStore.MaxOutcomesTogether - 1], "not modified (304)"), Ct);
        Assert.Equal(0, batch.Waiting);
        await batch.SaveOutcomeAsync(Outcome(ids[^1], "last"), Ct);
        Assert.Null((await db.Store.GetSourceAsync(ids[^1], Ct))!.LastOutcome);
        await batch.FlushAsync(Ct);

        var sources = (await db.Store.ListSourcesAsync(Ct)).ToDictionary(s => s.Id);
        Assert.All(ids.SkipLast(1), id => Assert.Equal("not modified (304)", sources[id].LastOutcome));
        Assert.Equal("last", sources[ids[^1]].LastOutcome);
        Assert.All(ids, id => Assert.Equal(Now.AddHours(2), sources[id].NextPollAt));
        // Each source is free again: its outcome ended its lease.
        Assert.Equal(ids.Order(), (await db.Store.ClaimSourcesAsync(ids, Now, TimeSpan.FromMinutes(10), "next", Ct)).Order());
    }

    [Fact]
    public async Task FlushAsync_WhenWritingThemTogetherFails_WritesEachOnItsOwn()
    {
        await using var db = await TempDatabase.CreateAsync("Sqlite");
        var ids = await AddPolledSourcesAsync(db.Store, 3);
        var failing = FailingSliceStore.Wrap(db.Store);
        var batch = new PollBatchStore(failing, ids, recheckLimit: 5);
        foreach (var id in ids)
        {
            await batch.SaveOutcomeAsync(Outcome(id, $"outcome {id}"), Ct);
        }

        await batch.FlushAsync(Ct);

        Assert.Equal(1, FailingSliceStore.Failures(failing));
        foreach (var id in ids)
        {
            Assert.Equal($"outcome {id}", (await db.Store.GetSourceAsync(id, Ct))!.LastOutcome);
        }
    }

    /// <summary>The real store, except that reading several sources' starts, or writing several outcomes, at once fails, as a store can for a moment.</summary>
    public class FailingSliceStore : DispatchProxy
    {
        private IFeedStore _inner = null!;
        private int _failures;

        public static IFeedStore Wrap(IFeedStore inner)
        {
            var proxy = Create<IFeedStore, FailingSliceStore>();
            ((FailingSliceStore)(object)proxy)._inner = inner;
            return proxy;
        }

        public static int Failures(IFeedStore proxy) => ((FailingSliceStore)(object)proxy)._failures;

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IFeedStore.GetPollStartsAsync))
            {
                Interlocked.Increment(ref _failures);
                return Task.FromException<IReadOnlyDictionary<long, PollStart>>(new InvalidOperationException("the store is busy"));
            }

            if (targetMethod.Name == nameof(IFeedStore.SavePollStatesAsync))
            {
                Interlocked.Increment(ref _failures);
                return Task.FromException(new InvalidOperationException("the store is busy"));
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }
        }
    }
}
