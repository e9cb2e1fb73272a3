using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Scraping;

/// <summary>
/// Politeness towards each blog: at most MaxConcurrentPerHost page requests at once to one host,
/// and at least MinDelayPerHost between the starts of two of them. One per process.
/// </summary>
public sealed class HostThrottle(IOptions<ScrapingOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, HostState> _hosts = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Waits for a slot for the URL's host; dispose the result when the request is done.</summary>
    public async Task<IDisposable> EnterAsync(Uri url, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        var o = options.Value;
        var host = _hosts.GetOrAdd(url.Authority, _ => new HostState(o.MaxConcurrentPerHost));
        await host.Gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            TimeSpan wait;
            lock (host)
            {
                var now = time.GetUtcNow();
                var slot = host.NextStart > now ? host.NextStart : now;
                host.NextStart = slot + o.MinDelayPerHost;
                wait = slot - now;
            }

            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, ct).ConfigureAwait(false);
            }

            return new Slot(host.Gate);
        }
        catch
        {
            host.Gate.Release();
            throw;
        }
    }

    private sealed class HostState(int concurrency)
    {
        public SemaphoreSlim Gate { get; } = new(concurrency, concurrency);

        public DateTimeOffset NextStart { get; set; }
    }

    private sealed class Slot(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
