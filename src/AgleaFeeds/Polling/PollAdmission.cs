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
/// The processors' use is the process's CPU time (user and kernel) against the wall clock, over each period.
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
    private readonly int _processors;
    private TimeSpan _lastWall;
    private TimeSpan _lastCpu;
    private int _debt;
    private int _waiting;
    private int _running;

    public PollAdmission(IOptions<PollingOptions> options)
        : this(options?.Value.MaxConcurrency ?? throw new ArgumentNullException(nameof(options)), Environment.ProcessorCount, WallClock, ProcessCpu)
    {
    }

    /// <summary>An admission over the given processor count, wall clock and CPU time used by the process.</summary>
    internal PollAdmission(int max, int processors, Func<TimeSpan> wall, Func<TimeSpan> cpu)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(processors, 1);
        Max = max;
        First = Math.Min(max, 2 * processors);
        Allowed = First;
        _processors = processors;
        _wall = wall;
        _cpu = cpu;
        _lastWall = wall();
        _lastCpu = cpu();
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
            var used = (cpu - _lastCpu) / (wall * _processors);
            (_lastWall, _lastCpu) = (now, cpu);
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
