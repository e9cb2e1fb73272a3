using System.Globalization;
using System.Text.RegularExpressions;

namespace AgleaFeeds.Parsing;

/// <summary>
/// Reads the dates feeds really carry: RFC 822/2822 with or without a (right) day name, named zones,
/// two-digit years, asctime, ISO 8601 / W3CDTF in full, partial, basic, ordinal and week forms, month and
/// day names in the languages feeds are written in. A date without a zone is UTC, as every feed reader
/// takes it. Returns false rather than guess when nothing sensible can be made of the text.
/// </summary>
internal static partial class DateParser
{
    private static readonly string[] Formats =
    [
        "d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz", "d MMM yy HH:mm:ss zzz", "d MMM yy HH:mm zzz",
        "d MMMM yyyy HH:mm:ss zzz", "d MMMM yyyy HH:mm zzz", "d MMM yyyy H:mm:ss zzz", "d MMM yyyy HH:mm:ss", "d MMM yyyy HH:mm", "d MMM yy HH:mm:ss",
        "d MMMM yyyy HH:mm:ss", "d MMM yyyy", "d MMMM yyyy", "MMM d yyyy HH:mm:ss zzz", "MMM d yyyy HH:mm:ss",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", "yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mmzzz", "yyyy-MM-dd'T'HHzzz", "yyyy-MM-dd'T'HHK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm:sszzz",
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-dd", "yyyy-MM", "yyyy", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm", "yyyy/MM/dd",
        "MMMM d, yyyy h:mm tt", "MMMM d, yyyy", "MMM d, yyyy",
    ];

