using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PhoneNumbers;

namespace AgleaFeeds.Scoring;

/// <summary>
/// Where a comment sends its reader, as spammers write it: URLs with a scheme or "www.", bare domains
/// with any top-level domain of the Public Suffix List, obfuscated forms ("example dot com",
/// "example[.]com", "w w w . e x a m p l e . c o m", look-alike letters), e-mail addresses (also
/// "name (at) mail dot com"), phone numbers (libphonenumber) and messenger handles ("WhatsApp
/// +1 …", "telegram @name"). Links to the blog's own hosts are counted apart: they are not evidence.
/// </summary>
public static partial class ContactFinder
{
    private static readonly HashSet<string> Tlds = LoadTlds();

    // Bare "name.tld" without www, scheme or path counts only for these TLDs and two-letter ones that are
    // neither English words ("thanks.it works") nor file extensions ("setup.py", "notes.md").
    private static readonly HashSet<string> StrongTlds =
        ["com", "net", "org", "info", "biz", "xyz", "top", "online", "site", "club", "shop", "store", "pro", "vip", "icu", "cyou", "buzz", "website", "tech", "blog", "ltd", "agency", "guru"];

    private static readonly HashSet<string> WeakTwoLetter =
        ["am", "an", "as", "at", "be", "by", "do", "go", "he", "id", "if", "in", "is", "it", "me", "my", "no", "of", "on", "or", "so", "to", "tv", "up", "us", "we",
         "ai", "cs", "md", "pl", "ps", "py", "rs", "sh", "mk", "ms"];

    private static readonly string[] Regions = ["US", "GB"];

    /// <summary>The words that stand for contacts in <see cref="Contacts.Masked"/>: not the commenter's own words.</summary>
    internal static readonly HashSet<string> MaskWords = ["xlink", "xbaredomain", "xshortlink", "xemail", "xphone", "xownlink"];

    /// <summary>URL shorteners: the real target is hidden, which is what spam wants.</summary>
    private static readonly HashSet<string> Shorteners =
        ["bit.ly", "bitly.com", "tinyurl.com", "goo.gl", "t.co", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at", "rb.gy", "tiny.cc",
         "s.id", "bit.do", "t.ly", "lnkd.in", "v.gd", "shorte.st", "adf.ly", "soo.gd", "clck.ru", "qr.ae", "x.co", "u.to", "tr.im", "bl.ink", "short.io", "linktr.ee", "t.me", "wa.me"];

    /// <summary>Finds the contacts in a comment's text and its link targets (hrefs); <paramref name="ownHosts"/> are the blog's own.</summary>
    public static Contacts Find(string text, IReadOnlyList<string>? hrefs = null, IReadOnlyCollection<string>? ownHosts = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new Builder(ownHosts);
        // A markup link's target is not in the visible text: its word goes after it.
        var targets = string.Concat((hrefs ?? []).Select(href => " " + found.Url(href, obfuscated: false)));
        if (text.Length == 0)
        {
            return found.Build(targets.TrimStart());
        }

        var (plain, obfuscations) = Deobfuscate(Fold(text));
        var spans = new List<(int Start, int End, string Token)>();
        // Each pattern runs only where its mark is: most comments carry none of them.
        var hasUrl = plain.Contains("://", StringComparison.Ordinal) || plain.Contains("www", StringComparison.OrdinalIgnoreCase);
        foreach (Match m in hasUrl ? Url().Matches(plain) : (IEnumerable<Match>)[])
        {
            spans.Add((m.Index, m.Index + m.Length, found.Url(m.Value, obfuscations > 0 && !text.Contains(m.Value, StringComparison.Ordinal))));
        }

        foreach (Match m in plain.Contains('@', StringComparison.Ordinal) ? Email().Matches(plain) : (IEnumerable<Match>)[])
        {
            found.Emails++;
            spans.Add((m.Index, m.Index + m.Length, "xemail"));
        }

        foreach (Match m in plain.Contains('.', StringComparison.Ordinal) ? BareDomain().Matches(plain) : (IEnumerable<Match>)[])
        {
            if (spans.Any(t => m.Index < t.End && m.Index + m.Length > t.Start) || !IsDomain(m))
            {
                continue;
            }

            spans.Add((m.Index, m.Index + m.Length, found.Url(m.Value, obfuscations > 0 && !text.Contains(m.Value, StringComparison.Ordinal), bare: true)));
        }

        foreach (var phone in Phones(plain))
        {
            if (!spans.Any(t => phone.Start < t.End && phone.Start + phone.Length > t.Start))
            {
                found.Phones++;
                spans.Add((phone.Start, phone.Start + phone.Length, "xphone"));
            }
        }

        found.Handles = Messenger().Count(plain);

        return found.Build(Mask(plain, spans) + targets);
    }

