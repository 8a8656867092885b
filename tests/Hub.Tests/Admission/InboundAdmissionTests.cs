using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
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
        admission.Release("m1");
        await waiting.WaitAsync(Settle);
        Assert.False(next.IsCompleted);
        admission.Release("n1"); // held no place: frees none
        Assert.False(next.IsCompleted);
        admission.Release("m2");
        await next.WaitAsync(Settle);
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
    public async Task UnreleasedPlaces_ExpireAfterTenMinutes()
    {
        using var admission = New(maxBacklog: 1);
        await admission.AdmitAsync("busy", "m1", CancellationToken.None); // answered elsewhere, never released here
        _time.Advance(InboundAdmission.PermitExpiry - TimeSpan.FromMinutes(1));
        Assert.Equal(1, admission.Backlog);
        var second = admission.AdmitAsync("busy", "m2", CancellationToken.None).AsTask();
        _time.Advance(Wait);
        await second.WaitAsync(Settle); // timed out, holds no place
        Assert.Equal(2, admission.Backlog);

        _time.Advance(TimeSpan.FromMinutes(1) - Wait);
        Assert.Equal(1, admission.Backlog); // m1 expired; m2 has nine minutes left
        Assert.True(admission.AdmitAsync("busy", "m3", CancellationToken.None).IsCompletedSuccessfully); // m1's place
        _time.Advance(InboundAdmission.PermitExpiry);
        Assert.Equal(0, admission.Backlog);
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
