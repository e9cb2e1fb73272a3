namespace AgleaFeeds.Polling;

/// <summary>Decides when a source is polled next.</summary>
internal static class PollSchedule
{
    /// <summary>
    /// After a success: the source's interval, or longer when the server or the feed says the content stays
    /// fresh longer (max-age, Expires, ttl, sy:updatePeriod), capped at MaxInterval.
    /// </summary>
    public static DateTimeOffset AfterSuccess(DateTimeOffset now, TimeSpan interval, TimeSpan? freshFor, TimeSpan? feedInterval, PollingOptions options)
    {
        var wait = interval;
        foreach (var hint in new[] { freshFor, feedInterval })
        {
            if (hint is { } h && h > wait)
            {
                wait = h;
            }
        }

        return now + Min(wait, Max(options.MaxInterval, interval));
    }

    /// <summary>
    /// After the n-th failure in a row: the interval doubled per failure, capped at MaxBackoff, and never
    /// sooner than a 429/503's Retry-After (itself capped at MaxBackoff).
    /// </summary>
    public static DateTimeOffset AfterFailure(DateTimeOffset now, TimeSpan interval, int errorCount, TimeSpan? retryAfter, PollingOptions options)
    {
        var exponent = Math.Clamp(errorCount - 1, 0, 30);
        var backoffTicks = Math.Min((double)interval.Ticks * Math.Pow(2, exponent), options.MaxBackoff.Ticks);
        var wait = TimeSpan.FromTicks((long)backoffTicks);
        if (retryAfter is { } r)
        {
            wait = Max(wait, Min(r, options.MaxBackoff));
        }

        return now + wait;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
