using System.Globalization;
using AgleaFeeds.Scoring;
using AgleaFeeds.Storage;
using Hangfire;
using Hangfire.Dashboard;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>A saved model version: its name, where it is, whether it is in use, its figures.</summary>
public sealed record ModelVersionRow(string Name, string Detail, bool Current, string? Figures);

public sealed record ModelModel(Views.PageLinks Links, string? Error, string InUse, string Figures, string Thresholds, string Labels, string BlogModel, string Schedule, IReadOnlyList<ModelVersionRow> Versions);

/// <summary>
/// The spam model: the version in use and its held-out figures, the moderators' labels the next
/// retrain will learn from, retrain now, every promoted version with its figures, and roll back.
/// </summary>
internal sealed class ModelPage : DashboardPage
{
    public const string Path = "/model";
    public const string RetrainRoute = "/model/retrain";
    public const string ActivateRoute = "/model/activate/(?<version>shipped|\\d{8}T\\d{6}Z)";

    public override void Execute()
    {
        var models = Get<SpamModelProvider>();
        var options = Get<IOptions<ScoringOptions>>().Value;
        var labels = Get<IFeedStore>().ListModeratorLabelsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var inUse = models.Version;
        var blogs = Get<BlogModelProvider>();
        var blog = blogs.GetAsync(CancellationToken.None).GetAwaiter().GetResult();
        var spam = labels.Count(l => l.Label.IsSpam);
        var blogText = blog is not null
            ? $"In use: learned from {blog.Labels} of this blog's decisions, on top of the model above; rebuilt after every decision, so it counts from the next comments scored."
            : blogs.Error is { } failed ? failed + " The model above decides alone meanwhile."
            : $"Not yet: it needs {BlogModel.MinLabels} decisions with at least {BlogModel.MinEachKind} spam and {BlogModel.MinEachKind} approved (now {spam} spam, {labels.Count - spam} approved).";
        var versions = models.Versions().Reverse().Append("shipped").Select(v => new ModelVersionRow(
            v,
            v == "shipped" ? options.ModelPath : v,
            v == inUse || (v == "shipped" && inUse.StartsWith("shipped", StringComparison.Ordinal)),
            models.Describe(v))).ToList();
        Show<Views.ModelView>("Spam model", new ModelModel(
            Links(),
            models.Error,
            inUse,
            models.Describe(inUse) ?? "No figures were saved with this model.",
            string.Create(CultureInfo.InvariantCulture, $"approved at or below {options.HamThreshold:0.00}, spam at or above {options.SpamThreshold:0.00}, between them a person decides"),
            $"{labels.Count} decisions ({spam} spam, {labels.Count - spam} not spam), each weighing {options.LocalLabelWeight.ToString(CultureInfo.InvariantCulture)} corpus comments in the next retrain"
                + (Get<IBlogSyncStore>().CountBlogLabelsAsync(CancellationToken.None).GetAwaiter().GetResult() is > 0 and var fromBlogs
                    ? $"; learned from {fromBlogs} of the blogs' own decisions (their history imported from WordPress, and decisions taken in wp-admin)" : string.Empty),
            blogText,
            $"On the schedule \"{options.RetrainCron}\" (UTC); a candidate is promoted only if it is not worse on the held-out sets and, by {ModelRetrainer.Folds}-fold cross-validation, on this blog's decisions, and not identical to the model in use.",
            versions));
    }

    /// <summary>Runs the retrain job now (it records its result like the scheduled one).</summary>
    public static bool Retrain(DashboardContext context)
    {
        context.GetHttpContext().RequestServices.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(Jobs.RetrainJob.RecurringJobId);
        return true;
    }

    /// <summary>Rolls back (or forward) to a saved version; false (422) when it cannot be loaded.</summary>
    public static bool Activate(DashboardContext context)
    {
        try
        {
            context.GetHttpContext().RequestServices.GetRequiredService<SpamModelProvider>().Activate(context.UriMatch.Groups["version"].Value);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
