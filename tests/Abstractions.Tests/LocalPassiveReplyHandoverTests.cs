namespace OpenClaw.Channels.Tests;

/// <summary>The in-process passive-reply slot when the platform retries while the first callback still waits: the
/// newest callback carries the answer, and an older one that stops waiting does not expire the slot under it.</summary>
public sealed class LocalPassiveReplyHandoverTests
{
    [Fact]
    public async Task ARetryJoiningTheSlot_TakesTheAnswer_AndTheFirstCallbackGetsNone()
    {
        var handover = new LocalPassiveReplyHandover();
        var first = await handover.OpenAsync("wechat:1005", TimeSpan.FromSeconds(10), CancellationToken.None);
        var firstWait = handover.WaitAsync(first.Id, first.Remaining, CancellationToken.None);
        var retry = await handover.OpenAsync("wechat:1005", TimeSpan.FromSeconds(10), CancellationToken.None);
        Assert.False(retry.Created);
        Assert.Equal(first.Id, retry.Id);
        var retryWait = handover.WaitAsync(retry.Id, retry.Remaining, CancellationToken.None);

        Assert.True(await handover.TryHandOverAsync(first.Id, "answer", CancellationToken.None));

        Assert.Null(await firstWait);
        Assert.Equal("answer", await retryWait);
    }

    [Fact]
    public async Task AnOlderCallbackThatGivesUp_LeavesTheSlotOpenForTheNewerOne()
    {
        var handover = new LocalPassiveReplyHandover();
        var first = await handover.OpenAsync("wechat:1006", TimeSpan.FromSeconds(10), CancellationToken.None);
        using var dropped = new CancellationTokenSource();
        var firstWait = handover.WaitAsync(first.Id, first.Remaining, dropped.Token);
        var retry = await handover.OpenAsync("wechat:1006", TimeSpan.FromSeconds(10), CancellationToken.None);
        var retryWait = handover.WaitAsync(retry.Id, retry.Remaining, CancellationToken.None);

        await dropped.CancelAsync();
        Assert.Null(await firstWait);
        Assert.True(await handover.TryHandOverAsync(first.Id, "answer", CancellationToken.None));
        Assert.Equal("answer", await retryWait);
    }
}
