using System.Diagnostics;
using AgleaFeeds.Storage;
using Microsoft.Data.Sqlite;

namespace AgleaFeeds.Benchmarks;

/// <summary>
/// Storing on first sync: N comments (20 per post, 10 posts per blog, as the polling farm) written through
/// the store as polls write them (one SavePollAsync per blog: its posts, then its comments), and, in the same
/// process on the same disk, the floor: the same rows inserted by one prepared statement per table, one transaction per blog, with the
/// store's pragmas, into bare tables (no index but the rowid) and into the store's own tables. Prints both rates
/// and their ratio (goal: the store at least half the floor).
/// Usage: dotnet run -c Release --project tests/AgleaFeeds.Benchmarks -- store [N=200000]
/// </summary>
internal static class StoringBenchmark
{
    private const int PostsPerBlog = 10;
    private const int CommentsPerPost = 20;

    public static async Task<int> RunAsync(int comments)
    {
        var blogs = Math.Max(1, comments / (PostsPerBlog * CommentsPerPost));
        var folder = Path.Combine(Path.GetTempPath(), "agleafeeds-storing-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var bare = await FloorAsync(Path.Combine(folder, "bare"), blogs, schema: false).ConfigureAwait(false);
            var same = await FloorAsync(Path.Combine(folder, "schema"), blogs, schema: true).ConfigureAwait(false);
            var store = await StoreAsync(Path.Combine(folder, "store"), blogs).ConfigureAwait(false);
            var n = blogs * PostsPerBlog * CommentsPerPost;
            Console.WriteLine($"comments: {n:N0} ({blogs:N0} blogs x {PostsPerBlog} posts x {CommentsPerPost}), with their {blogs * PostsPerBlog:N0} posts; one transaction per blog");
            Console.WriteLine($"floor: bare batched insert, tables without indexes: {bare.TotalSeconds,6:0.00} s  {n / bare.TotalSeconds,9:N0} comments/s");
            Console.WriteLine($"floor: bare batched insert, the store's tables:     {same.TotalSeconds,6:0.00} s  {n / same.TotalSeconds,9:N0} comments/s");
            Console.WriteLine($"through the store (SavePollAsync, as a poll):       {store.TotalSeconds,6:0.00} s  {n / store.TotalSeconds,9:N0} comments/s");
            Console.WriteLine($"ratio store / bare tables floor: {bare.TotalSeconds / store.TotalSeconds:0.00}x; store / same tables floor: {same.TotalSeconds / store.TotalSeconds:0.00}x (goal >= 0.5x)");
            return 0;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<TimeSpan> StoreAsync(string folder, int blogs)
    {
        await using var store = new FeedStore(Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = folder }));
        await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var ids = new long[blogs];
        for (var b = 0; b < blogs; b++)
        {
            ids[b] = await store.AddSourceAsync(new SourceDefinition($"Blog {b}", $"http://127.0.0.1:9/blog{b}/feed/"), now, CancellationToken.None).ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        for (var b = 0; b < blogs; b++)
        {
            var (posts, comments) = Blog(b);
            var id = ids[b];
            await store.SavePollAsync(new PollWrite(id, now, posts, comments, []), _ => new SourcePollState { SourceId = id, PolledAt = now, NextPollAt = now.AddMinutes(15), Succeeded = true }, CancellationToken.None).ConfigureAwait(false);
        }

        return clock.Elapsed;
    }

    /// <summary>
    /// The same posts and comments inserted by one prepared statement each, one transaction per blog, with the
    /// store's pragmas: into bare tables (no index but the rowid) when <paramref name="schema"/> is false, else
    /// into the store's own tables (its migrations, so its indexes) — what the store's code adds is then the gap.
    /// </summary>
    private static async Task<TimeSpan> FloorAsync(string folder, int blogs, bool schema)
    {
        string path;
        if (schema)
        {
            await using (var store = new FeedStore(Microsoft.Extensions.Options.Options.Create(new StorageOptions { DataDirectory = folder })))
            {
                await store.MigrateAsync(CancellationToken.None).ConfigureAwait(false);
                await store.AddSourceAsync(new SourceDefinition("Floor", "http://127.0.0.1:9/floor/feed/"), DateTimeOffset.UtcNow, CancellationToken.None).ConfigureAwait(false);
            }

            path = new StorageOptions { DataDirectory = folder }.DatabasePath;
        }
        else
        {
            Directory.CreateDirectory(folder);
            path = Path.Combine(folder, "floor.db");
        }

        using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; " + SqliteDatabase.Pragmas + (schema ? string.Empty : """
                CREATE TABLE posts (id INTEGER PRIMARY KEY, source_id INTEGER, key TEXT, guid TEXT, link TEXT, title TEXT, author TEXT, published_at INTEGER,
                    summary_html TEXT, content_html TEXT, comments_url TEXT, comment_feed_url TEXT, feed_comment_count INTEGER, wp_post_id INTEGER,
                    content_hash TEXT, first_seen_at INTEGER, last_seen_at INTEGER, changed_at INTEGER);
                CREATE TABLE comments (id INTEGER PRIMARY KEY, post_id INTEGER, key TEXT, wp_comment_id INTEGER, guid TEXT, link TEXT, author TEXT,
                    author_url TEXT, published_at INTEGER, content_html TEXT, content_text TEXT, seen_in TEXT, status TEXT, first_seen_at INTEGER,
                    last_seen_at INTEGER, type TEXT, content_rank INTEGER, changed_at INTEGER);
                """);
            setup.ExecuteNonQuery();
        }

        using var post = Prepared(connection, """
            INSERT INTO posts (source_id, key, guid, link, title, author, published_at, summary_html, content_html, comments_url, comment_feed_url,
                               feed_comment_count, wp_post_id, content_hash, first_seen_at, last_seen_at, changed_at)
            VALUES (1, $key, $guid, $link, $title, $author, $published, $summary, $html, $comments, $feed, $count, $wp, $hash, $now, $now, $now)
            RETURNING id
            """, "$key", "$guid", "$link", "$title", "$author", "$published", "$summary", "$html", "$comments", "$feed", "$count", "$wp", "$hash", "$now");
        using var comment = Prepared(connection, """
            INSERT INTO comments (post_id, key, wp_comment_id, guid, link, author, author_url, published_at, content_html, content_text, seen_in, status,
                                  first_seen_at, last_seen_at, type, content_rank, changed_at)
            VALUES ($post, $key, $wp, $guid, $link, $author, NULL, $published, $html, $text, $seenIn, 'Pending', $now, $now, 'comment', 1, $now)
            """, "$post", "$key", "$wp", "$guid", "$link", "$author", "$published", "$html", "$text", "$seenIn", "$now");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < blogs; b++)
        {
            var (posts, comments) = Blog(b);
            using var tx = connection.BeginTransaction();
            (post.Transaction, comment.Transaction) = (tx, tx);
            var postIds = new long[posts.Count];
            for (var k = 0; k < posts.Count; k++)
            {
                var p = posts[k];
                postIds[k] = (long)Run(post, p.Key + "@" + b, p.Guid + "@" + b, p.Link, p.Title, p.Author, p.PublishedAt?.ToUnixTimeMilliseconds(), p.SummaryHtml, p.ContentHtml,
                    p.CommentsUrl, p.CommentFeedUrl, p.FeedCommentCount, p.WordPressId, string.Empty, now)!;
            }

            for (var k = 0; k < comments.Count; k++)
            {
                var c = comments[k];
                Run(comment, postIds[k / CommentsPerPost], c.Key, c.WordPressId, c.Guid, c.Link, c.Author, c.PublishedAt?.ToUnixTimeMilliseconds(), c.ContentHtml, c.ContentText, c.SeenIn, now);
            }

            tx.Commit();
        }

        return clock.Elapsed;
    }

    private static SqliteCommand Prepared(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static object? Run(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }

        return command.ExecuteScalar();
    }

    /// <summary>One blog as its feeds map it: 10 posts of about 4 KB, 20 comments of 25 words on each.</summary>
    private static (List<PostUpsert> Posts, List<CommentUpsert> Comments) Blog(int b)
    {
        var rng = new Random(b);
        string Words(int n) => string.Join(' ', Enumerable.Range(0, n).Select(_ => Vocabulary[rng.Next(Vocabulary.Length)]));
        var site = $"http://127.0.0.1:9/blog{b}";
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(b);
        var posts = new List<PostUpsert>();
        var comments = new List<CommentUpsert>();
        for (var p = 0; p < PostsPerBlog; p++)
        {
            var link = $"{site}/2025/01/{p + 1:00}/post-{p}/";
            var guid = $"{site}/?p={1000 + p}";
            posts.Add(new PostUpsert
            {
                Key = guid, Guid = guid, Link = link, Title = $"Post {p}: {Words(6)}", Author = $"Author {b}", PublishedAt = start.AddDays(p),
                SummaryHtml = Words(40), ContentHtml = string.Concat(Enumerable.Range(0, 7).Select(_ => $"<p>{Words(60)}</p>\n")),
                CommentsUrl = link + "#comments", CommentFeedUrl = link + "feed/", FeedCommentCount = CommentsPerPost, WordPressId = 1000 + p,
            });
            for (var c = 0; c < CommentsPerPost; c++)
            {
                var id = (1000 + p) * 100 + c;
                var text = Words(25);
                comments.Add(new CommentUpsert
                {
                    PostLink = link, PostGuid = guid, PostTitle = $"Post {p}", Key = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    WordPressId = id, Guid = $"{guid}#comment-{id}", Link = $"{link}#comment-{id}", Author = $"Reader {c}", PublishedAt = start.AddDays(p).AddHours(c + 1),
                    ContentHtml = $"<p>{text}</p>", ContentText = text, SeenIn = "post-feed",
                });
            }
        }

        return (posts, comments);
    }

    private static readonly string[] Vocabulary = ("community members meetup founders lessons failure success mentoring volunteer scholarship "
        + "seoul event report thanks question answer network career story learning growth share").Split(' ');
}
