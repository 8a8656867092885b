namespace OpenClaw.Channels.Adapters.Tests;

public class StartGateTests
{
    [Fact]
    public async Task AlreadyStarted_ReturnsTrueAtOnce()
    {
        using var started = new CancellationTokenSource();
        await started.CancelAsync();
        Assert.True(await StartGate.WaitAsync(started.Token, CancellationToken.None));
    }

    [Fact]
    public async Task StartedLater_ReturnsTrueThen()
    {
        using var started = new CancellationTokenSource();
        var wait = StartGate.WaitAsync(started.Token, CancellationToken.None);
        Assert.False(wait.IsCompleted);
        await started.CancelAsync();
        Assert.True(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task StoppedBeforeTheStart_ReturnsFalse_WithoutThrowing()
    {
        using var started = new CancellationTokenSource();
        using var stopping = new CancellationTokenSource();
        var wait = StartGate.WaitAsync(started.Token, stopping.Token);
        await stopping.CancelAsync();
        Assert.False(await wait.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
