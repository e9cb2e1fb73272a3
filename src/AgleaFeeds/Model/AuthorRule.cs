namespace AgleaFeeds.Model;

/// <summary>What a moderator's list entry names.</summary>
public enum AuthorRuleKind
{
    /// <summary>A commenter's name.</summary>
    Author,

    /// <summary>The domain of a commenter's e-mail address (and its subdomains).</summary>
    EmailDomain,

    /// <summary>The domain of a commenter's website (and its subdomains).</summary>
    UrlDomain,
}

/// <summary>Whether the entry trusts or blocks what it names.</summary>
public enum AuthorRuleAction
{
    Trust,
    Block,
}

/// <summary>An entry of the moderators' trust and block lists, set from the dashboard; the scoring rules read it.</summary>
public sealed record AuthorRule(long Id, AuthorRuleKind Kind, string Value, AuthorRuleAction Action, string CreatedBy, DateTimeOffset CreatedAt)
{
    /// <summary>Normalizes what a moderator typed: a name trimmed; a domain lower-cased without "www." or a leading dot.</summary>
    public static string? Normalize(AuthorRuleKind kind, string? value)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v) || v.Length > 200)
        {
            return null;
        }

        if (kind == AuthorRuleKind.Author)
        {
            return v;
        }

        // A pasted address or URL gives its domain.
        if (v.Contains('@', StringComparison.Ordinal))
        {
            v = v[(v.LastIndexOf('@') + 1)..];
        }

        if (Uri.TryCreate(v.Contains("://", StringComparison.Ordinal) ? v : "http://" + v, UriKind.Absolute, out var uri) && uri.Host.Contains('.', StringComparison.Ordinal))
        {
            var host = uri.IdnHost.ToLowerInvariant().TrimStart('.');
            return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
        }

        return null;
    }
}
