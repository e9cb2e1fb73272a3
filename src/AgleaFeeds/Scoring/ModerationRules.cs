using System.Text.RegularExpressions;

namespace AgleaFeeds.Scoring;

/// <summary>What a rule wants done with a comment.</summary>
public enum RuleAction
{
    /// <summary>Hold it for a person (WordPress: moderation).</summary>
    Hold,

    /// <summary>Catch it as spam.</summary>
    Spam,

    /// <summary>Trust it: approve unless something holds or catches it.</summary>
    Trust,
}

/// <summary>A rule that fired, with its reason code ("max-links", "disallowed-key:casino" …).</summary>
public sealed record RuleHit(string Reason, RuleAction Action);

/// <summary>A comment as the rules see it, with what the store knows of its author and post.</summary>
public sealed record RuleInput
{
    public string? Author { get; init; }
    public string? AuthorEmail { get; init; }
    public string? AuthorUrl { get; init; }
    /// <summary>The commenter's IP and user agent, known where the blog's credentials read them (WordPress matches its keys against both).</summary>
    public string? AuthorIp { get; init; }
    public string? UserAgent { get; init; }
    public string? Content { get; init; }
    /// <summary>The author (same name, and same e-mail or URL) has an approved comment already.</summary>
    public bool AuthorPreviouslyApproved { get; init; }
    /// <summary>Another comment on the same post has the same author and content.</summary>
    public bool DuplicateOnPost { get; init; }
    /// <summary>Time since the same author's previous comment on this blog, if any.</summary>
    public TimeSpan? SincePreviousByAuthor { get; init; }
    /// <summary>The hosts of the comment's own blog: links there are not evidence for the model.</summary>
    public IReadOnlyCollection<string>? OwnHosts { get; init; }
}

/// <summary>WordPress's comment rules (Settings → Discussion), with its defaults, plus the moderators' trust and block lists.</summary>
public static partial class ModerationRules
{
    /// <summary>Evaluates every rule; the caller combines the hits with the model's score.</summary>
    public static IReadOnlyList<RuleHit> Evaluate(RuleInput comment, RulesOptions options)
    {
        ArgumentNullException.ThrowIfNull(comment);
        ArgumentNullException.ThrowIfNull(options);
        var hits = new List<RuleHit>();
        var content = comment.Content ?? string.Empty;
        var (text, links) = CommentFeatures.TextAndLinks(content);
        if (text.Length == 0)
        {
            hits.Add(new RuleHit("empty-content", RuleAction.Hold));
        }

        // WordPress holds a comment with comment_max_links or more links (default 2); 0 turns the check off.
        if (options.MaxLinks > 0 && links >= options.MaxLinks)
        {
            hits.Add(new RuleHit($"max-links:{links}", RuleAction.Hold));
        }

        if (BbCodeLink().IsMatch(content))
        {
            hits.Add(new RuleHit("bbcode-link", RuleAction.Spam));
        }

        // One key a line, matched case-insensitively anywhere in author, e-mail, URL, content, IP and user agent (WordPress's check_comment and wp_check_comment_disallowed_list).
        string[] fields = [comment.Author ?? string.Empty, comment.AuthorEmail ?? string.Empty, comment.AuthorUrl ?? string.Empty, content, comment.AuthorIp ?? string.Empty, comment.UserAgent ?? string.Empty];
        foreach (var key in Keys(options.DisallowedKeys).Where(k => fields.Any(f => f.Contains(k, StringComparison.OrdinalIgnoreCase))))
        {
            hits.Add(new RuleHit($"disallowed-key:{key}", RuleAction.Spam));
        }

        foreach (var key in Keys(options.ModerationKeys).Where(k => fields.Any(f => f.Contains(k, StringComparison.OrdinalIgnoreCase))))
        {
            hits.Add(new RuleHit($"moderation-key:{key}", RuleAction.Hold));
        }

        if (comment.DuplicateOnPost)
        {
            hits.Add(new RuleHit("duplicate", RuleAction.Spam));
        }

        if (comment.SincePreviousByAuthor is { } since && since < options.FloodInterval)
        {
            hits.Add(new RuleHit("flood", RuleAction.Hold));
        }

        var emailDomain = Domain(comment.AuthorEmail?.Split('@').LastOrDefault());
        var urlDomain = Uri.TryCreate(comment.AuthorUrl, UriKind.Absolute, out var url) ? Domain(url.Host) : null;
        if (Matches(options.BlockedAuthors, comment.Author) || Matches(options.BlockedEmailDomains, emailDomain) || Matches(options.BlockedUrlDomains, urlDomain))
        {
            hits.Add(new RuleHit("blocked-by-moderator", RuleAction.Spam));
        }

        if (Matches(options.TrustedAuthors, comment.Author) || Matches(options.TrustedEmailDomains, emailDomain) || Matches(options.TrustedUrlDomains, urlDomain))
        {
            hits.Add(new RuleHit("trusted-by-moderator", RuleAction.Trust));
        }

        if (options.TrustPreviouslyApproved && comment.AuthorPreviouslyApproved)
        {
            hits.Add(new RuleHit("previously-approved-author", RuleAction.Trust));
        }

        return hits;
    }

