using AgleaFeeds.Polling;

namespace AgleaFeeds.Tests.Polling;

/// <summary>How many polls a process runs at once: twice the processors, more while they idle and polls wait.</summary>
public sealed class PollAdmissionTests : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private TimeSpan _wall = TimeSpan.FromSeconds(100);
    private TimeSpan _cpu = TimeSpan.FromSeconds(3);

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(10);
    private int _processors;

    private PollAdmission Create(int max, int processors)
    {
        _processors = processors;
        return new(max, processors, () => _wall, () => _cpu);
    }

    /// <summary>One period passes with the process using <paramref name="share"/> of its processors.</summary>
    private void Pass(PollAdmission admission, double share)
    {
        _wall += PollAdmission.Period;
        _cpu += PollAdmission.Period * _processors * share;
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
