using System.Diagnostics;
using System.Globalization;
using AgleaFeeds.Polling;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AgleaFeeds.Benchmarks;

/// <summary>
/// Polls every source of a store again and again inside one process, as the running service's recurring job does
/// (the pipeline's own services, its store, its fetcher), where <c>poll-once</c> pays a process start each time.
/// Run after the polling benchmark's polls, every feed answers 304. Fetches only 127.0.0.0/8.
/// </summary>
public static class ServicePollBenchmark
{
    public static async Task<int> RunAsync(string dataDirectory, int rounds)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = dataDirectory,
            ["Fetching:AllowedNetworks:0"] = "127.0.0.0/8",
        }).Build();
        await using var services = new ServiceCollection().AddLogging().AddAgleaFeedsPipeline(configuration).BuildServiceProvider();
        var store = services.GetRequiredService<IFeedStore>();
        await store.MigrateAsync(CancellationToken.None);
        var ids = await store.ListSourceIdsAsync(CancellationToken.None);
        var runner = services.GetRequiredService<PollBatchRunner>();
        var times = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var claimed = await store.ClaimSourcesAsync(ids, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(10), "benchmark", CancellationToken.None);
            var results = await runner.RunAsync(claimed, "benchmark", CancellationToken.None);
            var seconds = clock.Elapsed.TotalSeconds;
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            times.Add(seconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"in-process poll {round} of {ids.Count} sources: {seconds:0.000} s, {cpu.TotalSeconds:0.00} s CPU; {results.Count(r => r.NotModified && r.NewComments == 0)} all 304, {results.Count(r => r.Error is not null)} errors"));
        }

        var warm = times.Skip(1).Order().ToList();
        if (warm.Count > 0)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in-process poll, median of polls 2-{rounds}: {warm[warm.Count / 2]:0.000} s"));
        }

        return 0;
    }
}