    // Zone names feeds use (RFC 822's, North American, European, Asian, Australian); ambiguous ones take
    // their most common meaning in feeds (IST is India). RFC 2822: military letters other than Z mean "unknown", taken as UTC.
    private static readonly Dictionary<string, string> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["GMT"] = "+00:00", ["UT"] = "+00:00", ["UTC"] = "+00:00", ["Z"] = "+00:00", ["WET"] = "+00:00",
        ["EST"] = "-05:00", ["EDT"] = "-04:00", ["ET"] = "-05:00", ["CST"] = "-06:00", ["CDT"] = "-05:00", ["CT"] = "-06:00",
        ["MST"] = "-07:00", ["MDT"] = "-06:00", ["MT"] = "-07:00", ["PST"] = "-08:00", ["PDT"] = "-07:00", ["PT"] = "-08:00",
        ["AKST"] = "-09:00", ["AKDT"] = "-08:00", ["HST"] = "-10:00", ["AST"] = "-04:00", ["ADT"] = "-03:00", ["NST"] = "-03:30",
        ["BST"] = "+01:00", ["IST"] = "+05:30", ["WEST"] = "+01:00", ["CET"] = "+01:00", ["CEST"] = "+02:00", ["MET"] = "+01:00", ["MEST"] = "+02:00",
        ["MEZ"] = "+01:00", ["MESZ"] = "+02:00", ["EET"] = "+02:00", ["EEST"] = "+03:00", ["MSK"] = "+03:00",
        ["JST"] = "+09:00", ["KST"] = "+09:00", ["HKT"] = "+08:00", ["SGT"] = "+08:00", ["AWST"] = "+08:00",
        ["ACST"] = "+09:30", ["ACDT"] = "+10:30", ["AEST"] = "+10:00", ["AEDT"] = "+11:00", ["NZST"] = "+12:00", ["NZDT"] = "+13:00",
    };

    // Month and day names of the languages feeds are written in, to the English ones the formats read.
    private static readonly Dictionary<string, string> Months = new(StringComparer.OrdinalIgnoreCase)
    {
        ["janvier"] = "Jan", ["janv"] = "Jan", ["février"] = "Feb", ["fevrier"] = "Feb", ["févr"] = "Feb", ["mars"] = "Mar", ["avril"] = "Apr", ["avr"] = "Apr",
        ["mai"] = "May", ["juin"] = "Jun", ["juillet"] = "Jul", ["juil"] = "Jul", ["août"] = "Aug", ["aout"] = "Aug", ["septembre"] = "Sep", ["octobre"] = "Oct",
        ["novembre"] = "Nov", ["décembre"] = "Dec", ["decembre"] = "Dec", ["déc"] = "Dec",
        ["januar"] = "Jan", ["jänner"] = "Jan", ["februar"] = "Feb", ["märz"] = "Mar", ["mär"] = "Mar", ["maerz"] = "Mar", ["juni"] = "Jun", ["juli"] = "Jul",
        ["oktober"] = "Oct", ["okt"] = "Oct", ["dezember"] = "Dec", ["dez"] = "Dec",
        ["enero"] = "Jan", ["ene"] = "Jan", ["febrero"] = "Feb", ["marzo"] = "Mar", ["abril"] = "Apr", ["abr"] = "Apr", ["mayo"] = "May", ["junio"] = "Jun",
        ["julio"] = "Jul", ["agosto"] = "Aug", ["ago"] = "Aug", ["septiembre"] = "Sep", ["setiembre"] = "Sep", ["octubre"] = "Oct", ["noviembre"] = "Nov",
        ["diciembre"] = "Dec", ["dic"] = "Dec",
        ["gennaio"] = "Jan", ["gen"] = "Jan", ["febbraio"] = "Feb", ["aprile"] = "Apr", ["maggio"] = "May", ["mag"] = "May", ["giugno"] = "Jun", ["giu"] = "Jun",
        ["luglio"] = "Jul", ["lug"] = "Jul", ["settembre"] = "Sep", ["set"] = "Sep", ["ottobre"] = "Oct", ["ott"] = "Oct", ["dicembre"] = "Dec",
        ["janeiro"] = "Jan", ["fevereiro"] = "Feb", ["março"] = "Mar", ["maio"] = "May", ["junho"] = "Jun", ["julho"] = "Jul", ["setembro"] = "Sep",
        ["outubro"] = "Oct", ["out"] = "Oct", ["novembro"] = "Nov", ["dezembro"] = "Dec",
        ["januari"] = "Jan", ["februari"] = "Feb", ["maart"] = "Mar", ["mei"] = "May", ["augustus"] = "Aug",
    };

    /// <summary>Parses a feed date; false when nothing sensible can be made of it.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length > 100)
        {
            return false;
        }

        // The two forms almost every feed writes (RFC 822 with a numeric zone, ISO 8601 with an offset) need
        // none of the repairs below: read them first, without a regex or an allocation to spare.
        if (Common(text.AsSpan().Trim(), out value))
        {
            return value.Year is > 1970 and < 9999;
        }

        var s = Spaces().Replace(text.Trim(), " ");
        s = Comment().Replace(s, string.Empty);
        if (IsoSpecial(s) is { } iso)
        {
            value = iso;
            return value.Year is > 1970 and < 9999;
        }

        s = Asctime().Replace(s, "$3 $2 $6 $4 $5").Trim();
        s = DashedDate().Replace(s, "$1 $2 $3");
        s = Word().Replace(s, m => Months.TryGetValue(m.Value.TrimEnd('.'), out var english) ? english : m.Value);
        s = DayName().Replace(s, m => IsMonth(m.Value) ? m.Value : string.Empty);
        s = EtcZone().Replace(s, m => " " + Offset(m.Groups[1].Value == "Etc/" ? Negate(m.Groups[2].Value) : m.Groups[2].Value, m.Groups[3].Value, m.Groups[4].Value));
        s = ZoneName().Replace(s, m => Zones.TryGetValue(m.Groups[1].Value, out var offset) ? " " + offset
            : m.Groups[1].Value.Length == 1 ? " +00:00" : m.Value);
        s = CompactOffset().Replace(s, "$1$2:$3");
        s = HourOffset().Replace(s, "$1$2:00");
        var nextDay = false;
        if (Midnight24().IsMatch(s))
        {
            // ISO 8601's 24:00 is the end of the day: the next day's 00:00.
            s = Midnight24().Replace(s, "00:00");
            nextDay = true;
        }

        const DateTimeStyles Styles = DateTimeStyles.AllowWhiteSpaces | DateTimeStyles.AssumeUniversal;
        if (DateTimeOffset.TryParseExact(s, Formats, CultureInfo.InvariantCulture, Styles, out value)
            || DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, Styles, out value))
        {
            value = (nextDay ? value.AddDays(1) : value).ToUniversalTime();
            return value.Year is > 1970 and < 9999;
        }

        return false;
    }

    private static readonly string[] IsoFormats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"];

    /// <summary>"Fri, 14 Mar 2025 09:30:00 +0000" (a right day name) and "2025-03-14T09:30:00+01:00" / "…Z".</summary>
    private static bool Common(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        value = default;
        if (s.Length == 31 && s[3] == ',' && s[^5] is '+' or '-' && char.IsAsciiDigit(s[^1]))
        {
            // "+0000" → "+00:00" for zzz.
            Span<char> buffer = stackalloc char[32];
            s[..^2].CopyTo(buffer);
            buffer[29] = ':';
            s[^2..].CopyTo(buffer[30..]);
            if (DateTimeOffset.TryParseExact(buffer[..32], "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
            {
                value = value.ToUniversalTime();
                return true;
            }

            return false;
        }

        if (s.Length >= 20 && s[4] == '-' && s[10] == 'T'
            && DateTimeOffset.TryParseExact(s, IsoFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        return false;
    }

    /// <summary>ISO 8601 forms .NET does not read: basic (20250314T093000Z), ordinal (2025-073), week (2025-W11-5).</summary>
    private static DateTimeOffset? IsoSpecial(string s)
    {
        if (BasicIso().Match(s) is { Success: true } b)
        {
            var zone = b.Groups[7].Value is { Length: > 0 } z ? (z == "Z" ? "+00:00" : $"{z[..3]}:{(z.Length > 3 ? z[^2..] : "00")}") : "+00:00";
            var iso = $"{b.Groups[1].Value}-{b.Groups[2].Value}-{b.Groups[3].Value}T{(b.Groups[4].Success ? b.Groups[4].Value : "00")}:{(b.Groups[5].Success ? b.Groups[5].Value : "00")}:{(b.Groups[6].Success ? b.Groups[6].Value : "00")}{zone}";
            return DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d.ToUniversalTime() : null;
        }

        if (OrdinalIso().Match(s) is { Success: true } o)
        {
            var year = int.Parse(o.Groups[1].Value, CultureInfo.InvariantCulture);
            var day = int.Parse(o.Groups[2].Value, CultureInfo.InvariantCulture);
            return day >= 1 && day <= (DateTime.IsLeapYear(year) ? 366 : 365) ? new DateTimeOffset(year, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(day - 1) : null;
        }

        if (WeekIso().Match(s) is { Success: true } w)
        {
            var year = int.Parse(w.Groups[1].Value, CultureInfo.InvariantCulture);
            var week = int.Parse(w.Groups[2].Value, CultureInfo.InvariantCulture);
            var weekday = w.Groups[3].Success ? int.Parse(w.Groups[3].Value, CultureInfo.InvariantCulture) : 1;
            return week is >= 1 and <= 53 && weekday is >= 1 and <= 7
                ? new DateTimeOffset(ISOWeek.ToDateTime(year, Math.Min(week, ISOWeek.GetWeeksInYear(year)), (DayOfWeek)(weekday % 7)), TimeSpan.Zero)
                : null;
        }

        return null;
    }

    private static bool IsMonth(string word)
    {
        var name = word.TrimEnd(' ', ',', '.');
        return DateTime.TryParseExact(name, "MMM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            || DateTime.TryParseExact(name, "MMMM", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    private static string Negate(string sign) => sign == "+" ? "-" : "+";

    private static string Offset(string sign, string hours, string minutes) =>
        $"{sign}{int.Parse(hours, CultureInfo.InvariantCulture):00}:{(minutes.Length > 0 ? minutes : "00")}";

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    /// <summary>A trailing comment: "+0000 (UTC)".</summary>
    [GeneratedRegex(@"\s*\([^)]*\)\s*$")]
    private static partial Regex Comment();

    /// <summary>asctime: "Fri Mar 14 09:30:00 2025", "Fri Mar  7 09:30:00 UTC 2025".</summary>
    [GeneratedRegex(@"^([A-Za-z]{3}) ([A-Za-z]{3}) (\d{1,2}) (\d{1,2}:\d\d:\d\d) ?([A-Za-z]{1,5}|[+-]\d{4})? (\d{4})$")]
    private static partial Regex Asctime();

    /// <summary>"14-Mar-2025" as "14 Mar 2025".</summary>
    [GeneratedRegex(@"\b(\d{1,2})-(\p{L}{3,})-(\d{2,4})\b")]
    private static partial Regex DashedDate();

    [GeneratedRegex(@"\p{L}+\.?")]
    private static partial Regex Word();

    /// <summary>A leading day name in any language, with or without a comma: "Fri, ", "vendredi, ", "Fr ".</summary>
    [GeneratedRegex(@"^\p{L}{2,12}\.?,?\s+(?=\d)")]
    private static partial Regex DayName();

    /// <summary>"Etc/GMT+5" (POSIX: five hours behind), "GMT+2", "UTC-05:30", "GMT+0000".</summary>
    [GeneratedRegex(@"\s*\b(Etc/|)(?:GMT|UTC)([+-])(\d{1,2}):?(\d\d)?$", RegexOptions.IgnoreCase)]
    private static partial Regex EtcZone();

    [GeneratedRegex(@"\s*\b([A-Z]{1,5})$", RegexOptions.IgnoreCase)]
    private static partial Regex ZoneName();

    [GeneratedRegex(@"([+-])(\d\d)(\d\d)$")]
    private static partial Regex CompactOffset();

    /// <summary>An offset of hours only: "+09".</summary>
    [GeneratedRegex(@"(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?)([+-]\d\d)$")]
    private static partial Regex HourOffset();

    [GeneratedRegex(@"\b24:00(?::00)?\b")]
    private static partial Regex Midnight24();

    [GeneratedRegex(@"^(\d{4})(\d\d)(\d\d)(?:T(\d\d)(?:(\d\d)(\d\d)?)?)?(Z|[+-]\d{2,4})?$")]
    private static partial Regex BasicIso();

    [GeneratedRegex(@"^(\d{4})-(\d{3})$")]
    private static partial Regex OrdinalIso();

    [GeneratedRegex(@"^(\d{4})-?W(\d\d)(?:-?(\d))?$")]
    private static partial Regex WeekIso();
}
