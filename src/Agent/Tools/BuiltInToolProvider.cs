using System.ComponentModel;
using System.Globalization;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Agent;

/// <summary>The built-in tools: <c>current_time</c> and <c>session_status</c>.</summary>
internal sealed class BuiltInToolProvider(IOptions<AgentOptions> options, ITranscriptStore transcripts, TimeProvider timeProvider) : IAgentToolProvider
{
    /// <summary>Name of the current-time tool.</summary>
    public const string CurrentTimeName = "current_time";

    /// <summary>Name of the session-status tool.</summary>
    public const string SessionStatusName = "session_status";

    public IEnumerable<AITool> GetTools(AgentToolContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        yield return AIFunctionFactory.Create(
            ([Description("IANA time zone id such as Europe/Berlin or America/New_York; omit for the configured default.")] string? timeZone = null)
                => CurrentTime(timeZone),
            CurrentTimeName,
            "Returns the current date and time as ISO 8601 with UTC offset, plus the time zone id.");

        yield return AIFunctionFactory.Create(
            (CancellationToken cancellationToken) => SessionStatusAsync(context, cancellationToken),
            SessionStatusName,
            "Returns the status of this chat session: session key, model name and number of transcript entries.");
    }

    /// <summary>The current time in <paramref name="timeZone"/> (or <see cref="AgentOptions.TimeZone"/>).</summary>
    /// <returns><c>{"time":"2026-11-23T11:00:00+01:00","timeZone":"Europe/Berlin"}</c>, or an <c>error</c> for an unknown zone.</returns>
    internal IDictionary<string, string> CurrentTime(string? timeZone)
    {
        var zoneId = string.IsNullOrWhiteSpace(timeZone) ? options.Value.TimeZone : timeZone.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone))
        {
            return new Dictionary<string, string> { ["error"] = $"Unknown time zone '{zoneId}'. Use an IANA id such as Europe/Berlin." };
        }

        var now = TimeZoneInfo.ConvertTime(timeProvider.GetUtcNow(), zone);
        return new Dictionary<string, string>
        {
            ["time"] = now.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
            ["timeZone"] = zone.HasIanaId || !TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? zone.Id : iana,
            ["dayOfWeek"] = now.DayOfWeek.ToString(),
        };
    }

    private async Task<IDictionary<string, object>> SessionStatusAsync(AgentToolContext context, CancellationToken cancellationToken)
    {
        var count = await transcripts.CountAsync(context.SessionKey, cancellationToken).ConfigureAwait(false);
        return new Dictionary<string, object>
        {
            ["sessionKey"] = context.SessionKey,
            ["model"] = options.Value.Model,
            ["transcriptEntries"] = count,
        };
    }
}
