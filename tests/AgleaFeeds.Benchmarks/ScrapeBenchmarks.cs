using System.Text;
using AgleaFeeds.Scraping;
using BenchmarkDotNet.Attributes;
using HtmlAgilityPack;

namespace AgleaFeeds.Benchmarks;

/// <summary>
/// Scraping a 200-comment post page (classic HTML5 walker, threads three deep), against the floor:
/// HtmlAgilityPack loading the same page and doing nothing else. The ratio is what the scraper adds.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 15)]
public class ScrapeBenchmarks
{
    private static readonly Uri PageUrl = new("https://blog.example.org/2025/04/02/community-garden/");
    private string _html = string.Empty;

    /// <summary>Builds the page once: 50 threads of a comment, a reply, a reply to that, and a second top-level comment.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var sb = new StringBuilder("<!doctype html><html><head><meta charset=\"UTF-8\"><title>Garden</title></head><body><article><h1 class=\"entry-title\">Garden</h1><div class=\"entry-content\"><p>Body</p></div></article>");
        sb.Append("<div id=\"comments\"><h2 class=\"comments-title\">200 thoughts on &ldquo;Garden&rdquo;</h2><ol class=\"comment-list\">");
        var id = 1;
        for (var thread = 0; thread < 50; thread++)
        {
            var top = id++;
            sb.Append(Open(top, 1)).Append("<ol class=\"children\">");
            var reply = id++;
            sb.Append(Open(reply, 2)).Append("<ol class=\"children\">").Append(Open(id++, 3)).Append("</li></ol></li></ol></li>");
            sb.Append(Open(id++, 1)).Append("</li>");
        }

        _html = sb.Append("</ol></div></body></html>").ToString();
        if (PostPageParser.Parse(_html, PageUrl).Page?.Comments.Count != 200)
        {
            throw new InvalidOperationException("Benchmarks: the generated page does not hold 200 comments.");
        }
    }

    [Benchmark(Baseline = true, Description = "HtmlDocument.LoadHtml (baseline)")]
    public HtmlNode LoadOnly()
    {
        var doc = new HtmlDocument();
        doc.LoadHtml(_html);
        return doc.DocumentNode;
    }

    [Benchmark(Description = "PostPageParser.Parse, 200 comments")]
    public int Scrape() => PostPageParser.Parse(_html, PageUrl).Page!.Comments.Count;

    private static string Open(int id, int depth) => $"""
        <li id="comment-{id}" class="comment even depth-{depth}"><article id="div-comment-{id}" class="comment-body"><footer class="comment-meta">
        <div class="comment-author vcard"><img alt='' src='https://secure.gravatar.com/avatar/{id}?s=60' class='avatar avatar-60 photo' height='60' width='60'/>
        <b class="fn"><a href="https://reader{id}.example/" class="url" rel="ugc external nofollow">Reader {id}</a></b> <span class="says">says:</span></div>
        <div class="comment-metadata"><a href="https://blog.example.org/2025/04/02/community-garden/#comment-{id}"><time datetime="2025-04-02T10:{id % 60:00}:00+00:00">April 2, 2025</time></a></div>
        </footer><div class="comment-content"><p>Comment {id} with <a href="https://example.com/{id}">a link</a> &amp; some “quoted” text.</p></div>
        <div class="reply"><a rel="nofollow" class="comment-reply-link" href="#comment-{id}">Reply</a></div></article>
        """;
}
