using Microsoft.Extensions.Options;
using OpenClaw.Channels.Hub.Operations;

namespace OpenClaw.Channels.Hub.Doctor;

/// <summary><c>dotnet run --project src/Hub -- doctor</c>: validates the configuration as a start would (every option
/// validated at start, without serving), then probes each configured part once: the store (Redis PING and version, or
/// the embedded data directory), the model, and each channel's platform with the configured credentials. Prints one
/// line per part (<c>OK</c>, <c>FAILED</c> with the platform's error text and the key to fix, or <c>--</c> for a part
/// that is not configured) and returns 0 only when nothing failed.</summary>
public static class HubDoctor
{
    /// <summary>Timeout of each probe's HTTP call.</summary>
    public static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs every check and writes one line per part to <paramref name="output"/>.</summary>
    /// <param name="args">Configuration overrides, as for a normal start (<c>--Channels:Telegram:BotToken=…</c>).</param>
    /// <param name="output">Where the lines go (standard output from the command line).</param>
    /// <param name="cancellationToken">Stops the probes.</param>
    /// <returns>0 when every part passed (or was not configured), 1 otherwise.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        var results = await CheckAsync(args, cancellationToken).ConfigureAwait(false);
        foreach (var result in results)
        {
            await output.WriteLineAsync(result.ToString()).ConfigureAwait(false);
        }

        var failed = results.Count(r => !r.Passed);
        await output.WriteLineAsync(failed == 0 ? "doctor: all checks passed" : $"doctor: {failed} of {results.Count} checks failed").ConfigureAwait(false);
        return failed == 0 ? 0 : HubCommandLine.ConfigurationError;
    }

    /// <summary>Runs every check.</summary>
    /// <param name="args">Configuration overrides.</param>
    /// <param name="cancellationToken">Stops the probes.</param>
    /// <returns>One result per part, configuration first.</returns>
    public static async Task<IReadOnlyList<DoctorResult>> CheckAsync(string[] args, CancellationToken cancellationToken)
    {
        var results = new List<DoctorResult>(Validate(args));
        var builder = WebApplication.CreateBuilder(args);
        UserSecrets.Add(builder);
        IConfiguration configuration = builder.Configuration;

        using var client = new HttpClient { Timeout = ProbeTimeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("OpenClaw.Channels-doctor/1.0");
        var http = new DoctorHttp(client);
        results.AddRange(await StoreProbe.ProbeAsync(configuration, cancellationToken).ConfigureAwait(false));
        results.Add(await GuardAsync("model", () => ModelProbe.ProbeAsync(configuration, http, cancellationToken)).ConfigureAwait(false));

        var channels = HubHost.EnabledChannelSections(configuration);
        if (channels.All(s => s == "Channels:WebChat"))
        {
            results.Add(DoctorResult.Skipped("channels", "none configured besides the web chat (set Channels:Telegram:BotToken, or Slack, Discord, WeChat, WeCom)"));
        }

        foreach (var section in channels)
        {
            var part = section["Channels:".Length..].ToLowerInvariant();
            results.Add(await GuardAsync(part, () => section switch
            {
                "Channels:Telegram" => TelegramProbe.ProbeAsync(configuration, http, cancellationToken),
                "Channels:Slack" => SlackProbe.ProbeAsync(configuration, http, cancellationToken),
                "Channels:Discord" => DiscordProbe.ProbeAsync(configuration, http, cancellationToken),
                "Channels:WeChat" => WeChatProbe.ProbeWeChatAsync(configuration, http, cancellationToken),
                "Channels:WeCom" => WeChatProbe.ProbeWeComAsync(configuration, http, cancellationToken),
                _ => Task.FromResult(DoctorResult.Skipped(part, "served by the hub itself; nothing remote to probe")),
            }).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>A probe that throws (a malformed answer, a bad URL) is a failed line, not a crash.</summary>
    private static async Task<DoctorResult> GuardAsync(string part, Func<Task<DoctorResult>> probe)
    {
        try
        {
            return await probe().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new DoctorResult(DoctorStatus.Failed, part, $"the probe failed: {ex.GetType().Name}: {ex.Message}");
        }
    }

    /// <summary>Builds the hub without serving and runs the start-up validation of every option.</summary>
    private static IEnumerable<DoctorResult> Validate(string[] args)
    {
        List<string>? errors = null;
        try
        {
            var app = HubHost.BuildWithoutEndpoints(args);
            try
            {
                app.Services.GetService<IStartupValidator>()?.Validate();
            }
            finally
            {
                (app as IDisposable).Dispose();
            }
        }
        catch (Exception ex) when (ex is not StackExchange.Redis.RedisConnectionException && StartupErrors.Describe(ex) is { } lines)
        {
            errors = [.. lines];
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A validator needed a part that is down (a Redis-backed validator with Redis unreachable): the probes
            // below report that part; the rest of the configuration is not judged.
            return [DoctorResult.Skipped("configuration", $"validation could not finish ({ex.GetType().Name}: {ex.Message.Split('\n', 2)[0].Trim()}); see the parts below")];
        }

        return errors is null
            ? [DoctorResult.Ok("configuration", "every section passed start-up validation")]
            : errors.Select(e => new DoctorResult(DoctorStatus.Failed, "configuration", e));
    }
}
