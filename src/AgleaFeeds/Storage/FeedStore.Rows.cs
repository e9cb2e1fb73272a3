using System.Data;
using System.Text.Json;
using AgleaFeeds.Model;
using Dapper;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Storage;

/// <summary>The rows Dapper maps the SQLite store's tables to, and their models.</summary>
public sealed partial class FeedStore
{
    private sealed class SourceRow
    {
        public long Id { get; set; }
        public string Title { get; set; } = "";
        public string? SiteUrl { get; set; }
        public string FeedUrl { get; set; } = "";
        public string? CommentsFeedUrl { get; set; }
        public long PollIntervalSeconds { get; set; }
        public string? ETag { get; set; }
        public string? LastModified { get; set; }
        public long? LastPolledAt { get; set; }
        public long? LastSuccessAt { get; set; }
        public long NextPollAt { get; set; }
        public int ErrorCount { get; set; }
        public string? LastError { get; set; }
        public string? LastOutcome { get; set; }
        public string? ApiRoot { get; set; }
        public long? BackfilledAt { get; set; }
        public int? ApiCommentTotal { get; set; }
        public int? ApiPostTotal { get; set; }
        public long? ApiSyncedAt { get; set; }
        public long? FeedIntervalSeconds { get; set; }
        public string? ScheduleReason { get; set; }

        public string? LeaseOwner { get; set; }
        public int PostCount { get; set; }
        public int CommentCount { get; set; }

        public Source ToModel() => new()
        {
            Id = Id,
            Title = Title,
            SiteUrl = SiteUrl,
            FeedUrl = FeedUrl,
            CommentsFeedUrl = CommentsFeedUrl,
            PollInterval = TimeSpan.FromSeconds(PollIntervalSeconds),
            ETag = ETag,
            LastModified = LastModified,
            LastPolledAt = Time(LastPolledAt),
            LastSuccessAt = Time(LastSuccessAt),
            NextPollAt = DateTimeOffset.FromUnixTimeMilliseconds(NextPollAt),
            ErrorCount = ErrorCount,
            LastError = LastError,
            LastOutcome = LastOutcome,
            ApiRoot = ApiRoot,
            BackfilledAt = Time(BackfilledAt),
            ApiCommentTotal = ApiCommentTotal,
            ApiPostTotal = ApiPostTotal,
            ApiSyncedAt = Time(ApiSyncedAt),
            FeedInterval = FeedIntervalSeconds is { } f ? TimeSpan.FromSeconds(f) : null,
            ScheduleReason = ScheduleReason,
            PolledBy = LeaseOwner?.Split('/')[0],
            PostCount = PostCount,
            CommentCount = CommentCount,
        };
    }

    private sealed class PostRow
    {
        public long Id { get; set; }
        public long SourceId { get; set; }
        public string Key { get; set; } = "";
        public string? Guid { get; set; }
        public string? Link { get; set; }
        public string? Title { get; set; }
        public string? Author { get; set; }
        public long? PublishedAt { get; set; }
        public long? UpdatedAt { get; set; }
        public string Categories { get; set; } = "[]";
        public string? SummaryHtml { get; set; }
        public string? ContentHtml { get; set; }
        public string? CommentsUrl { get; set; }
        public string? CommentFeedUrl { get; set; }
        public int? FeedCommentCount { get; set; }
        public long FirstSeenAt { get; set; }
        public long LastSeenAt { get; set; }
        public string? PageTitle { get; set; }
        public string? PageAuthor { get; set; }
        public string? PageContentHtml { get; set; }
        public long? PagePublishedAt { get; set; }
        public long? PageModifiedAt { get; set; }
        public string PageCategories { get; set; } = "[]";
        public string Tags { get; set; } = "[]";
        public int? PageCommentCount { get; set; }
        public long? ScrapedAt { get; set; }
        public string? ScrapeError { get; set; }
        public string? ScrapeOutcome { get; set; }
        public bool Hidden { get; set; }
        public long? WordPressId { get; set; }
        public long? EditedAt { get; set; }
        public long? ChangedAt { get; set; }
        public string Enclosures { get; set; } = "[]";
        public int CommentCount { get; set; }

