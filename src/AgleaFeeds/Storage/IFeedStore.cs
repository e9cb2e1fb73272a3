using AgleaFeeds.Model;

namespace AgleaFeeds.Storage;

/// <summary>
/// Everything the pipeline keeps. Writes are idempotent upserts by natural key inside one
/// transaction each, so a job can run twice (a retry, two servers) and the store ends the same.
/// </summary>
public interface IFeedStore
{
    /// <summary>Applies the numbered migrations not yet applied.</summary>
    Task MigrateAsync(CancellationToken ct);

    /// <summary>Adds a source, or returns the id of the one with that feed URL.</summary>
    Task<long> AddSourceAsync(SourceDefinition source, DateTimeOffset now, CancellationToken ct);

    /// <summary>Adds sources in one transaction (an OPML import), or finds those already stored; their ids, in order.</summary>
    Task<IReadOnlyList<long>> AddSourcesAsync(IReadOnlyList<SourceDefinition> sources, DateTimeOffset now, CancellationToken ct);

    /// <summary>Gets a source with its post and comment counts, or null.</summary>
    Task<Source?> GetSourceAsync(long id, CancellationToken ct);

    /// <summary>
    /// What a poll of a source reads before it fetches, in one round trip: the source (its post and comment counts
    /// left at 0: a poll does not use them, and counting is most of reading a source), the validators of its other
    /// feeds by URL, and the slice of its posts each poll checks again: up to <paramref name="recheckLimit"/>, least
    /// recently scraped first (never scraped first), none before the source's first full read. Null when the source
    /// does not exist.
    /// </summary>
    Task<PollStart?> GetPollStartAsync(long sourceId, int recheckLimit, CancellationToken ct);

    /// <summary>
    /// <see cref="GetPollStartAsync"/> for several sources in one read (a batch of polls), by source id; a source
    /// that does not exist is not in it.
    /// </summary>
    Task<IReadOnlyDictionary<long, PollStart>> GetPollStartsAsync(IReadOnlyList<long> sourceIds, int recheckLimit, CancellationToken ct);

    /// <summary>Lists every source with its counts, ordered by title.</summary>
    Task<IReadOnlyList<Source>> ListSourcesAsync(CancellationToken ct);

    /// <summary>Lists the ids of every source, in id order, without reading anything else.</summary>
    Task<IReadOnlyList<long>> ListSourceIdsAsync(CancellationToken ct);

