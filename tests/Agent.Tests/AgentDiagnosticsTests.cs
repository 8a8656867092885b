using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Fakes.OpenAi;

namespace OpenClaw.Channels.Tests;

public sealed class AgentDiagnosticsTests
{
    [Fact]
    public async Task EachModelCall_EmitsAnActivity_AndMetricsAreRecorded()
    {
        var session = "agent:main:telegram:direct:" + Guid.NewGuid().ToString("N");
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        var activities = new ConcurrentQueue<Activity>();
        using var activityListener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ChannelDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                if (a.TraceId.ToHexString() == traceId)
                {
                    activities.Enqueue(a);
                }
            },
        };
        ActivitySource.AddActivityListener(activityListener);

        await using var h = await AgentHarness.StartAsync(new Dictionary<string, string?> { ["MaxRetries"] = "2" });
        var meterFactory = h.Services.GetRequiredService<IMeterFactory>();
        var measurements = new ConcurrentQueue<(string Name, double Value)>();
        using var meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ChannelDiagnostics.Name && ReferenceEquals(instrument.Meter.Scope, meterFactory))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meterListener.SetMeasurementEventCallback<double>((i, v, _, _) => measurements.Enqueue((i.Name, v)));
        meterListener.SetMeasurementEventCallback<long>((i, v, _, _) => measurements.Enqueue((i.Name, v)));
        meterListener.Start();

        h.Server.Enqueue(FakeChatResponse.Error(500));
        h.Server.Enqueue(FakeChatResponse.CallTool("current_time"));
        var result = await h.Runner.RunAsync(
            new AgentRunRequest { SessionKey = session, Messages = [AgentHarness.Message("time?")], TraceId = traceId },
            AgentHarness.Timeout());

        Assert.Equal(AgentRunStatus.Completed, result.Status);
        var chats = activities.Where(a => a.DisplayName == "chat test-model").ToList();
        Assert.Equal(2, chats.Count);
        Assert.All(chats, a => Assert.Equal(ActivityKind.Client, a.Kind));
        Assert.All(chats, a => Assert.Equal("test-model", a.GetTagItem("gen_ai.request.model")));
        var run = Assert.Single(activities, a => a.DisplayName == "agent.run");
        Assert.All(chats, a => Assert.Equal(run.SpanId, a.ParentSpanId));
        Assert.Single(activities, a => a.DisplayName == "execute_tool current_time");

        Assert.Equal(2, measurements.Count(m => m.Name == "openclaw.agent.model.duration"));
        Assert.Equal(1, measurements.Where(m => m.Name == "openclaw.agent.model.retries").Sum(m => m.Value));
        Assert.Single(measurements, m => m.Name == "openclaw.agent.run.duration");
    }
}