        public Post ToModel() => new()
        {
            Id = Id,
            SourceId = SourceId,
            Key = Key,
            Guid = Guid,
            Link = Link,
            Title = Title,
            Author = Author,
            PublishedAt = Time(PublishedAt),
            UpdatedAt = Time(UpdatedAt),
            Categories = JsonSerializer.Deserialize<List<string>>(Categories) ?? [],
            SummaryHtml = SummaryHtml,
            ContentHtml = ContentHtml,
            CommentsUrl = CommentsUrl,
            CommentFeedUrl = CommentFeedUrl,
            FeedCommentCount = FeedCommentCount,
            PageTitle = PageTitle,
            PageAuthor = PageAuthor,
            PageContentHtml = PageContentHtml,
            PagePublishedAt = Time(PagePublishedAt),
            PageModifiedAt = Time(PageModifiedAt),
            PageCategories = JsonSerializer.Deserialize<List<string>>(PageCategories) ?? [],
            Tags = JsonSerializer.Deserialize<List<string>>(Tags) ?? [],
            PageCommentCount = PageCommentCount,
            ScrapedAt = Time(ScrapedAt),
            ScrapeError = ScrapeError,
            ScrapeOutcome = ScrapeOutcome,
            CommentCount = CommentCount,
            Hidden = Hidden,
            WordPressId = WordPressId,
            EditedAt = Time(EditedAt),
            ChangedAt = Time(ChangedAt),
            Enclosures = JsonSerializer.Deserialize<List<Parsing.Enclosure>>(Enclosures) ?? [],
            FirstSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(FirstSeenAt),
            LastSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(LastSeenAt),
        };
    }

    private sealed class CommentRow
    {
        public long Id { get; set; }
        public long PostId { get; set; }
        public string Key { get; set; } = "";
        public long? WordPressId { get; set; }
        public long? ParentId { get; set; }
        public string? Guid { get; set; }
        public string? Link { get; set; }
        public string? Author { get; set; }
        public string? AuthorUrl { get; set; }
        public long? PublishedAt { get; set; }
        public string? ContentHtml { get; set; }
        public string? ContentText { get; set; }
        public string? SeenIn { get; set; }
        public string Status { get; set; } = "";
        public long FirstSeenAt { get; set; }
        public long LastSeenAt { get; set; }
        public int? Depth { get; set; }
        public string? AvatarUrl { get; set; }
        public string Type { get; set; } = "comment";
        public int? CommentPage { get; set; }
        public long? RemovedAt { get; set; }
        public long? EditedAt { get; set; }
        public long? ChangedAt { get; set; }
        public string? AuthorEmail { get; set; }
        public string? AuthorIp { get; set; }
        public string? UserAgent { get; set; }
        public string? BlogStatus { get; set; }
        public string? SyncState { get; set; }
        public string? SyncWanted { get; set; }
        public string? SyncNote { get; set; }
        public long? SyncAt { get; set; }

        public Comment ToModel() => new()
        {
            Id = Id,
            PostId = PostId,
            Key = Key,
            WordPressId = WordPressId,
            ParentId = ParentId,
            Guid = Guid,
            Link = Link,
            Author = Author,
            AuthorUrl = AuthorUrl,
            PublishedAt = Time(PublishedAt),
            ContentHtml = ContentHtml,
            ContentText = ContentText,
            SeenIn = SeenIn,
            Status = Enum.Parse<CommentStatus>(Status),
            Depth = Depth,
            AvatarUrl = AvatarUrl,
            Type = Type,
            CommentPage = CommentPage,
            RemovedAt = Time(RemovedAt),
            EditedAt = Time(EditedAt),
            ChangedAt = Time(ChangedAt),
            AuthorEmail = AuthorEmail,
            AuthorIp = AuthorIp,
            UserAgent = UserAgent,
            BlogStatus = BlogStatus,
            Sync = SyncState is null ? null : new BlogSync(SyncState, SyncWanted ?? string.Empty, SyncNote, Time(SyncAt)),
            FirstSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(FirstSeenAt),
            LastSeenAt = DateTimeOffset.FromUnixTimeMilliseconds(LastSeenAt),
        };
    }

    private sealed class EventRow
    {
        public long Id { get; set; }
        public long CommentId { get; set; }
        public long At { get; set; }
        public string Actor { get; set; } = "";
        public string? FromStatus { get; set; }
        public string ToStatus { get; set; } = "";
        public double? Score { get; set; }
        public string? Reasons { get; set; }

        public ModerationEvent ToModel() => new()
        {
            Id = Id,
            CommentId = CommentId,
            At = DateTimeOffset.FromUnixTimeMilliseconds(At),
            Actor = Actor,
            From = FromStatus is null ? null : Enum.Parse<CommentStatus>(FromStatus),
            To = Enum.Parse<CommentStatus>(ToStatus),
            Score = Score,
            Reasons = Reasons,
        };
    }
}
