using System.Globalization;

namespace AgleaFeeds.Polling;

/// <summary>When a source is polled next, and why (the Sources page shows both).</summary>
public readonly record struct NextPoll(DateTimeOffset At, string Reason);

/// <summary>Decides when a source is polled next.</summary>
public static class PollSchedule
{
    /// <summary>
    /// After a success: the source's interval, or longer when the server or the feed says the content stays
    /// fresh longer (max-age, Expires, ttl, sy:updatePeriod), capped at MaxInterval.
    /// </summary>
    public static NextPoll AfterSuccess(DateTimeOffset now, TimeSpan interval, TimeSpan? freshFor, TimeSpan? feedInterval, PollingOptions options, bool ownInterval = false)
    {
        ArgumentNullException.ThrowIfNull(options);
        var wait = interval;
        var reason = ownInterval ? "the source's own interval" : "the default interval (Polling:DefaultInterval)";
        if (freshFor is { } fresh && fresh > wait)
        {
            (wait, reason) = (fresh, $"the blog's server says the feed stays fresh for {Describe(fresh)} (Cache-Control max-age or Expires)");
        }

        if (feedInterval is { } asked && asked > wait)
        {
            (wait, reason) = (asked, $"the feed asks to be read every {Describe(asked)} (sy:updatePeriod or ttl)");
        }

        var cap = Max(options.MaxInterval, interval);
        if (wait > cap)
        {
            (wait, reason) = (cap, reason + $", capped at Polling:MaxInterval ({Describe(cap)})");
        }

        return new NextPoll(now + wait, reason);
    }

    /// <summary>
    /// After the n-th failure in a row: the interval doubled per failure, capped at MaxBackoff, and never
    /// sooner than a 429/503's Retry-After (itself capped at MaxBackoff).
    /// </summary>
    public static NextPoll AfterFailure(DateTimeOffset now, TimeSpan interval, int errorCount, TimeSpan? retryAfter, PollingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var exponent = Math.Clamp(errorCount - 1, 0, 30);
        var backoffTicks = Math.Min((double)interval.Ticks * Math.Pow(2, exponent), options.MaxBackoff.Ticks);
        var wait = TimeSpan.FromTicks((long)backoffTicks);
        var reason = errorCount <= 1
            ? "the last poll failed: retried after one interval"
            : $"backing off after {errorCount} failed polls in a row (the interval doubled per failure, at most Polling:MaxBackoff, {Describe(options.MaxBackoff)})";
        if (retryAfter is { } r && Min(r, options.MaxBackoff) > wait)
        {
            (wait, reason) = (Min(r, options.MaxBackoff), $"the blog's server asked to wait {Describe(r)} (Retry-After)");
        }

        return new NextPoll(now + wait, reason);
    }

    /// <summary>A duration as a person reads it: "45 s", "15 min", "1 h 30 min", "2 d".</summary>
    public static string Describe(TimeSpan span)
    {
        var parts = new List<string>();
        if (span.Days > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{span.Days} d"));
        }

        if (span.Hours > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{span.Hours} h"));
        }

        if (span.Minutes > 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{span.Minutes} min"));
        }

        if (span.Seconds > 0 || parts.Count == 0)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"{span.Seconds} s"));
        }

        return string.Join(' ', parts);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
