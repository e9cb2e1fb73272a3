using System.Globalization;
using AgleaFeeds.Scoring;
using AgleaFeeds.Storage;
using Hangfire;
using Hangfire.Dashboard;
using Hangfire.Dashboard.Pages;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Host.Dashboard;

/// <summary>
/// The spam model: the version in use and its held-out figures, the moderators' labels the next
/// retrain will learn from, retrain now, every promoted version with its figures, and roll back.
/// </summary>
internal sealed class ModelPage : RazorPage
{
    public const string Path = "/model";
    public const string RetrainRoute = "/model/retrain";
    public const string ActivateRoute = "/model/activate/(?<version>shipped|\\d{8}T\\d{6}Z)";

    public override void Execute()
    {
        Layout = new LayoutPage("Spam model");
        var services = Context.GetHttpContext().RequestServices;
        var models = services.GetRequiredService<SpamModelProvider>();
        var options = services.GetRequiredService<IOptions<ScoringOptions>>().Value;
        var labels = services.GetRequiredService<IFeedStore>().ListModeratorLabelsAsync(CancellationToken.None).GetAwaiter().GetResult();
        var inUse = models.Version;

        WriteLiteral("<div class=\"row\"><div class=\"col-md-12\"><h1 class=\"page-header\">Spam model</h1>");
        if (models.Error is { } error)
        {
            WriteLiteral("<div class=\"alert alert-danger model-error\">");
            Write(error);
            WriteLiteral(" Comments wait for a person until a model is available.</div>");
        }

        WriteLiteral("<dl class=\"dl-horizontal\"><dt>In use</dt><dd class=\"model-version\"><code>");
        Write(inUse);
        WriteLiteral("</code></dd><dt>Figures</dt><dd class=\"model-figures\"><pre style=\"white-space:pre-wrap\">");
        Write(models.Describe(inUse) ?? "No figures were saved with this model.");
        WriteLiteral("</pre></dd><dt>Thresholds</dt><dd>");
        Write(string.Create(CultureInfo.InvariantCulture, $"approved at or below {options.HamThreshold:0.00}, spam at or above {options.SpamThreshold:0.00}, between them a person decides"));
        WriteLiteral("</dd><dt>Moderator labels</dt><dd class=\"model-labels\">");
        Write($"{labels.Count} decisions ({labels.Count(l => l.Label.IsSpam)} spam, {labels.Count(l => !l.Label.IsSpam)} not spam), each weighing {options.LocalLabelWeight.ToString(CultureInfo.InvariantCulture)} corpus comments in the next retrain");
        WriteLiteral("</dd><dt>Retrain</dt><dd>");
        Write($"on the schedule \"{options.RetrainCron}\" (UTC); a candidate is promoted only if it is not worse on the held-out sets. ");
        WriteLiteral("The last result is on <a href=\"");
        Write(Url.To("/recurring"));
        WriteLiteral("\">Recurring Jobs</a>.");
        if (!IsReadOnly)
        {
            WriteLiteral(" <button type=\"button\" class=\"btn btn-sm btn-primary js-retrain\" data-ajax=\"");
            Write(Url.To(RetrainRoute));
            WriteLiteral("\">Retrain now</button>");
        }

        WriteLiteral("</dd></dl><h3>Versions</h3><table class=\"table table-striped\" id=\"model-versions\"><thead><tr><th>Version</th><th>Trained on, and held-out figures</th><th></th></tr></thead><tbody>");
        var versions = models.Versions().Reverse().Append("shipped");
        foreach (var version in versions)
        {
            var current = version == inUse || (version == "shipped" && inUse.StartsWith("shipped", StringComparison.Ordinal));
            WriteLiteral(current ? "<tr class=\"success\"><td><code>" : "<tr><td><code>");
            Write(version == "shipped" ? $"shipped ({options.ModelPath})" : version);
            WriteLiteral("</code>");
            WriteLiteral(current ? " <span class=\"label label-success\">in use</span>" : string.Empty);
            WriteLiteral("</td><td><pre style=\"white-space:pre-wrap;margin:0\">");
            Write(models.Describe(version) ?? "—");
            WriteLiteral("</pre></td><td>");
            if (!IsReadOnly && !current)
            {
                WriteLiteral("<button type=\"button\" class=\"btn btn-sm btn-default js-activate\" data-confirm=\"");
                Write($"Score new comments with {version} from now on?");
                WriteLiteral("\" data-ajax=\"");
                Write(Url.To($"/model/activate/{version}"));
                WriteLiteral("\">Use this version</button>");
            }

            WriteLiteral("</td></tr>");
        }

        WriteLiteral("</tbody></table></div></div>");
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
