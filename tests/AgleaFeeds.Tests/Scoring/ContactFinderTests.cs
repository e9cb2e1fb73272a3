using AgleaFeeds.Scoring;

namespace AgleaFeeds.Tests.Scoring;

public class ContactFinderTests
{
    [Theory]
    [InlineData("buy now at cheap-pills.xyz", "cheap-pills.xyz")]
    [InlineData("visit bestdeals.top today", "bestdeals.top")]
    [InlineData("see my site example.co.uk", "example.co.uk")]
    [InlineData("go to shop.example.ru/buy?id=1", "example.ru")]
    [InlineData("cheap replicas on watches dot com", "watches.com")]
    [InlineData("cheap replicas on watches [dot] com", "watches.com")]
    [InlineData("cheap replicas on watches(.)net now", "watches.net")]
    [InlineData("cheap replicas on watches . com now", "watches.com")]
    [InlineData("w w w . c h e a p . c o m", "cheap.com")]
    [InlineData("visit раypal-login.com now", "paypal-login.com")]
    [InlineData("visit ｃｈｅａｐ．ｃｏｍ now", "cheap.com")]
    [InlineData("short link bit.ly/3xYz", "bit.ly")]
    [InlineData("my channel: www.youtube.com/user/someone", "youtube.com")]
    [InlineData("hxxp://malware.example.net/x", "example.net")]
    public void Find_LinksAsSpammersWriteThem(string text, string site)
    {
        var found = ContactFinder.Find(text);

        Assert.Contains(site, found.Sites);
        Assert.True(found.Links >= 1, $"{text}: {found}");
    }

    [Theory]
    [InlineData("Use System.IO.File and JSON.NET, then run setup.py and read README.md.")]
    [InlineData("thanks.it works now")]
    [InlineData("Open archive.zip from the release page and check e.g. the ASP.NET Core docs.")]
    [InlineData("Version 2.5 fixed it, i.e. the 3.1.4 release.")]
    [InlineData("@maria I agree with you, great post!")]
    [InlineData("The call to os.path.join() and window.location = x both fail.")]
    [InlineData("It costs 1,299.99 dollars a year, 15 % more than in 2019.")]
    public void Find_CodeAbbreviationsAndNumbers_AreNotContacts(string text)
    {
        var found = ContactFinder.Find(text);

        Assert.True(found.Total == 0, $"{text}: {found}");
    }

    [Theory]
    [InlineData("Call our support number +1 (888) 857-5307 any time", 0, 1, 0)]
    [InlineData("QuickBooks support 1-800-642-7676 toll free", 0, 1, 0)]
    [InlineData("write to me: lucy.jones@gmail.com", 1, 0, 0)]
    [InlineData("write to me: lucy.jones (at) gmail dot com", 1, 0, 0)]
    [InlineData("Contact me on WhatsApp +44 7911 123456 for a loan", 0, 1, 1)]
    [InlineData("add me on telegram @cryptoking77", 0, 0, 1)]
    [InlineData("add me on skype: john.doe77 for the offer", 0, 0, 1)]
    [InlineData("Log in at icicibank.com and enter the code", 0, 0, 0)]
    [InlineData("how can there be 2.124.821.694 views when I am the only one left", 0, 0, 0)]
    [InlineData("Pls send his number to my skype.", 0, 0, 0)]
    public void Find_EmailsPhonesAndHandles(string text, int emails, int phones, int handles)
    {
        var found = ContactFinder.Find(text);

        Assert.Equal((emails, phones, handles), (found.Emails, found.Phones, found.Handles));
    }

    [Fact]
    public void Find_TheBlogsOwnLinks_AreCountedApart()
    {
        var found = ContactFinder.Find(
            "see https://blog.agla.example/2024/jack-ma/ and https://agla.example/about and http://elsewhere.example.net/",
            ["/2024/other-post/"],
            ["agla.example"]);

        Assert.Equal(3, found.OwnLinks);
        Assert.Equal(["example.net"], found.Sites);
        Assert.Equal(1, found.Links);
    }

    [Fact]
    public void Find_AnHrefAndTheSameUrlAsItsText_AreOneLink()
    {
        var found = ContactFinder.Find("https://github.com/dotnet/runtime", ["https://github.com/dotnet/runtime"]);

        Assert.Equal(1, found.Links);
        Assert.Equal(["github.com"], found.Sites);
    }

    [Fact]
    public void Find_Shorteners_AreCounted()
    {
        Assert.Equal(2, ContactFinder.Find("http://bit.ly/abc and tinyurl.com/xyz").Shorteners);
    }

    [Fact]
    public void Describe_SaysWhatAModeratorShouldLookAt()
    {
        Assert.Equal("contacts: links to cheap-pills.xyz (written without http, obfuscated), 1 phone number", ContactFinder.Find("buy at cheap-pills dot xyz or call +1 (888) 857-5307").Describe());
        Assert.Null(ContactFinder.Find("no contacts here").Describe());
    }
}