    private static IEnumerable<string> Keys(string? lines) =>
        (lines ?? string.Empty).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase);

    private static string? Domain(string? host) => string.IsNullOrWhiteSpace(host) ? null : host.Trim().ToLowerInvariant().TrimStart('.') is var h && h.StartsWith("www.", StringComparison.Ordinal) ? h[4..] : h;

    /// <summary>A list entry matches the value itself, or for domains any subdomain of it.</summary>
    private static bool Matches(IEnumerable<string> list, string? value) =>
        value is not null && list.Any(entry => entry.Trim() is { Length: > 0 } e
            && (value.Equals(e, StringComparison.OrdinalIgnoreCase) || value.EndsWith("." + e.TrimStart('.'), StringComparison.OrdinalIgnoreCase)));

    [GeneratedRegex(@"\[url[=\]]", RegexOptions.IgnoreCase)]
    private static partial Regex BbCodeLink();
}

/// <summary>The rules' settings (section "Scoring:Rules"), WordPress's defaults.</summary>
public sealed class RulesOptions
{
    /// <summary>Gets or sets the link count that holds a comment (WordPress comment_max_links); 0 turns it off.</summary>
    /// <value>The default value is 2.</value>
    public int MaxLinks { get; set; } = 2;

    /// <summary>Gets or sets the moderation keys, one a line (WordPress moderation_keys): a match holds the comment.</summary>
    public string ModerationKeys { get; set; } = string.Empty;

    /// <summary>Gets or sets the disallowed keys, one a line (WordPress disallowed_keys): a match is spam.</summary>
    public string DisallowedKeys { get; set; } = string.Empty;

    /// <summary>Gets or sets whether an author with an approved comment is trusted (WordPress comment_previously_approved).</summary>
    /// <value>The default value is true.</value>
    public bool TrustPreviouslyApproved { get; set; } = true;

    /// <summary>Gets or sets the least time between two comments of one author before the second is held as a flood.</summary>
    /// <value>The default value is 15 seconds (WordPress's flood interval).</value>
    public TimeSpan FloodInterval { get; set; } = TimeSpan.FromSeconds(15);

    public List<string> TrustedAuthors { get; set; } = [];
    public List<string> TrustedEmailDomains { get; set; } = [];
    public List<string> TrustedUrlDomains { get; set; } = [];
    public List<string> BlockedAuthors { get; set; } = [];
    public List<string> BlockedEmailDomains { get; set; } = [];
    public List<string> BlockedUrlDomains { get; set; } = [];

    /// <summary>Each trust/block list with what it names, read and replaced through one table.</summary>
    private static readonly (Model.AuthorRuleKind Kind, Model.AuthorRuleAction Action, Func<RulesOptions, List<string>> Get, Action<RulesOptions, List<string>> Set)[] Lists =
    [
        (Model.AuthorRuleKind.Author, Model.AuthorRuleAction.Trust, o => o.TrustedAuthors, (o, v) => o.TrustedAuthors = v),
        (Model.AuthorRuleKind.EmailDomain, Model.AuthorRuleAction.Trust, o => o.TrustedEmailDomains, (o, v) => o.TrustedEmailDomains = v),
        (Model.AuthorRuleKind.UrlDomain, Model.AuthorRuleAction.Trust, o => o.TrustedUrlDomains, (o, v) => o.TrustedUrlDomains = v),
        (Model.AuthorRuleKind.Author, Model.AuthorRuleAction.Block, o => o.BlockedAuthors, (o, v) => o.BlockedAuthors = v),
        (Model.AuthorRuleKind.EmailDomain, Model.AuthorRuleAction.Block, o => o.BlockedEmailDomains, (o, v) => o.BlockedEmailDomains = v),
        (Model.AuthorRuleKind.UrlDomain, Model.AuthorRuleAction.Block, o => o.BlockedUrlDomains, (o, v) => o.BlockedUrlDomains = v),
    ];

    /// <summary>The entries configured under Scoring:Rules, as the dashboard lists them.</summary>
    public IEnumerable<(Model.AuthorRuleAction Action, Model.AuthorRuleKind Kind, string Value)> ConfiguredEntries() =>
        Lists.SelectMany(l => l.Get(this).Select(v => (l.Action, l.Kind, v)));

    /// <summary>These settings with the moderators' stored trust and block entries added to the configured lists.</summary>
    public RulesOptions With(IReadOnlyCollection<Model.AuthorRule> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return this;
        }

        var copy = (RulesOptions)MemberwiseClone();
        foreach (var (kind, action, get, set) in Lists)
        {
            set(copy, [.. get(this), .. entries.Where(e => e.Kind == kind && e.Action == action).Select(e => e.Value)]);
        }

        return copy;
    }
}
