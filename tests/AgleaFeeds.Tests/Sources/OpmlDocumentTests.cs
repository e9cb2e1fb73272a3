using System.Text;
using System.Xml;
using AgleaFeeds.Model;
using AgleaFeeds.Sources;

namespace AgleaFeeds.Tests.Sources;

public class OpmlDocumentTests
{
    private static MemoryStream Stream(string s) => new(Encoding.UTF8.GetBytes(s));

    [Fact]
    public void Read_ProjectSourcesFile_ListsTheSampleBlogOnThisService()
    {
        using var file = File.OpenRead(Path.Combine(TestFiles.RepositoryRoot, "feeds", "sources.opml"));

        var source = Assert.Single(OpmlDocument.Read(file, new Uri("http://127.0.0.1:8123/")));

        Assert.Equal("AGLA Blog", source.Title);
        Assert.Equal("http://127.0.0.1:8123/samples/agla/feed/", source.FeedUrl);
        Assert.Equal("http://127.0.0.1:8123/samples/agla/", source.SiteUrl);
    }

    [Fact]
    public void Read_PathWithoutThisServiceOrProtocolRelative_IsSkipped()
    {
        const string Opml = """
            <opml version="2.0"><body>
              <outline text="Here" xmlUrl="/samples/agla/feed/" />
              <outline text="Elsewhere" xmlUrl="//cdn.example/feed/" />
            </body></opml>
            """;

        Assert.Empty(OpmlDocument.Read(Stream(Opml)));
        var here = Assert.Single(OpmlDocument.Read(Stream(Opml), new Uri("http://[::1]:9000/")));
        Assert.Equal("http://[::1]:9000/samples/agla/feed/", here.FeedUrl);
    }

    [Fact]
    public void Read_NestedFoldersAndJunk_KeepsHttpFeedsOnceEach()
    {
        const string Opml = """
            <opml version="2.0"><body>
              <outline text="Folder">
                <outline text="A" xmlUrl="https://a.example/feed/" />
                <outline text="A again" xmlUrl="https://a.example/feed/" />
              </outline>
              <outline text="No URL" />
              <outline text="File" xmlUrl="file:///etc/passwd" />
              <outline xmlUrl="https://b.example/feed/" />
            </body></opml>
            """;

        var sources = OpmlDocument.Read(Stream(Opml));

        Assert.Equal(["A", "https://b.example/feed/"], sources.Select(s => s.Title));
    }

    [Fact]
    public void Read_PollInterval_InMinutesOrAsATimeSpan()
    {
        const string Opml = """
            <opml version="2.0"><body>
              <outline text="A" xmlUrl="https://a.example/feed/" pollInterval="30" />
              <outline text="B" xmlUrl="https://b.example/feed/" pollInterval="02:00:00" />
              <outline text="C" xmlUrl="https://c.example/feed/" />
            </body></opml>
            """;

        var sources = OpmlDocument.Read(Stream(Opml));

        Assert.Equal([TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), null], sources.Select(s => s.PollInterval));
    }

    [Theory]
    [InlineData("<opml version=\"2.0\"><body><outline xmlUrl=\"https://a.example/\" pollInterval=\"0\" /></body></opml>")]
    [InlineData("<opml version=\"2.0\"><body><outline xmlUrl=\"https://a.example/\" pollInterval=\"often\" /></body></opml>")]
    public void Read_BadPollInterval_SaysWhy(string text)
    {
        var error = Assert.Throws<XmlException>(() => OpmlDocument.Read(Stream(text)));

        Assert.StartsWith("Sources: pollInterval", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<html><body/></html>")]
    [InlineData("<opml><body>")]
    public void Read_NotOpml_ThrowsXmlException(string text)
    {
        Assert.Throws<XmlException>(() => OpmlDocument.Read(Stream(text)));
    }

    [Fact]
    public void Write_ThenRead_RoundTrips()
    {
        var source = new Source { Title = "Blog & Co", FeedUrl = "https://blog.example/feed/", SiteUrl = "https://blog.example" };
        using var buffer = new MemoryStream();
        OpmlDocument.Write([source], DateTimeOffset.UnixEpoch).Save(buffer);
        buffer.Position = 0;

        var read = Assert.Single(OpmlDocument.Read(buffer));

        Assert.Equal(("Blog & Co", "https://blog.example/feed/", "https://blog.example"), (read.Title, read.FeedUrl, read.SiteUrl));
    }
}
