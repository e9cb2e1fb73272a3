using AgleaFeeds.Scraping;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace AgleaFeeds.Host.Tests.Scraping;

public class HostThrottleTests
{
    private static readonly Uri Blog = new("https://blog.example/a/");

    private static (HostThrottle Throttle, FakeTimeProvider Time) CreateSut(int concurrent = 2, int delaySeconds = 1)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 12, 0, 0, TimeSpan.Zero));
        var options = Options.Create(new ScrapingOptions { MaxConcurrentPerHost = concurrent, MinDelayPerHost = TimeSpan.FromSeconds(delaySeconds) });
        return (new HostThrottle(options, time), time);
    }

    [Fact]
    public async Task EnterAsync_SecondRequestToTheSameHost_WaitsTheMinimumDelay()
    {
        var (throttle, time) = CreateSut();
        using var first = await throttle.EnterAsync(Blog, CancellationToken.None);

        var second = throttle.EnterAsync(new Uri("https://blog.example/b/"), CancellationToken.None);
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        using var slot = await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task EnterAsync_OtherHost_DoesNotWait()
    {
        var (throttle, _) = CreateSut();
        using var first = await throttle.EnterAsync(Blog, CancellationToken.None);

        using var other = await throttle.EnterAsync(new Uri("https://other.example/"), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task EnterAsync_MoreThanTheConcurrencyLimit_WaitsForARelease()
    {
        var (throttle, time) = CreateSut(concurrent: 1, delaySeconds: 0);
        var first = await throttle.EnterAsync(Blog, CancellationToken.None);

        var second = throttle.EnterAsync(Blog, CancellationToken.None);
        time.Advance(TimeSpan.FromSeconds(5));
        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        first.Dispose();
        using var slot = await second.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
