using System.Text.RegularExpressions;

namespace AgleaFeeds.Publishing;

/// <summary>
/// Keep and block rules for posts, as Miniflux's filter rules: one "Field=regular expression" each,
/// Field one of Title, Category, Author. A post is published when no block rule matches and, if
/// there are keep rules, one of them does. Its comments follow it.
/// </summary>
public sealed class PostFilter
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);
    private readonly IReadOnlyList<(string Field, Regex Pattern)> _keep;
    private readonly IReadOnlyList<(string Field, Regex Pattern)> _block;

    public PostFilter(IEnumerable<string> keep, IEnumerable<string> block)
    {
        _keep = keep.Select(Parse).ToList();
        _block = block.Select(Parse).ToList();
    }

    /// <summary>Whether a post with this title, author and categories is published.</summary>
    public bool Allows(string? title, string? author, IReadOnlyList<string> categories)
    {
        bool Matches((string Field, Regex Pattern) rule) => rule.Field switch
        {
            "Title" => title is not null && rule.Pattern.IsMatch(title),
            "Author" => author is not null && rule.Pattern.IsMatch(author),
            _ => categories.Any(rule.Pattern.IsMatch),
        };

        return !_block.Any(Matches) && (_keep.Count == 0 || _keep.Any(Matches));
    }

    /// <summary>Parses "Field=pattern"; throws <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static (string Field, Regex Pattern) Parse(string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var equals = rule.IndexOf('=', StringComparison.Ordinal);
        var field = equals > 0 ? rule[..equals].Trim() : string.Empty;
        if (field is not ("Title" or "Category" or "Author"))
        {
            throw new ArgumentException($"Publishing: rule \"{rule}\" must be Title=, Category= or Author= followed by a regular expression.", nameof(rule));
        }

        try
        {
            return (field, new Regex(rule[(equals + 1)..], RegexOptions.CultureInvariant, MatchTimeout));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Publishing: rule \"{rule}\" is not a valid regular expression: {ex.Message}", nameof(rule), ex);
        }
    }
}
