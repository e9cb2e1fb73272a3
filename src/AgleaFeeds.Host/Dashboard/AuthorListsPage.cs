using AgleaFeeds.Model;
using AgleaFeeds.Storage;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Dashboard;

public sealed record AuthorListsModel(Views.PageLinks Links, IReadOnlyList<AuthorRule> Entries, IReadOnlyList<(AuthorRuleAction Action, AuthorRuleKind Kind, string Value)> Configured);

/// <summary>
/// The moderators' trust and block lists: authors, e-mail domains and URL domains. The scoring rules
/// read them for every comment judged from then on (entries in Scoring:Rules apply too, and are listed
/// here as configured).
/// </summary>
internal sealed class AuthorListsPage : DashboardPage
{
    public const string Path = "/moderation/lists";

    public override void Execute()
    {
        var entries = Get<IFeedStore>().ListAuthorRulesAsync(CancellationToken.None).GetAwaiter().GetResult();
        var configured = Get<IOptions<Scoring.ScoringOptions>>().Value.Rules.ConfiguredEntries().ToList();
        Show<Views.AuthorListsView>("Trust and block lists", new AuthorListsModel(Links(), entries, configured));
    }

    internal static string Describe(AuthorRuleKind kind) => kind switch
    {
        AuthorRuleKind.Author => "author name",
        AuthorRuleKind.EmailDomain => "e-mail domain",
        _ => "website domain",
    };
}
