using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Tests;

/// <summary>A <see cref="HubNode"/> in the test process that keeps its log as lines (through a
/// <see cref="FakeLogCollector"/>, filtered by the settings' <c>Logging:LogLevel:*</c> as a hub process's console is), so a
/// test written against <see cref="HubProcess"/> reads it the same way (<see cref="ITestHub"/>). For fault tests whose
/// fault is not the hub's death: it shares the test process's JIT-compiled code instead of paying a process start
/// (about 2.4 CPU-s each).</summary>
public sealed class LoggedHubNode : ITestHub
{
    private static readonly TimeSpan ReadyWithin = TimeSpan.FromSeconds(90);
    private readonly FakeLogCollector _logs;

    private LoggedHubNode(HubNode node, string nodeId, FakeLogCollector logs)
    {
        Node = node;
        NodeId = nodeId;
        _logs = logs;
    }

    /// <summary>The hub itself (its services, its application).</summary>
    public HubNode Node { get; }

    /// <inheritdoc />
    public string NodeId { get; }

    /// <inheritdoc />
    public string BaseUrl => Node.BaseUrl;

    /// <inheritdoc />
    public HttpClient Http => Node.Http;

    /// <inheritdoc />
    public HubOutput Output => new([.. _logs.GetSnapshot().Select(Format)]);

    /// <inheritdoc />
    public int CountLines(string fragment) => _logs.GetSnapshot().Count(r => Format(r).Contains(fragment, StringComparison.Ordinal));

    /// <summary>Starts hub <paramref name="nodeId"/> with <paramref name="settings"/> over <see cref="HubNode"/>'s defaults
    /// (log level Warning, a data directory of its own, Kestrel on 127.0.0.1:0) and waits until <c>/readyz</c> answers
    /// 200, at most 90 s (collections run in parallel on a shared machine), as <see cref="HubProcess"/>'s start does.</summary>
    /// <exception cref="InvalidOperationException">The hub did not become ready in time (the message holds its log).</exception>
    public static async Task<LoggedHubNode> StartAsync(string nodeId, IDictionary<string, string?> settings)
    {
        var logs = new FakeLogCollector();
        var all = new Dictionary<string, string?>(settings) { ["Hub:NodeId"] = nodeId };
        var node = await HubNode.StartAsync(all, services => services.AddSingleton<ILoggerProvider>(new FakeLoggerProvider(logs)));
        var hub = new LoggedHubNode(node, nodeId, logs);
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    try
                    {
                        using var response = await node.Http.GetAsync("/readyz");
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                ReadyWithin,
                () => "/readyz answered 200");
        }
        catch (TimeoutException ex)
        {
            var output = hub.Output.ToString();
            await hub.DisposeAsync();
            throw new InvalidOperationException($"hub {nodeId} did not become ready within {ReadyWithin}:\n{output}", ex);
        }

        return hub;
    }

    /// <summary>Stops the hub (graceful: its locks and leases are released, unlike a killed process's).</summary>
    public ValueTask DisposeAsync() => Node.DisposeAsync();

    /// <summary>One entry as the simple console formatter writes it on one line: <c>warn: Category[7] Message</c>, then
    /// the exception.</summary>
    private static string Format(FakeLogRecord record)
    {
        var level = record.Level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            LogLevel.Critical => "crit",
            _ => "none",
        };
        var line = string.Create(CultureInfo.InvariantCulture, $"{level}: {record.Category}[{record.Id.Id}] {record.Message}");
        return record.Exception is null ? line : line + " " + record.Exception;
    }
}