    /// <summary>Makes a source due now (a moderator's "poll now").</summary>
    Task MakeDueAsync(long id, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Leases up to <paramref name="max"/> due sources, oldest due first, to <paramref name="owner"/>, so that no
    /// other worker (on this host or another) polls them until the lease ends or <see cref="SavePollStateAsync"/>
    /// releases it. Concurrent claimers never get the same source.
    /// </summary>
    Task<IReadOnlyList<long>> ClaimDueSourcesAsync(DateTimeOffset now, int max, TimeSpan lease, string owner, CancellationToken ct);

    /// <summary>Leases the given sources to <paramref name="owner"/>, due or not, skipping those another poller holds; returns the ids leased.</summary>
    Task<IReadOnlyList<long>> ClaimSourcesAsync(IReadOnlyList<long> ids, DateTimeOffset now, TimeSpan lease, string owner, CancellationToken ct);

    /// <summary>
    /// Sets the lease of sources <paramref name="owner"/> still holds to end at <paramref name="until"/>, optionally
    /// handing them to <paramref name="newOwner"/> (the worker that polls them); returns the ids still held. A source
    /// whose lease ran out and was claimed by another worker, or whose poll was saved, is not among them.
    /// </summary>
    Task<IReadOnlyList<long>> RenewLeasesAsync(IReadOnlyList<long> ids, DateTimeOffset until, string owner, CancellationToken ct, string? newOwner = null);

    /// <summary>Ends the leases <paramref name="owner"/> holds on sources it gives back unpolled (a clean shutdown).</summary>
    Task ReleaseLeasesAsync(IReadOnlyList<long> ids, string owner, CancellationToken ct);

    /// <summary>
    /// Leases a post to the worker about to scrape it until <paramref name="until"/>; false when the post does not
    /// exist or another worker (on this host or another) is scraping it.
    /// </summary>
    Task<bool> ClaimScrapeAsync(long postId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct);

    /// <summary>Ends a scrape's lease, if <paramref name="owner"/> still holds it.</summary>
    Task ReleaseScrapeAsync(long postId, string owner, CancellationToken ct);

    /// <summary>Records a poll's outcome on its source and releases the lease.</summary>
    Task SavePollStateAsync(SourcePollState state, CancellationToken ct);

    /// <summary>Records the outcome of several polls that stored nothing else, in one transaction.</summary>
    Task SavePollStatesAsync(IReadOnlyList<SourcePollState> states, CancellationToken ct);

    /// <summary>Inserts new posts and updates known ones; reports what changed.</summary>
    Task<IReadOnlyList<PostChange>> UpsertPostsAsync(long sourceId, IReadOnlyList<PostUpsert> posts, DateTimeOffset now, CancellationToken ct);

    /// <summary>Inserts new comments (status Pending, with a moderation event) and refreshes known ones; returns how many were new.</summary>
    Task<int> UpsertCommentsAsync(long sourceId, IReadOnlyList<CommentUpsert> comments, DateTimeOffset now, CancellationToken ct);


    /// <summary>Gets the validators a source stored for one URL, or null.</summary>
    Task<HttpValidators?> GetValidatorAsync(long sourceId, string url, CancellationToken ct);

    /// <summary>Gets the WordPress ids of a source's stored comments of type comment that are not marked removed.</summary>
    Task<IReadOnlySet<long>> GetPublishedCommentIdsAsync(long sourceId, CancellationToken ct);

    /// <summary>Gets the WordPress ids of a source's stored posts the blog has not stopped publishing.</summary>
    Task<IReadOnlySet<long>> GetPublishedPostIdsAsync(long sourceId, CancellationToken ct);

    /// <summary>Gets the comment count the feed last announced for each of a source's posts, by post key.</summary>
    Task<IReadOnlyDictionary<string, int?>> GetPostCommentCountsAsync(long sourceId, CancellationToken ct);

    /// <summary>
    /// Stores everything one poll found in one transaction: posts, then comments, then the validators
    /// of the comment feeds read, then the source's state, which may depend on what the write did.
    /// </summary>
    Task<PollWriteResult> SavePollAsync(PollWrite write, Func<PollWriteResult, SourcePollState> state, CancellationToken ct);

    /// <summary>Stores the validators of a source's secondary feed URL.</summary>
    Task SaveValidatorsAsync(long sourceId, string url, HttpValidators validators, DateTimeOffset now, CancellationToken ct);

    /// <summary>Gets a post, or null.</summary>
    Task<Post?> GetPostAsync(long id, CancellationToken ct);

    /// <summary>Lists the newest posts of every source, with their scrape state.</summary>
    Task<IReadOnlyList<Post>> ListRecentPostsAsync(int limit, CancellationToken ct);


    /// <summary>Lists the ids of posts published (or first seen) since the given instant, newest first.</summary>
    Task<IReadOnlyList<long>> ListRecentPostIdsAsync(DateTimeOffset since, CancellationToken ct);

    /// <summary>
    /// Stores a scrape in one transaction: the page's view of the post, its comments (new ones Pending,
    /// known ones completed with parent, depth and type), and, after a complete scrape, marks the
    /// comments the page no longer shows as removed.
    /// </summary>
    Task<ScrapeWriteResult> SaveScrapeAsync(ScrapeWrite write, CancellationToken ct);

    /// <summary>Lists pending comments no scoring has judged yet (oldest first), with their rule context.</summary>
    Task<IReadOnlyList<ScoringCandidate>> ListUnscoredCommentsAsync(int limit, CancellationToken ct);

    /// <summary>
    /// Records verdicts as moderation events and applies their status, in one transaction; a comment
    /// already judged by scoring or decided by a moderator keeps its status (the event says so).
    /// </summary>
    Task<int> ApplyVerdictsAsync(IReadOnlyList<VerdictWrite> verdicts, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Records a moderator's decision: the comment moves to <paramref name="status"/> with an event by
    /// the moderator. Returns false when the comment does not exist or, with <paramref name="expected"/>,
    /// is no longer in that status (checked in the same transaction).
    /// </summary>
    Task<bool> RecordDecisionAsync(long commentId, Model.CommentStatus status, string moderator, string? note, DateTimeOffset now, CancellationToken ct, Model.CommentStatus? expected = null);

    /// <summary>Lists the labels moderators gave: each comment's latest moderator decision, spam or approved, with its id.</summary>
    Task<IReadOnlyList<(long CommentId, AgleaFeeds.Scoring.LabelledComment Label)>> ListModeratorLabelsAsync(CancellationToken ct);

    /// <summary>
    /// Marks every comment waiting for a person that no moderator has decided on to be scored again (the
    /// model in use and this blog's latest decisions; Akismet's "Check for Spam"); returns how many.
    /// </summary>
    Task<int> MarkQueueForRecheckAsync(DateTimeOffset now, CancellationToken ct);

    /// <summary>Gets a value that changes whenever a moderator decides (the newest moderator event's id), 0 when none has.</summary>
    Task<long> ModeratorDecisionsStampAsync(CancellationToken ct);

    /// <summary>Lists the published posts of every source, newest first, with their approved comment counts.</summary>
    Task<IReadOnlyList<FeedPost>> ListFeedPostsAsync(int offset, int limit, CancellationToken ct);

    /// <summary>Lists approved comments (of one post, or all), newest first, never removed ones.</summary>
    Task<IReadOnlyList<FeedComment>> ListApprovedCommentsAsync(long? postId, int offset, int limit, CancellationToken ct);

    /// <summary>
    /// Gets when the store last changed what a feed shows: the posts (all, or one), the comments (all, or
    /// one post's), or both; content, status, removal, hiding. The store's creation when nothing changed yet.
    /// </summary>
    Task<DateTimeOffset> GetLastChangeAsync(long? postId, bool posts, bool comments, CancellationToken ct);

    /// <summary>Gets a stamp that changes whenever anything a feed shows may have changed.</summary>
    Task<string> GetContentVersionAsync(CancellationToken ct);

    /// <summary>
    /// Gets how many write transactions this process has committed through the store: while it stays the same, only
    /// another process (another host, the command line) can have changed the content.
    /// </summary>
    long LocalWrites { get; }

    /// <summary>Hides a post (and its comments) from the curated feeds, or shows it again; false when there is no such post.</summary>
    Task<bool> SetPostHiddenAsync(long postId, bool hidden, string moderator, DateTimeOffset now, CancellationToken ct);

    /// <summary>Lists comments of one status for moderators, newest first, with post, parent and latest verdict.</summary>
    Task<IReadOnlyList<ModerationItem>> ListForModerationAsync(ModerationQuery query, int offset, int limit, CancellationToken ct);

    /// <summary>Counts an author's comments (same name on the same blog) by status: their record for moderators.</summary>
    Task<IReadOnlyDictionary<Model.CommentStatus, int>> CountAuthorCommentsAsync(long commentId, CancellationToken ct);

    /// <summary>Gets a comment, or null.</summary>
    Task<Model.Comment?> GetCommentAsync(long id, CancellationToken ct);

    /// <summary>Counts the comments of every status.</summary>
    Task<IReadOnlyDictionary<Model.CommentStatus, int>> CountCommentsByStatusAsync(CancellationToken ct);

    /// <summary>How many posts and approved comments the curated feeds can carry (before Publishing:KeepRules and BlockRules).</summary>
    Task<(int Posts, int Comments)> CountPublishableAsync(CancellationToken ct);

    /// <summary>Lists a source's posts, newest first.</summary>
    Task<IReadOnlyList<Post>> ListPostsAsync(long sourceId, CancellationToken ct);

    /// <summary>Lists a post's comments, oldest first.</summary>
    Task<IReadOnlyList<Comment>> ListCommentsAsync(long postId, CancellationToken ct);

    /// <summary>Lists a comment's moderation history, oldest first.</summary>
    Task<IReadOnlyList<ModerationEvent>> ListEventsAsync(long commentId, CancellationToken ct);

    /// <summary>Lists the moderators' trust and block entries.</summary>
    Task<IReadOnlyList<AuthorRule>> ListAuthorRulesAsync(CancellationToken ct);

    /// <summary>Trusts or blocks an author, e-mail domain or URL domain (replacing an entry for the same value).</summary>
    Task SetAuthorRuleAsync(AuthorRuleKind kind, string value, AuthorRuleAction action, string moderator, DateTimeOffset now, CancellationToken ct);

    /// <summary>Removes an entry; false when there is none with that id.</summary>
    Task<bool> RemoveAuthorRuleAsync(long id, CancellationToken ct);

    /// <summary>Removes a source with its posts, comments and their history, and remembers its feed URL as removed; false when there is none.</summary>
    Task<bool> RemoveSourceAsync(long id, string moderator, DateTimeOffset now, CancellationToken ct);

    /// <summary>
    /// Moves a source from one origin to another ("http://127.0.0.1:5080" to "http://127.0.0.1:8080"): every
    /// address stored for it, its posts and comments (keys, links, content) rewritten, validators forgotten.
    /// </summary>
    Task MoveSourceOriginAsync(long id, string from, string to, CancellationToken ct);

    /// <summary>The feed URLs an operator removed (adding one again explicitly forgets the removal).</summary>
    Task<IReadOnlySet<string>> ListRemovedFeedUrlsAsync(CancellationToken ct);

    /// <summary>How many comments are Spam now and were moved there (by scoring or a moderator) since the given instant.</summary>
    Task<int> CountSpamSinceAsync(DateTimeOffset since, CancellationToken ct);
}
