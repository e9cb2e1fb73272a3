using AgleaFeeds.Publishing;

namespace AgleaFeeds.Tests.Publishing;

public class PostFilterTests
{
    [Theory]
    [InlineData(new string[0], new[] { "Category=^Events$" }, "Meetup", "Minho", "Events", false)]
    [InlineData(new string[0], new[] { "Title=(?i)sponsored" }, "SPONSORED: buy", "Ann", "News", false)]
    [InlineData(new string[0], new[] { "Title=(?i)sponsored" }, "Garden day", "Ann", "News", true)]
    [InlineData(new[] { "Author=^Eun" }, new string[0], "Jack Ma", "Eun 'Anna' Kim", "Leadership", true)]
    [InlineData(new[] { "Author=^Eun" }, new string[0], "Meetup", "Minho", "Events", false)]
    [InlineData(new[] { "Category=Leadership" }, new[] { "Title=Jack" }, "Jack Ma", "Eun", "Leadership", false)]
    public void Allows_KeepAndBlockRules_AsMinifluxFilters(string[] keep, string[] block, string title, string author, string category, bool allowed)
    {
        Assert.Equal(allowed, new PostFilter(keep, block).Allows(title, author, [category]));
    }

    [Theory]
    [InlineData("Tags=x", "must be Title=, Category= or Author=")]
    [InlineData("Title=(", "is not a valid regular expression")]
    [InlineData("no rule", "must be Title=")]
    public void Validate_BadRules_StopTheServiceWithTheReason(string rule, string message)
    {
        var options = new PublishingOptions { BlockRules = [rule] };

        var errors = options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).ToList();

        Assert.Contains(errors, e => e.ErrorMessage!.Contains(message, StringComparison.Ordinal));
    }
}
