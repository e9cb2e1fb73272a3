using System.Reflection;
using AgleaFeeds.Model;
using AgleaFeeds.Polling;
using AgleaFeeds.Storage;

namespace AgleaFeeds.Tests.Polling;

/// <summary>The reads a batch of polls starts from: a slice of sources at a time, each source's start what its own read gives.</summary>
public sealed class PollStartsTests
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
    public async Task GetAsync_EverySourceOfTheBatch_GetsWhatItsOwnReadGives_AndOthersReadTheirOwn()
    {
        await using var db = await TempDatabase.CreateAsync("Sqlite");
        var ids = await AddPolledSourcesAsync(db.Store, 5);
        var starts = new PollStarts(db.Store, ids, recheckLimit: 5, sliceSize: 2);

        // Out of order, as concurrent polls ask.
        foreach (var id in ids.Reverse())
        {
            var start = await starts.GetAsync(id, Ct);
            Assert.Equal(id, start!.Source.Id);
            Assert.Equal($"\"posts-{id}\"", start.Source.ETag);
            Assert.Equal($"\"c-{id}\"", start.Validators[$"https://blog{id}.example/comments/feed/"].ETag);
        }

        // Asked again (a source listed twice), and a source outside the batch: read on their own, still right.
        Assert.Equal($"\"posts-{ids[0]}\"", (await starts.GetAsync(ids[0], Ct))!.Source.ETag);
        await db.Store.RemoveSourceAsync(ids[1], "moderator", Now, Ct);
        Assert.Null(await starts.GetAsync(ids[1], Ct));
        Assert.Null(await starts.GetAsync(ids[^1] + 1000, Ct));
    }

    [Fact]
    public async Task GetAsync_WhenTheSlicesReadFails_EachPollReadsItsOwnStart()
    {
        await using var db = await TempDatabase.CreateAsync("Sqlite");
        var ids = await AddPolledSourcesAsync(db.Store, 3);
        var failing = FailingSliceStore.Wrap(db.Store);
        var starts = new PollStarts(failing, ids, recheckLimit: 5, sliceSize: 10);

        foreach (var id in ids)
        {
            Assert.Equal($"\"posts-{id}\"", (await starts.GetAsync(id, Ct))!.Source.ETag);
        }

        Assert.True(FailingSliceStore.Failures(failing) >= 1);
    }

    /// <summary>The real store, except that reading several sources' starts at once fails, as a store can for a moment.</summary>
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