    /// <summary>The text with each contact replaced by a word naming its kind, so the model learns kinds, not one corpus' domains.</summary>
    private static string Mask(string plain, List<(int Start, int End, string Token)> spans)
    {
        if (spans.Count == 0)
        {
            return plain;
        }

        var builder = new StringBuilder(plain.Length);
        var at = 0;
        foreach (var (start, end, token) in spans.OrderBy(s => s.Start))
        {
            if (start < at)
            {
                continue;
            }

            builder.Append(plain, at, start - at).Append(' ').Append(token).Append(' ');
            at = end;
        }

        return builder.Append(plain, at, plain.Length - at).ToString();
    }

    /// <summary>Whether a bare "name.tld" match is a domain and not code ("System.IO", "setup.py"), an abbreviation or a sentence without its space.</summary>
    private static bool IsDomain(Match m)
    {
        var tld = m.Groups["tld"].Value;
        var ascii = Ascii(tld);
        if (ascii is null || !Tlds.Contains(ascii))
        {
            return false;
        }

        var name = m.Groups["name"].Value;
        var path = m.Groups["path"].Success && m.Groups["path"].Length > 1;
        // Code writes Namespace.Type and CONSTANT.NAME; people write domains in lower case or Capitalised.
        if (tld.Any(char.IsUpper) && !(char.IsUpper(tld[0]) && tld.Skip(1).All(char.IsLower)))
        {
            return path;
        }

        if (name.Split('.').Any(label => label.Skip(1).Any(char.IsUpper) && label.Any(char.IsLower)))
        {
            return path;
        }

        var lower = ascii.ToLowerInvariant();
        var strong = StrongTlds.Contains(lower) || (lower.Length == 2 && !WeakTwoLetter.Contains(lower)) || lower.StartsWith("xn--", StringComparison.Ordinal);
        return strong || path;
    }

    private static IEnumerable<(int Start, int Length)> Phones(string text)
    {
        if (!HasDigitRun(text))
        {
            return [];
        }

        // libphonenumber finds numbers valid in a region; "+44 …" is read as itself, the rest as North American
        // or British numbers (the regions of the training corpora and of most English-language spam).
        var util = PhoneNumberUtil.GetInstance();
        var found = new List<(int Start, int Length)>();
        foreach (var region in Regions)
        {
            foreach (var m in util.FindNumbers(text, region, PhoneNumberUtil.Leniency.STRICT_GROUPING, 10))
            {
                if (!found.Any(f => m.Start < f.Start + f.Length && m.Start + m.Length > f.Start))
                {
                    found.Add((m.Start, m.Length));
                }
            }
        }

        return found;
    }

