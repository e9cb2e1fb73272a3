using AgleaFeeds.Polling;

namespace AgleaFeeds.Tests.Polling;

public class PollScheduleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(15);
    private static readonly PollingOptions Options = new();

    [Theory]
    [InlineData(null, null, 15)]
    [InlineData(5, null, 15)]
    [InlineData(30, null, 30)]
    [InlineData(null, 60, 60)]
    [InlineData(30, 120, 120)]
    [InlineData(100_000, null, 1440)]
    public void AfterSuccess_ServerAndFeedHints_NeverPollSoonerThanTheyAskCappedAtMaxInterval(int? freshMinutes, int? feedMinutes, int expectedMinutes)
    {
        var next = PollSchedule.AfterSuccess(Now, Interval, Minutes(freshMinutes), Minutes(feedMinutes), Options);

        Assert.Equal(Now.AddMinutes(expectedMinutes), next.At);
    }

    [Theory]
    [InlineData(1, 15)]
    [InlineData(2, 30)]
    [InlineData(3, 60)]
    [InlineData(7, 960)]
    [InlineData(8, 1440)]
    [InlineData(1000, 1440)]
    public void AfterFailure_RepeatedFailures_BackOffExponentiallyUpToTheCap(int errorCount, int expectedMinutes)
    {
        var next = PollSchedule.AfterFailure(Now, Interval, errorCount, retryAfter: null, Options);

        Assert.Equal(Now.AddMinutes(expectedMinutes), next.At);
    }

    [Theory]
    [InlineData(120, 1, 120)]
    [InlineData(5, 3, 60)]
    [InlineData(10_000, 1, 1440)]
    public void AfterFailure_RetryAfter_IsHonouredWithinTheCap(int retryAfterMinutes, int errorCount, int expectedMinutes)
    {
        var next = PollSchedule.AfterFailure(Now, Interval, errorCount, TimeSpan.FromMinutes(retryAfterMinutes), Options);

        Assert.Equal(Now.AddMinutes(expectedMinutes), next.At);
    }

    [Theory]
    [InlineData(null, null, "the default interval (Polling:DefaultInterval)")]
    [InlineData(null, 60, "the feed asks to be read every 1 h (sy:updatePeriod or ttl)")]
    [InlineData(30, null, "the blog's server says the feed stays fresh for 30 min (Cache-Control max-age or Expires)")]
    [InlineData(null, 2880, "the feed asks to be read every 2 d (sy:updatePeriod or ttl), capped at Polling:MaxInterval (1 d)")]
    public void AfterSuccess_SaysWhy(int? freshMinutes, int? feedMinutes, string reason) =>
        Assert.Equal(reason, PollSchedule.AfterSuccess(Now, Interval, Minutes(freshMinutes), Minutes(feedMinutes), Options).Reason);

    [Fact]
    public void AfterFailure_SaysWhy()
    {
        Assert.StartsWith("backing off after 3 failed polls", PollSchedule.AfterFailure(Now, Interval, 3, null, Options).Reason, StringComparison.Ordinal);
        Assert.Equal("the blog's server asked to wait 2 h (Retry-After)", PollSchedule.AfterFailure(Now, Interval, 1, TimeSpan.FromHours(2), Options).Reason);
    }

    [Theory]
    [InlineData(0, "0 s")]
    [InlineData(45, "45 s")]
    [InlineData(900, "15 min")]
    [InlineData(5400, "1 h 30 min")]
    [InlineData(90061, "1 d 1 h 1 min 1 s")]
    public void Describe_ReadsAsAPersonWouldSayIt(int seconds, string expected) =>
        Assert.Equal(expected, PollSchedule.Describe(TimeSpan.FromSeconds(seconds)));

    private static TimeSpan? Minutes(int? m) => m is { } v ? TimeSpan.FromMinutes(v) : null;
}
