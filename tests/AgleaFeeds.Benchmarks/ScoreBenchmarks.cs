using AgleaFeeds.Scoring;
using BenchmarkDotNet.Attributes;

namespace AgleaFeeds.Benchmarks;

/// <summary>
/// Comments scored per second by the committed model (alone, and with a blog's model), one batch of 10,000 blog-like comments,
/// against reading the same comments' markup and numeric features alone (the baseline, in the same
/// process). Run on one core: taskset -c 0 dotnet run -c Release --project tests/AgleaFeeds.Benchmarks -- --filter '*Score*'
/// (comments per second = 10,000 / mean). ML.NET's code paths need many calls before the JIT's
/// tiering settles (a long-running service gets there in its first minute), hence the long warm-up.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 15, iterationCount: 15)]
public class ScoreBenchmarks
{
    private SpamModel _model = null!;
    private BlogModel _blog = null!;
    private (string, string?)[] _comments = [];
    private ScoringInput[] _inputs = [];
    private (string?, string?)[] _authors = [];

    [GlobalSetup]
    public void Setup()
    {
        _model = SpamModel.Load(Path.Combine(AgleaFeeds.Testing.Repository.Root, "models", "spam-model.zip"));
        string[] samples =
        [
            "<p>Thank you for such careful reporting, Anna. The part about sharing success is exactly what our circle needs.</p>",
            "<p>Great post!!! Get 10000 backlinks today, visit <a href=\"http://cheap-seo.example.net/buy\">cheap seo</a> now!!!</p>",
            "<p>좋은 기사 감사합니다! 다음 모임에서 이야기 나눠요 🙌</p>",
            "<p>Could we try a Saturday morning slot next time?</p>",
            "nice blog [url=http://replica-watches.example.biz]replica watches[/url] best price",
        ];
        _comments = Enumerable.Range(0, 10_000).Select(i => (samples[i % samples.Length] + $" #{i}", i % 3 == 0 ? (string?)$"https://reader{i}.example" : null)).ToArray();
        _inputs = _comments.Select(c => new ScoringInput(c.Item1, c.Item2)).ToArray();
        _authors = _comments.Select((c, i) => ((string?)$"Reader {i % 50}", c.Item2)).ToArray();
        // A blog's model of 200 decisions: the spam samples caught, the others approved.
        _blog = BlogModel.Train(_model, _comments.Take(200).Select((c, i) => new LabelledComment(c.Item1, i % samples.Length is 1 or 4, $"Reader {i % 50}", c.Item2)).ToList())!;
    }

    [Benchmark(Baseline = true, Description = "read 10,000 comments' markup (parse, visible text, links)")]
    public int Read()
    {
        var n = 0;
        foreach (var (content, authorUrl) in _comments)
        {
            n += CommentFeatures.TextAndLinks(content).Text.Length;
        }

        return n;
    }

    [Benchmark(Description = "score 10,000 comments (one batch)")]
    public int Score() => _model.Score(_comments).Count;

    [Benchmark(Description = "score 10,000 comments with this blog's model of 200 decisions")]
    public int ScoreWithBlogModel() => _blog.Assess(_model.Assess(_inputs), _authors).Count;
}