    /// <summary>Whether the text has 7 or more digits in one run, separated at most by spaces, dots, dashes, slashes or brackets: libphonenumber is costly, most comments have no such run.</summary>
    private static bool HasDigitRun(string text)
    {
        var digits = 0;
        var gap = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (++digits >= 7)
                {
                    return true;
                }

                gap = 0;
            }
            else if (digits > 0 && c is ' ' or '.' or '-' or '/' or '(' or ')' or '\u00A0' && ++gap <= 2)
            {
                continue;
            }
            else
            {
                digits = 0;
                gap = 0;
            }
        }

        return false;
    }

    /// <summary>NFKC (full-width and styled letters), no zero-width or soft-hyphen characters, Cyrillic and Greek look-alikes in mixed-script words read as Latin.</summary>
    internal static string Fold(string text)
    {
        var normalized = text.IsNormalized(NormalizationForm.FormKC) ? text : text.Normalize(NormalizationForm.FormKC);
        var needsMap = false;
        foreach (var c in normalized)
        {
            if (c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD' || LookAlike(c) != c)
            {
                needsMap = true;
                break;
            }
        }

        if (!needsMap)
        {
            return normalized;
        }

        var builder = new StringBuilder(normalized.Length);
        foreach (var word in WordOrSpace().EnumerateMatches(normalized))
        {
            var span = normalized.AsSpan(word.Index, word.Length);
            var mixed = span.ContainsAnyInRange('a', 'z') || span.ContainsAnyInRange('A', 'Z') || span.Contains('.');
            foreach (var c in span)
            {
                if (c is '\u200B' or '\u200C' or '\u200D' or '\u2060' or '\uFEFF' or '\u00AD')
                {
                    continue;
                }

                builder.Append(mixed ? LookAlike(c) : c);
            }
        }

        return builder.ToString();
    }

    private static char LookAlike(char c) => c switch
    {
        'а' => 'a', 'е' => 'e', 'о' => 'o', 'р' => 'p', 'с' => 'c', 'у' => 'y', 'х' => 'x', 'і' => 'i', 'ј' => 'j', 'ѕ' => 's', 'ԁ' => 'd', 'һ' => 'h', 'ԛ' => 'q', 'ԝ' => 'w',
        'А' => 'A', 'В' => 'B', 'Е' => 'E', 'К' => 'K', 'М' => 'M', 'Н' => 'H', 'О' => 'O', 'Р' => 'P', 'С' => 'C', 'Т' => 'T', 'Х' => 'X',
        'ο' => 'o', 'α' => 'a', 'ν' => 'v', 'ι' => 'i', 'κ' => 'k', 'ρ' => 'p', 'τ' => 't', 'Ο' => 'O', 'Α' => 'A', 'Β' => 'B', 'Ε' => 'E', 'Κ' => 'K', 'Μ' => 'M', 'Ν' => 'N', 'Ρ' => 'P', 'Τ' => 'T',
        _ => c,
    };

    /// <summary>Undoes the obfuscations spammers use to slip links past filters; returns the text and how many it undid.</summary>
    internal static (string Text, int Count) Deobfuscate(string text)
    {
        var count = 0;
        string Replace(Regex regex, string input, MatchEvaluator evaluator) => regex.Replace(input, m =>
        {
            var result = evaluator(m);
            count += result == m.Value ? 0 : 1;
            return result;
        });

        // "w w w . e x a m p l e . c o m": a run of single characters collapsed when it then names a domain.
        var marks = text.AsSpan().IndexOfAny("[({<") >= 0;
        var dots = text.Contains('.', StringComparison.Ordinal) || text.Contains("dot", StringComparison.OrdinalIgnoreCase) || text.Contains("d0t", StringComparison.OrdinalIgnoreCase);
        if (!dots && !marks && !text.Contains(" at ", StringComparison.OrdinalIgnoreCase))
        {
            return (text, 0);
        }

        text = Replace(SpacedLetters(), text, m => m.Value.Replace(" ", string.Empty, StringComparison.Ordinal) is var joined && BareDomain().IsMatch(joined) && joined.Contains('.', StringComparison.Ordinal) ? joined + " " : m.Value);
        // "example[.]com", "example (dot) com", "example{.}com"
        text = Replace(BracketDot(), text, m => m.Groups[1].Value + "." + m.Groups[2].Value);
        // "example dot com", "example . com", "example. com" when what follows is a top-level domain spammers use
        text = Replace(WordDot(), text, m => Tlds.Contains(m.Groups[2].Value.ToLowerInvariant()) && (StrongTlds.Contains(m.Groups[2].Value.ToLowerInvariant()) || m.Groups["dot"].Value.Trim().Length > 1) ? m.Groups[1].Value + "." + m.Groups[2].Value : m.Value);
        // "name (at) mail.com", "name [at] mail.com", "name at gmail.com"
        text = Replace(BracketAt(), text, m => m.Groups[1].Value + "@" + m.Groups[2].Value);
        return (text, count);
    }

    private static string? Ascii(string label)
    {
        if (Ascii7(label))
        {
            return label.ToLowerInvariant();
        }

        try
        {
            return new IdnMapping().GetAscii(label.ToLowerInvariant());
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static bool Ascii7(string s) => !s.Any(c => c > 127);

    private static HashSet<string> LoadTlds()
    {
        using var stream = typeof(ContactFinder).Assembly.GetManifestResourceStream("AgleaFeeds.Scoring.tlds.txt")
            ?? throw new InvalidOperationException("Scoring: the embedded top-level domain list is missing from the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0 && line[0] != '#')
            {
                set.Add(line.Trim());
            }
        }

        return set;
    }

    /// <summary>The registrable part of a host ("www.shop.example.co.uk" → "example.co.uk"), lower case, for reputation.</summary>
    public static string Site(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        var labels = host.Trim().TrimEnd('.').ToLowerInvariant().Split('.', StringSplitOptions.RemoveEmptyEntries);
        if (labels.Length <= 2)
        {
            return string.Join('.', labels);
        }

        var secondLevel = labels[^1].Length == 2 && labels[^2] is "co" or "com" or "net" or "org" or "gov" or "edu" or "ac" or "or" or "ne" or "go" or "gob" or "nic";
        return string.Join('.', labels[^(secondLevel ? 3 : 2)..]);
    }

    private sealed class Builder(IReadOnlyCollection<string>? ownHosts)
    {
        private readonly List<string> _sites = [];
        private readonly HashSet<string> _seen = [];
        private int _urls;
        private int _bare;
        private int _obfuscated;
        private int _shorteners;
        private int _own;

        public int Emails { get; set; }
        public int Phones { get; set; }
        public int Handles { get; set; }

        /// <summary>Counts a link; returns the word that stands for it in the masked text.</summary>
        public string Url(string value, bool obfuscated, bool bare = false)
        {
            var candidate = value.TrimEnd('.', ',', ';', ':', '!', '?', ')', ']', '\'', '"');
            if (candidate.StartsWith("hxxp", StringComparison.OrdinalIgnoreCase))
            {
                candidate = "http" + candidate[4..];
            }

            if (!candidate.Contains("://", StringComparison.Ordinal))
            {
                if (candidate.StartsWith('/') || candidate.StartsWith('#') || candidate.StartsWith('?'))
                {
                    // A relative link points at the blog itself.
                    _own++;
                    return "xownlink";
                }

                candidate = "http://" + candidate;
            }

            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || !(uri.Scheme is "http" or "https" or "ftp"))
            {
                if (candidate.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
                {
                    Emails++;
                    return "xemail";
                }

                return "xlink";
            }

            var host = uri.IdnHost.ToLowerInvariant();
            var site = Site(host);
            if (ownHosts?.Any(o => Site(o) == site) == true)
            {
                _own++;
                return "xownlink";
            }

            if (!_seen.Add(uri.GetComponents(UriComponents.HostAndPort | UriComponents.PathAndQuery, UriFormat.Unescaped).TrimEnd('/').ToLowerInvariant()))
            {
                // The same link as its text and as its href is one link.
                return "xlink";
            }

            _sites.Add(site);
            _urls += bare ? 0 : 1;
            _bare += bare ? 1 : 0;
            _obfuscated += obfuscated ? 1 : 0;
            var shortener = Shorteners.Contains(host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host);
            _shorteners += shortener ? 1 : 0;
            return shortener ? "xlink xshortlink" : bare ? "xlink xbaredomain" : "xlink";
        }

        public Contacts Build(string masked) => new([.. _sites.Distinct()], _urls, _bare, _obfuscated, _shorteners, _own, Emails, Phones, Handles) { Masked = masked };
    }

    [GeneratedRegex(@"\b(?:https?|hxxps?|ftp)://[^\s<>""'{}|\\^`\[\]]+|(?<![\w.@/-])www\d{0,3}\.[^\s<>""'{}|\\^`\[\]]+", RegexOptions.IgnoreCase)]
    private static partial Regex Url();

    [GeneratedRegex(@"(?<![\w.+-])[\w.+-]{1,64}@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}\b")]
    private static partial Regex Email();

    [GeneratedRegex(@"(?<![\w@.\-/\\])(?<name>(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+)(?<tld>\p{L}{2,24}|xn--[a-z0-9-]{2,59})(?![\p{L}\p{N}@\-(=_])(?<path>/[^\s<>""']*)?")]
    private static partial Regex BareDomain();

    [GeneratedRegex(@"(?<!\S)(?:[\p{L}\p{N}.] ){4,}[\p{L}\p{N}.](?!\S)")]
    private static partial Regex SpacedLetters();

    [GeneratedRegex(@"([\p{L}\p{N}])\s*[\[\(\{<]\s*(?:dot|\.|d0t)\s*[\]\)\}>]\s*([\p{L}\p{N}])", RegexOptions.IgnoreCase)]
    private static partial Regex BracketDot();

    [GeneratedRegex(@"([\p{L}\p{N}])(?<dot>\s+(?:dot|d0t)\s+|\s+\.\s*|\.\s+)(\p{L}{2,12})\b(?![\p{L}\p{N}])", RegexOptions.IgnoreCase)]
    private static partial Regex WordDot();

    [GeneratedRegex(@"([\w.+-])\s*(?:[\[\(\{]\s*at\s*[\]\)\}]|\s+at\s+(?=[\w-]+\s*(?:dot|[\[\(])\s*(?:com|net|org)\b))\s*([\p{L}\p{N}])", RegexOptions.IgnoreCase)]
    private static partial Regex BracketAt();

    // A messenger named with a handle or number right after it: "WhatsApp +44 …", "telegram @name", "skype: john.doe77".
    [GeneratedRegex(@"\b(?:whats\s?app|telegram|viber|wechat|we\s?chat|skype|kik|snapchat|line\s?id|icq|discord|signal)\b(?:\s+(?:me|id|number|no\.?|at|on))?\s*[:\-]?\s*(?:@[A-Za-z_][\w.]{2,}|\+?\d[\d\s().-]{6,}\d|(?<=[:\-]\s*)[A-Za-z][\w.]{2,})", RegexOptions.IgnoreCase)]
    private static partial Regex Messenger();

    [GeneratedRegex(@"\S+|\s+")]
    private static partial Regex WordOrSpace();
}

/// <summary>What <see cref="ContactFinder"/> found: the linked sites (registrable domains) and counts by kind.</summary>
public sealed record Contacts(
    IReadOnlyList<string> Sites,
    int Urls,
    int BareDomains,
    int Obfuscated,
    int Shorteners,
    int OwnLinks,
    int Emails,
    int Phones,
    int Handles)
{
    /// <summary>Gets the text with each contact replaced by a word for its kind ("xlink", "xemail", "xphone", "xownlink").</summary>
    public string Masked { get; init; } = string.Empty;

    /// <summary>Gets the links to other sites, written out or bare.</summary>
    public int Links => Urls + BareDomains;

    /// <summary>Gets every way the comment asks to be contacted elsewhere.</summary>
    public int Total => Links + Emails + Phones + Handles;

    /// <summary>For a verdict's reasons: "contacts: links to example.net (written without http), 1 phone number"; null when there are none.</summary>
    public string? Describe()
    {
        if (Total == 0)
        {
            return null;
        }

        var parts = new List<string>();
        if (Links > 0)
        {
            var how = new[] { BareDomains > 0 ? "written without http" : null, Obfuscated > 0 ? "obfuscated" : null, Shorteners > 0 ? "through a shortener" : null }.OfType<string>().ToList();
            parts.Add($"links to {string.Join(", ", Sites.Take(3))}{(Sites.Count > 3 ? " …" : string.Empty)}{(how.Count > 0 ? $" ({string.Join(", ", how)})" : string.Empty)}");
        }

        if (Phones > 0)
        {
            parts.Add(Phones == 1 ? "1 phone number" : $"{Phones} phone numbers");
        }

        if (Emails > 0)
        {
            parts.Add(Emails == 1 ? "1 e-mail address" : $"{Emails} e-mail addresses");
        }

        if (Handles > 0)
        {
            parts.Add("a messenger handle");
        }

        return "contacts: " + string.Join(", ", parts);
    }
}
