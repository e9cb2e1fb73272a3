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

        Assert.Equal(Now.AddMinutes(expectedMinutes), next);
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

        Assert.Equal(Now.AddMinutes(expectedMinutes), next);
    }

    [Theory]
    [InlineData(120, 1, 120)]
    [InlineData(5, 3, 60)]
    [InlineData(10_000, 1, 1440)]
    public void AfterFailure_RetryAfter_IsHonouredWithinTheCap(int retryAfterMinutes, int errorCount, int expectedMinutes)
    {
        var next = PollSchedule.AfterFailure(Now, Interval, errorCount, TimeSpan.FromMinutes(retryAfterMinutes), Options);

        Assert.Equal(Now.AddMinutes(expectedMinutes), next);
    }

    private static TimeSpan? Minutes(int? m) => m is { } v ? TimeSpan.FromMinutes(v) : null;
}
