using System.Globalization;
using System.Text.RegularExpressions;

namespace AgleaFeeds.Parsing;

/// <summary>Reads the dates feeds really carry: RFC 822 with or without a (right) day name, named zones, ISO 8601.</summary>
internal static partial class DateParser
{
    private static readonly string[] Formats =
    [
        "d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz", "d MMM yy HH:mm:ss zzz", "d MMM yy HH:mm zzz",
        "d MMMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss", "d MMM yyyy",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mmzzz",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd",
    ];

    // RFC 822 zone names and the North American ones feeds use; anything else is treated as UTC.
    private static readonly Dictionary<string, string> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GMT"] = "+00:00",
        ["UT"] = "+00:00",
        ["UTC"] = "+00:00",
        ["Z"] = "+00:00",
        ["EST"] = "-05:00",
        ["EDT"] = "-04:00",
        ["CST"] = "-06:00",
        ["CDT"] = "-05:00",
        ["MST"] = "-07:00",
        ["MDT"] = "-06:00",
        ["PST"] = "-08:00",
        ["PDT"] = "-07:00",
        ["KST"] = "+09:00",
        ["JST"] = "+09:00",
        ["CET"] = "+01:00",
        ["CEST"] = "+02:00",
    };

    /// <summary>Parses a feed date; false when nothing sensible can be made of it.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = Spaces().Replace(text.Trim(), " ");
        s = DayName().Replace(s, string.Empty);
        s = ZoneName().Replace(s, m => Zones.TryGetValue(m.Groups[1].Value, out var offset) ? " " + offset : m.Value);
        s = CompactOffset().Replace(s, "$1$2:$3");
        const DateTimeStyles Styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;
        if (DateTimeOffset.TryParseExact(s, Formats, CultureInfo.InvariantCulture, Styles, out value)
            || DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, Styles, out value))
        {
            value = value.ToUniversalTime();
            return value.Year is > 1970 and < 9999;
        }

        return false;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^[A-Za-z]{2,9}\.?,?\s+(?=\d)")]
    private static partial Regex DayName();

    [GeneratedRegex(@"\s*\b([A-Z]{1,4})$", RegexOptions.IgnoreCase)]
    private static partial Regex ZoneName();

    [GeneratedRegex(@"([+-])(\d\d)(\d\d)$")]
    private static partial Regex CompactOffset();
}
