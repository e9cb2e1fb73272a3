using AgleaFeeds.Polling;

namespace AgleaFeeds.Tests.Polling;

/// <summary>How many polls a process runs at once: twice the processors, more while they idle and polls wait.</summary>
public sealed class PollAdmissionTests : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private TimeSpan _wall = TimeSpan.FromSeconds(100);
    private TimeSpan _cpu = TimeSpan.FromSeconds(3);
    private MachineCpu? _machine;

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);
    private int _processors;

    /// <summary>An admission over the test's clocks; where <paramref name="machineKnown"/> is false the machine's CPU time cannot be read (not Linux).</summary>
    private PollAdmission Create(int max, int processors, bool machineKnown = true)
    {
        _processors = processors;
        return new(max, processors, () => _wall, () => _cpu, () => machineKnown ? _machine : null);
    }

    /// <summary>
    /// One period passes with the process using <paramref name="share"/> of its processors and the whole machine
    /// <paramref name="machineShare"/> of its own (the process's share where not given).
    /// </summary>
    private void Pass(PollAdmission admission, double share, double? machineShare = null)
    {
        _wall += PollAdmission.Period;
        _cpu += PollAdmission.Period * _processors * share;
        var ticks = (long)(PollAdmission.Period.TotalMilliseconds / 10 * _processors); // the kernel's 100 ticks a second
        var busy = (long)Math.Round(ticks * (machineShare ?? share));
        _machine = _machine is { } m ? new MachineCpu(m.Busy + busy, m.Total + ticks) : new MachineCpu(busy, ticks);
        admission.Reconsider();
    }

    /// <summary>A moment later, the poll still waits for its turn.</summary>
    private static async Task AssertStillWaitingAsync(Task<IDisposable> poll, string? why = null)
    {
        await Task.Delay(50);
        Assert.False(poll.IsCompleted, why);
    }

    private async Task<List<IDisposable>> EnterAsync(PollAdmission admission, int count)
    {
        var turns = new List<IDisposable>();
        for (var i = 0; i < count; i++)
        {
            turns.Add(await admission.EnterAsync(_stop.Token).WaitAsync(MaxWait));
        }

        return turns;
    }

    private Task<IDisposable> Waiting(PollAdmission admission)
    {
        var next = admission.EnterAsync(_stop.Token);
        Assert.False(next.IsCompleted, "a poll beyond the allowance waits");
        return next;
    }

    [Fact]
    public async Task EnterAsync_AtFirst_LetsTwiceTheProcessorsRun()
    {
        var admission = Create(max: 16, processors: 2);

        await EnterAsync(admission, 4);
        var fifth = admission.EnterAsync(_stop.Token);

        await AssertStillWaitingAsync(fifth);
        Assert.Equal(4, admission.MostRunning);
    }

    [Fact]
    public async Task EnterAsync_ATurnEnds_TheNextPollStarts()
    {
        var admission = Create(max: 16, processors: 1);
        var turns = await EnterAsync(admission, 2);
        var third = Waiting(admission);

        turns[0].Dispose();
        turns[0].Dispose(); // ending a turn twice gives back one slot

        await third.WaitAsync(MaxWait);
        Assert.False(admission.EnterAsync(_stop.Token).IsCompleted);
    }

    [Fact]
    public async Task Reconsider_ProcessorsIdleWhilePollsWait_AdmitsOneMorePerPeriod()
    {
        var admission = Create(max: 16, processors: 2);
        await EnterAsync(admission, 4);
        var fifth = Waiting(admission);
        var sixth = Waiting(admission);

        Pass(admission, share: 0.2);
        await fifth.WaitAsync(MaxWait);
        await AssertStillWaitingAsync(sixth, "one more per period");

        Pass(admission, share: 0.2);
        await sixth.WaitAsync(MaxWait);
        Assert.Equal(6, admission.Allowed);
        Assert.Equal(6, admission.MostRunning);
    }

    [Fact]
    public async Task Reconsider_ProcessorsBusy_AdmitsNoMore()
    {
        var admission = Create(max: 16, processors: 2);
        await EnterAsync(admission, 4);
        var fifth = Waiting(admission);

        Pass(admission, share: 0.95);
        Pass(admission, share: 0.7);

        await AssertStillWaitingAsync(fifth);
        Assert.Equal(4, admission.Allowed);
    }

    [Fact]
    public async Task Reconsider_ProcessIdleButMachineBusy_AdmitsNoMore()
    {
        // Another process (the blogs' own web server, the database) keeps the processors busy: more polls would only wait.
        _machine = new MachineCpu(1000, 4000);
        var admission = Create(max: 16, processors: 2);
        await EnterAsync(admission, 4);
        var fifth = Waiting(admission);

        Pass(admission, share: 0.5, machineShare: 0.92);
        Pass(admission, share: 0.4, machineShare: 0.85);

        await AssertStillWaitingAsync(fifth);
        Assert.Equal(4, admission.Allowed);
    }

    [Fact]
    public async Task Reconsider_MachineUnknown_JudgesByTheProcessAlone()
    {
        var admission = Create(max: 16, processors: 2, machineKnown: false);
        await EnterAsync(admission, 4);
        var fifth = Waiting(admission);

        Pass(admission, share: 0.3, machineShare: 0.95); // a busy machine no one can see

        await fifth.WaitAsync(MaxWait);
        Assert.Equal(5, admission.Allowed);
    }

    [Theory]
    [InlineData("cpu  4705 150 1120 16250 520 0 36 10 0 0", 6021L, 22791L)]
    [InlineData("cpu 10 0 5 85 0", 15L, 100L)]
    [InlineData("cpu0 4705 150 1120 16250 520 0 36 10 0 0", null, null)]
    [InlineData("cpu 10 x 5 85 0", null, null)]
    [InlineData("", null, null)]
    public void MachineCpu_Parse_CountsIdleAndIoWaitAsFree(string line, long? busy, long? total)
    {
        var parsed = MachineCpu.Parse(line);

        Assert.Equal(busy, parsed?.Busy);
        Assert.Equal(total, parsed?.Total);
    }

    [SkippableFact]
    public void MachineCpu_Read_OnLinux_ReadsThisMachine()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/proc/stat is Linux's");

        var first = MachineCpu.Read();

        Assert.NotNull(first);
        Assert.InRange(first.Value.Busy, 1, first.Value.Total);
    }

    [Fact]
    public void Reconsider_NoPollWaiting_KeepsTheAllowance()
    {
        var admission = Create(max: 16, processors: 2);

        Pass(admission, share: 0);

        Assert.Equal(4, admission.Allowed);
    }

    [Fact]
    public async Task Reconsider_BusyAgain_ShrinksBackToTheFirstAllowanceAsTurnsEnd()
    {
        var admission = Create(max: 16, processors: 1);
        var turns = await EnterAsync(admission, 2);
        var third = Waiting(admission);
        Pass(admission, share: 0);
        turns.Add(await third.WaitAsync(MaxWait));
        Assert.Equal(3, admission.Allowed);

        Pass(admission, share: 1);
        Pass(admission, share: 1); // never below the first allowance
        Assert.Equal(2, admission.Allowed);

        // The first turn to end does not give its slot back: two run, and a third waits.
        turns[0].Dispose();
        var next = admission.EnterAsync(_stop.Token);
        await AssertStillWaitingAsync(next);
        turns[1].Dispose();
        await next.WaitAsync(MaxWait);
    }

    [Fact]
    public async Task Reconsider_AtMaxConcurrency_NeverMore()
    {
        var admission = Create(max: 3, processors: 4);
        await EnterAsync(admission, 3);
        var fourth = Waiting(admission);

        Pass(admission, share: 0);
        Pass(admission, share: 0);

        await AssertStillWaitingAsync(fourth);
        Assert.Equal(3, admission.First);
    }

    [Fact]
    public async Task EnterAsync_Cancelled_ThrowsAndTakesNoSlot()
    {
        var admission = Create(max: 1, processors: 1);
        var turn = await admission.EnterAsync(_stop.Token);
        using var cancel = new CancellationTokenSource();
        var waiting = admission.EnterAsync(cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        turn.Dispose();
        await admission.EnterAsync(_stop.Token).WaitAsync(MaxWait);
    }
}
