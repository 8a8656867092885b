using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using OpenClaw.Channels.Hub;
using OpenClaw.Channels.Hub.Inbound;
using OpenClaw.Channels.Hub.Telemetry;

namespace OpenClaw.Channels.Tests.Admission;

/// <summary>Inbound admission on its own, on a <see cref="FakeTimeProvider"/>: a full backlog delays a busy chat's
/// message up to the wait bound and then admits it anyway; a chat with nothing unanswered is admitted at once; places
/// come back on release and after the expiry.</summary>
public sealed class InboundAdmissionTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(1);

    // The real-time bound of a wait for a task the fake clock has already completed (its continuation may run on the pool).
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(10);

    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();
    private readonly HubTelemetry _telemetry;
    private readonly MetricCollector<long> _results;
    private readonly MetricCollector<double> _waits;

    public InboundAdmissionTests()
    {
        _telemetry = new HubTelemetry(_services.GetRequiredService<IMeterFactory>());
        _results = new MetricCollector<long>(_telemetry.Admission);
        _waits = new MetricCollector<double>(_telemetry.AdmissionWait);
    }

    [Fact]
    public async Task FullBacklog_BusyChatWaitsUpToTheBound_ThenIsAdmittedAnyway()
    {
        using var admission = New(maxBacklog: 2);
        await admission.AdmitAsync("busy", "m1", CancellationToken.None);
        await admission.AdmitAsync("busy", "m2", CancellationToken.None);

        var third = admission.AdmitAsync("busy", "m3", CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        Assert.Equal(1, admission.Waiting);
        _time.Advance(Wait - TimeSpan.FromMilliseconds(1));
        Assert.False(third.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await third.WaitAsync(Settle);
        Assert.Equal(0, admission.Waiting);
        Assert.Equal(3, admission.Backlog); // accepted without a place, still unanswered
        Assert.Equal(["admitted", "admitted", "timed_out"], Results());
        Assert.Equal([1000d], _waits.GetMeasurementSnapshot().Select(m => m.Value));
    }

    [Fact]
    public async Task WaitingMessage_TakesThePlaceAnAnsweredMessageReleases()
    {
        using var admission = New(maxBacklog: 1);
        await admission.AdmitAsync("busy", "m1", CancellationToken.None);
        var second = admission.AdmitAsync("busy", "m2", CancellationToken.None).AsTask();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.False(second.IsCompleted);

        admission.Release("m1"); // m1 popped
        await second.WaitAsync(Settle);
        Assert.Equal(["admitted", "waited"], Results());
        Assert.Equal([300d], _waits.GetMeasurementSnapshot().Select(m => m.Value));

        // m2 holds the only place: the chat's next message waits again.
        var third = admission.AdmitAsync("busy", "m3", CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        admission.Release("m2");
        await third.WaitAsync(Settle);
        Assert.Equal(1, admission.Backlog);
    }

    [Fact]
    public async Task NewChat_IsAdmittedAtOnce_WhileTheBacklogIsFullAndOthersWait()
    {
        using var admission = New(maxBacklog: 2);
        await admission.AdmitAsync("busy", "m1", CancellationToken.None);
        await admission.AdmitAsync("busy", "m2", CancellationToken.None);
        var waiting = admission.AdmitAsync("busy", "m3", CancellationToken.None).AsTask();

        var fresh = admission.AdmitAsync("new", "n1", CancellationToken.None);
        Assert.True(fresh.IsCompletedSuccessfully);
        Assert.False(waiting.IsCompleted);

        // Once it has something unanswered, the new chat queues like the others, behind the earlier waiter.
        var next = admission.AdmitAsync("new", "n2", CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);

        // n1 went beyond the bound: the place m1 frees is n1's, the backlog (m2, n1) is still at the bound.
        admission.Release("m1");
        admission.Release("m2"); // this place is the first waiter's
        await waiting.WaitAsync(Settle);
        Assert.False(next.IsCompleted);
        admission.Release("n1"); // the place n1 took over from m1
        await next.WaitAsync(Settle);
        Assert.Equal(2, admission.Backlog); // m3 and n2
        Assert.Equal(["admitted", "admitted", "admitted", "waited", "waited"], Results());
    }

    [Fact]
    public async Task ReleasedPlace_AdmitsTheNextMessageAtOnce_ForDuplicatesAndFailedAppends()
    {
        using var admission = New(maxBacklog: 1);
        await admission.AdmitAsync("busy", "m1", CancellationToken.None);
        await admission.AdmitAsync("busy", "m1", CancellationToken.None); // counted once
        Assert.Equal(1, admission.Backlog);

        admission.Release("m1"); // a duplicate, or its append failed: the pipeline releases it
        admission.Release("m1"); // twice is harmless
        Assert.Equal(0, admission.Backlog);
        Assert.True(admission.AdmitAsync("busy", "m2", CancellationToken.None).IsCompletedSuccessfully);
        Assert.False(admission.AdmitAsync("busy", "m3", CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task UnreleasedPlaces_ExpireAfterTenMinutes_AndGoToTheMessagesBeyondTheBound()
    {
        using var admission = New(maxBacklog: 1);
        await admission.AdmitAsync("busy", "m1", CancellationToken.None); // answered elsewhere, never released here
        _time.Advance(InboundAdmission.PermitExpiry - TimeSpan.FromMinutes(1));
        Assert.Equal(1, admission.Backlog);
        var second = admission.AdmitAsync("busy", "m2", CancellationToken.None).AsTask();
        _time.Advance(Wait);
        await second.WaitAsync(Settle); // timed out: accepted without a place
        Assert.Equal(2, admission.Backlog);

        _time.Advance(TimeSpan.FromMinutes(1) - Wait);
        Assert.Equal(1, admission.Backlog); // m1 expired, its place is m2's now
        var third = admission.AdmitAsync("busy", "m3", CancellationToken.None).AsTask();
        _time.Advance(Wait);
        await third.WaitAsync(Settle);
        Assert.Equal(["admitted", "timed_out", "timed_out"], Results());

        _time.Advance(InboundAdmission.PermitExpiry);
        Assert.Equal(0, admission.Backlog);

        // The place came back: m4 takes it at once, and the waiting m5 gets it as soon as m4 is released.
        await admission.AdmitAsync("busy", "m4", CancellationToken.None);
        var fifth = admission.AdmitAsync("busy", "m5", CancellationToken.None).AsTask();
        admission.Release("m4");
        await fifth.WaitAsync(Settle);
        Assert.Equal("waited", Results()[^1]);
    }

    [Fact]
    public void Off_AdmitsEverythingAtOnce_AndCountsNothing()
    {
        using var admission = New(maxBacklog: 0);
        for (var i = 0; i < 100; i++)
        {
            Assert.True(admission.AdmitAsync("busy", "m" + i, CancellationToken.None).IsCompletedSuccessfully);
        }

        Assert.Equal(0, admission.Backlog);
        Assert.Empty(Results());
    }

    [Fact]
    public void SessionsOfOtherNodes_AreNotCounted()
    {
        using var admission = new InboundAdmission(1, Wait, sessionKey => sessionKey != "elsewhere", _telemetry, _time);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(admission.AdmitAsync("elsewhere", "m" + i, CancellationToken.None).IsCompletedSuccessfully);
        }

        Assert.Equal(0, admission.Backlog);
    }

    [Fact]
    public async Task CancelledWait_Throws_AndLeavesNothingCounted()
    {
        using var admission = New(maxBacklog: 1);
        await admission.AdmitAsync("busy", "m1", CancellationToken.None);
        using var request = new CancellationTokenSource();
        var second = admission.AdmitAsync("busy", "m2", request.Token).AsTask();
        await request.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second.WaitAsync(Settle));
        Assert.Equal(1, admission.Backlog);
        Assert.Equal(0, admission.Waiting);
    }

    [Theory]
    [InlineData(1000, 1000, true)]
    [InlineData(0, 0, true)]
    [InlineData(1000, 60_000, true)]
    [InlineData(1000, 60_001, false)]
    [InlineData(1000, -1, false)]
    [InlineData(-1, 1000, false)]
    public void Options_AreValidated_WaitFromZeroToSixtySeconds(int maxBacklog, int waitMs, bool valid)
    {
        var options = new HubOptions { AdmissionMaxBacklog = maxBacklog, AdmissionWaitMs = waitMs };
        var result = new DataAnnotationValidateOptions<HubOptions>(null).Validate(null, options);
        Assert.Equal(valid, result.Succeeded);
        Assert.Equal(1000, new HubOptions().AdmissionMaxBacklog);
        Assert.Equal(1000, new HubOptions().AdmissionWaitMs);
    }

    public void Dispose()
    {
        _results.Dispose();
        _waits.Dispose();
        _telemetry.Dispose();
        _services.Dispose();
    }

    private InboundAdmission New(int maxBacklog) => new(maxBacklog, Wait, _ => true, _telemetry, _time);

    private List<string> Results() => _results.GetMeasurementSnapshot().Select(m => m.Tags["result"]?.ToString() ?? "").ToList();
}
