using System.Globalization;
using AgleaFeeds.Model;
using AgleaFeeds.Storage;
using Hangfire.Dashboard;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>Trust or block an author or domain: from a comment's page, from the lists page's form, or remove an entry.</summary>
internal static class AuthorRuleCommands
{
    public const string AddRoute = AuthorListsPage.Path + "/add";
    public const string FromCommentRoute = AuthorListsPage.Path + "/(?<action>Trust|Block)/(?<kind>Author|UrlDomain)/comment/(?<id>\\d+)";
    public const string RemoveRoute = AuthorListsPage.Path + "/remove/(?<id>\\d+)";

    /// <summary>Trusts or blocks the author (or website domain) of a comment; false (422) when the comment or its website is unknown.</summary>
    public static bool FromComment(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var store = http.RequestServices.GetRequiredService<IFeedStore>();
        var comment = store.GetCommentAsync(long.Parse(context.UriMatch.Groups["id"].Value, CultureInfo.InvariantCulture), http.RequestAborted).GetAwaiter().GetResult();
        var kind = Enum.Parse<AuthorRuleKind>(context.UriMatch.Groups["kind"].Value);
        var value = AuthorRule.Normalize(kind, kind == AuthorRuleKind.Author ? comment?.Author : comment?.AuthorUrl);
        if (value is null)
        {
            return false;
        }

        store.SetAuthorRuleAsync(kind, value, Enum.Parse<AuthorRuleAction>(context.UriMatch.Groups["action"].Value), Security.DashboardAccess.Who(http), Now(http), http.RequestAborted).GetAwaiter().GetResult();
        return true;
    }

    /// <summary>Removes an entry; false (422) when there is none.</summary>
    public static bool Remove(DashboardContext context)
    {
        var http = context.GetHttpContext();
        return http.RequestServices.GetRequiredService<IFeedStore>()
            .RemoveAuthorRuleAsync(long.Parse(context.UriMatch.Groups["id"].Value, CultureInfo.InvariantCulture), http.RequestAborted).GetAwaiter().GetResult();
    }

    private static DateTimeOffset Now(HttpContext http) => http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>The lists page's form (a plain POST with the form's antiforgery field): adds the entry and goes back to the list.</summary>
    internal sealed class Add : IDashboardDispatcher
    {
        public async Task Dispatch(DashboardContext context)
        {
            if (await DashboardForms.ReadAsync(context).ConfigureAwait(false) is not { } form)
            {
                return;
            }

            if (!Enum.TryParse<AuthorRuleKind>(form["kind"], out var kind) || !Enum.IsDefined(kind)
                || !Enum.TryParse<AuthorRuleAction>(form["action"], out var action) || !Enum.IsDefined(action))
            {
                DashboardForms.Back(context, AuthorListsPage.Path, error: "Choose trust or block, and what the value is.");
                return;
            }

            var value = AuthorRule.Normalize(kind, form["value"]);
            if (value is null)
            {
                DashboardForms.Back(context, AuthorListsPage.Path, error: $"\"{form["value"]}\" is not a valid {AuthorListsPage.Describe(kind)}. Nothing was added.");
                return;
            }

            var http = context.GetHttpContext();
            await http.RequestServices.GetRequiredService<IFeedStore>().SetAuthorRuleAsync(kind, value, action, Security.DashboardAccess.Who(http), Now(http), http.RequestAborted).ConfigureAwait(false);
            DashboardForms.Back(context, AuthorListsPage.Path, done: $"{action}: {AuthorListsPage.Describe(kind)} {value}.");
        }
    }
}
