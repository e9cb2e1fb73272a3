namespace AgleaFeeds.Scoring;

/// <summary>A comment with a known answer: spam or ham, from a corpus or a moderator's decision.</summary>
public sealed record LabelledComment(string Content, bool IsSpam, string? Author = null, string? AuthorUrl = null, string? AuthorEmail = null, float Weight = 1f);
