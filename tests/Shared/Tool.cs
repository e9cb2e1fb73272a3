using System.Diagnostics;

namespace AgleaFeeds.Testing;

/// <summary>Runs a real program (jing, feedparser, newsboat, php) and returns its exit code and output.</summary>
internal static class Tool
{
    /// <summary>Skips the test, saying what to install, when a program is missing.</summary>
    public static void Require(string path, string package) =>
        Skip.IfNot(File.Exists(path), $"{path} is missing: apt-get install -y {package} (.ci/run installs it)");

    /// <summary>Standard output and error together, as a person would read them.</summary>
    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var (code, stdout, stderr) = await RunApartAsync(file, args, workingDirectory);
        return (code, stdout + stderr);
    }

    /// <summary>Standard output and error apart, for a program whose output is read as data.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunApartAsync(string file, IEnumerable<string> args, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? Path.GetTempPath() };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
