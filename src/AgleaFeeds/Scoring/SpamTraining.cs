namespace AgleaFeeds.Scoring;

/// <summary>
/// The fixed split of the shared corpora: training never sees all of Youtube03-LMFAO.csv (a video the
/// model never saw) nor every fifth SMS message (a fixed 20%).
/// </summary>
public static class SpamTraining
{
    public const string HeldOutVideo = "Youtube03-LMFAO.csv";
    public static readonly string[] TrainingVideos = ["Youtube01-Psy.csv", "Youtube02-KatyPerry.csv"];
    public const string Sms = "SMSSpamCollection.tsv";

    /// <summary>Every how many legitimate training comments one is added again with a link appended (see <see cref="Split"/>).</summary>
    public const int LinkedHamEvery = 10;

    /// <summary>
    /// Reads the corpus folder and splits it; throws <see cref="FileNotFoundException"/> naming a missing file.
    /// <paramref name="exclude"/> names a corpus file left out altogether (to measure a kind of site the model never saw).
    /// </summary>
    public static CorpusSplit Split(string corpusFolder, float videoWeight = 1f, string? exclude = null)
    {
        string[] known = [Sms, HeldOutVideo, .. TrainingVideos];
        if (exclude is not null && !known.Contains(exclude, StringComparer.OrdinalIgnoreCase))
        {
            throw new FileNotFoundException($"Scoring: --exclude names none of the corpus files ({string.Join(", ", known)}).", exclude);
        }

        IReadOnlyList<LabelledComment> Read(string name)
        {
            if (string.Equals(name, exclude, StringComparison.OrdinalIgnoreCase))
            {
                return [];
            }

            var path = Path.Combine(corpusFolder, name);
            return File.Exists(path) ? SpamCorpus.Read(path) : throw new FileNotFoundException($"Scoring: corpus file {Path.GetFullPath(path)} not found (setting Scoring:CorpusPath).", path);
        }

        var sms = Read(Sms);
        var train = TrainingVideos.SelectMany(Read).Select(c => c with { Weight = videoWeight }).ToList();
        train.AddRange(sms.Where((_, i) => i % 5 != 4));
        // In both corpora nearly every link is spam's (the videos' ham links only to the video itself), which
        // teaches "a link is spam"; on a blog, helpful comments link to code hosts and documentation. Every
        // LinkedHamEvery-th legitimate training comment is added once more with such a link.
        train.AddRange(train.Where((c, i) => !c.IsSpam && i % LinkedHamEvery == 0).ToList().Select((c, i) => c with { Content = c.Content + $" https://docs.example.org/page/{i}" }));

        return new CorpusSplit(train, Read(HeldOutVideo), sms.Where((_, i) => i % 5 == 4).ToList());
    }
}

/// <summary>The training set and the two held-out sets.</summary>
public sealed record CorpusSplit(IReadOnlyList<LabelledComment> Training, IReadOnlyList<LabelledComment> HeldOutVideo, IReadOnlyList<LabelledComment> HeldOutSms);
