using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AgleaFeeds.Host.Tests.Fixtures;

/// <summary>
/// The real AgleaFeeds host as its own process (`dotnet AgleaFeeds.Host.dll`, as an operator starts it), so a
/// test can kill it the way the kernel does (SIGKILL: no shutdown code runs). Its output is kept in host.log.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;

    private HostProcess(Process process, StreamWriter log, Uri baseUrl, string logPath)
    {
        LogPath = logPath;
        _process = process;
        _log = log;
        BaseUrl = baseUrl;
        Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseUrl { get; }

    public HttpClient Http { get; }

    public int ProcessId => _process.Id;

    /// <summary>Gets the file the host's output (warnings and errors) goes to.</summary>
    public string LogPath { get; }

    /// <summary>Gets the host's name (its Hangfire server's, and the first part of the leases its workers hold), from /health.</summary>
    public string Name { get; private set; } = "";

    /// <summary>Starts a host on <paramref name="dataFolder"/> with the test settings, then <paramref name="settings"/>, and waits until it is healthy.</summary>
    public static async Task<HostProcess> StartAsync(string dataFolder, IDictionary<string, string?> settings, IEnumerable<string> feedUrls)
    {
        var opml = Path.Combine(dataFolder, "sources.opml");
        await RunningHost.WriteOpmlAsync(opml, feedUrls);
        var port = FreePort();
        var all = RunningHost.TestSettings(dataFolder, opml);
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        all["Urls"] = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = dataFolder, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AgleaFeeds.Host.dll"));
        foreach (var (key, value) in all)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var log = new StreamWriter(new FileStream(Path.Combine(dataFolder, "host.log"), FileMode.Create, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostProcess(process, log, new Uri($"http://127.0.0.1:{port}/"), Path.Combine(dataFolder, "host.log"));
        await RunningHost.WaitUntilAsync(
            async () =>
            {
                Assert.False(process.HasExited, $"The host exited at start (code {(process.HasExited ? process.ExitCode : 0)}); see {dataFolder}/host.log");
                try
                {
                    using var health = await host.Http.GetAsync("health");
                    if (health.StatusCode != HttpStatusCode.OK)
                    {
                        return false;
                    }

                    using var json = System.Text.Json.JsonDocument.Parse(await health.Content.ReadAsStringAsync());
                    host.Name = json.RootElement.GetProperty("host").GetString()!;
                    return true;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(60),
            "the host process to answer /health");
        return host;
    }

    /// <summary>Kills the process as `kill -9` does: no shutdown code, its jobs and leases left as they were.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            // A clean stop (SIGTERM, as systemd sends); killed if it does not end in 20 s.
            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        await _log.DisposeAsync();
    }

    private static void Write(StreamWriter log, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (log)
        {
            try
            {
                log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // A last line after the test let go of the host.
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
