using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace AgleaFeeds.Polling;

/// <summary>
/// How many sources this process polls at once, across every batch: at first twice the processor count, more (up to
/// Polling:MaxConcurrency) while polls wait to start and the processors have time to spare, back down when they do not.
/// </summary>
/// <remarks>
/// Every poll running holds what it has read until its write, and the write waits its turn. Where blogs answer at
/// once the processors are the limit: on 2 cores a 1,000-blog first sync was no faster with 16 polls at once than with
/// 4, and with the host's 4 MB gen0 budget it peaked at 161-175 MB with 16 (what the waiting polls hold survives the
/// frequent collections) against 116-118 MB with 4 (tests/AgleaFeeds.Benchmarks/polling/run.sh). Where blogs answer
/// slowly the processors idle while polls wait on the network, and more polls at once is what makes a sync fast.
/// The processors' use is the larger of two shares over each period: the process's CPU time (user and kernel) against
/// the wall clock, and the whole machine's busy time (/proc/stat, where there is one). The process alone is not enough:
/// on a 2-core machine the blogs' web server took half a core, this process used 0.6-0.75 of the processors while the
/// machine idled 5-15 % of the time, and each dip below <see cref="Idle"/> admitted a poll that only added memory
/// (1,000-blog first sync: 6 polls at once, 125-135 MB peak, against 4 and 117-118 MB, no faster). In a container
/// /proc/stat is the host's: other tenants' work keeps the allowance nearer its start, never below it.
/// </remarks>
public sealed class PollAdmission
{
    /// <summary>How often the allowance is reconsidered.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(200);

    /// <summary>Below this share of the processors in use, a waiting poll may start beyond the allowance.</summary>
    public const double Idle = 0.6;

    /// <summary>Above this share, the allowance shrinks again (never below its first value).</summary>
    public const double Busy = 0.9;

    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _slots;
    private readonly Func<TimeSpan> _wall;
    private readonly Func<TimeSpan> _cpu;
    private readonly Func<MachineCpu?> _machine;
    private readonly int _processors;
    private TimeSpan _lastWall;
    private TimeSpan _lastCpu;
    private MachineCpu? _lastMachine;
    private int _debt;
    private int _waiting;
    private int _running;

    public PollAdmission(IOptions<PollingOptions> options)
        : this(options?.Value.MaxConcurrency ?? throw new ArgumentNullException(nameof(options)), Environment.ProcessorCount, WallClock, ProcessCpu, MachineCpu.Read)
    {
    }

    /// <summary>An admission over the given processor count, wall clock, CPU time used by the process and the machine's CPU time (null where unknown).</summary>
    internal PollAdmission(int max, int processors, Func<TimeSpan> wall, Func<TimeSpan> cpu, Func<MachineCpu?> machine)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(processors, 1);
        Max = max;
        First = Math.Min(max, 2 * processors);
        Allowed = First;
        _processors = processors;
        _wall = wall;
        _cpu = cpu;
        _machine = machine;
        _lastWall = wall();
        _lastCpu = cpu();
        _lastMachine = machine();
        _slots = new SemaphoreSlim(First, max);
    }

    /// <summary>The most polls at once (Polling:MaxConcurrency).</summary>
    public int Max { get; }

    /// <summary>The allowance to begin with, and the least it shrinks to.</summary>
    public int First { get; }

    /// <summary>How many polls may run at once now.</summary>
    public int Allowed { get; private set; }

    /// <summary>The most polls that ran at once so far.</summary>
    public int MostRunning { get; private set; }

    /// <summary>Waits for a poll's turn to run; disposing the answer ends the turn.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        Interlocked.Increment(ref _waiting);
        try
        {
            // A waiter looks again every period: with every running poll waiting on the network, nothing else would.
            while (!await _slots.WaitAsync(Period, ct).ConfigureAwait(false))
            {
                Reconsider();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }

        lock (_lock)
        {
            _running++;
            MostRunning = Math.Max(MostRunning, _running);
        }

        return new Turn(this);
    }

    private void Leave()
    {
        lock (_lock)
        {
            _running--;
            AddSlot();
        }

        Reconsider();
    }

    /// <summary>One more poll may run: a slot held back (owed since the allowance shrank) is forgiven first. Under the lock.</summary>
    private void AddSlot()
    {
        if (_debt > 0)
        {
            _debt--;
        }
        else
        {
            _slots.Release();
        }
    }

    /// <summary>Once a period: one more poll when some wait and the processors idle, one fewer when they are busy.</summary>
    internal void Reconsider()
    {
        lock (_lock)
        {
            var now = _wall();
            var wall = now - _lastWall;
            if (wall < Period)
            {
                return;
            }

            var cpu = _cpu();
            var machine = _machine();
            var used = (cpu - _lastCpu) / (wall * _processors);
            if (machine is { } m && _lastMachine is { } last && m.Total > last.Total)
            {
                used = Math.Max(used, (double)(m.Busy - last.Busy) / (m.Total - last.Total));
            }

            (_lastWall, _lastCpu, _lastMachine) = (now, cpu, machine);
            if (used < Idle && Volatile.Read(ref _waiting) > 0 && Allowed < Max)
            {
                Allowed++;
                AddSlot();
            }
            else if (used > Busy && Allowed > First)
            {
                Allowed--;
                // A free slot is taken back at once; otherwise the next poll to finish does not give its slot back.
                if (!_slots.Wait(0))
                {
                    _debt++;
                }
            }
        }
    }

    private static TimeSpan WallClock() => Stopwatch.GetElapsedTime(0);

    private static TimeSpan ProcessCpu() => Environment.CpuUsage.TotalTime;

    private sealed class Turn(PollAdmission admission) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                admission.Leave();
            }
        }
    }
}

/// <summary>The whole machine's processor time so far, in the kernel's ticks: busy, and in all (busy and idle).</summary>
public readonly record struct MachineCpu(long Busy, long Total)
{
    private const string ProcStat = "/proc/stat";

    /// <summary>Reads /proc/stat; null where there is none (not Linux) or it cannot be read.</summary>
    public static MachineCpu? Read()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            using var reader = new StreamReader(ProcStat);
            return Parse(reader.ReadLine());
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// The "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal (guest time is inside user). Idle and
    /// waiting on I/O are time the processors could have run something; the rest is busy. Null for any other line.
    /// </summary>
    public static MachineCpu? Parse(string? line)
    {
        var fields = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields is not { Length: >= 5 } || fields[0] != "cpu")
        {
            return null;
        }

        long busy = 0, idle = 0;
        for (var i = 1; i < Math.Min(fields.Length, 9); i++)
        {
            if (!long.TryParse(fields[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks))
            {
                return null;
            }

            if (i is 4 or 5)
            {
                idle += ticks;
            }
            else
            {
                busy += ticks;
            }
        }

        return new MachineCpu(busy, busy + idle);
    }
}
