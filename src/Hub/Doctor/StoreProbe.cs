using System.Diagnostics;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Doctor;

/// <summary>Redis mode: connects to <c>ConnectionStrings:Redis</c> (and each <c>Hub:RedLockEndpoints</c> entry), sends
/// PING and reads <c>redis_version</c> from <c>INFO server</c>. Embedded mode: checks that <c>Hub:DataDirectory</c>
/// can be written.</summary>
internal static class StoreProbe
{
    public static async Task<IReadOnlyList<DoctorResult>> ProbeAsync(IConfiguration configuration, CancellationToken cancellationToken)
    {
        var connection = configuration.GetConnectionString("Redis");
        if (string.IsNullOrWhiteSpace(connection))
        {
            return [Embedded(configuration[$"{HubOptions.SectionName}:{nameof(HubOptions.DataDirectory)}"] ?? new HubOptions().DataDirectory)];
        }

        var results = new List<DoctorResult> { await RedisAsync("store", connection, "ConnectionStrings:Redis", cancellationToken).ConfigureAwait(false) };
        var redLock = configuration.GetSection($"{HubOptions.SectionName}:{nameof(HubOptions.RedLockEndpoints)}").GetChildren().ToList();
        for (var i = 0; i < redLock.Count; i++)
        {
            if (!string.IsNullOrWhiteSpace(redLock[i].Value))
            {
                results.Add(await RedisAsync($"redlock[{i}]", redLock[i].Value!, redLock[i].Path, cancellationToken).ConfigureAwait(false));
            }
        }

        return results;
    }

    private static DoctorResult Embedded(string directory)
    {
        var full = Path.GetFullPath(directory);
        try
        {
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".doctor-{Environment.ProcessId}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            return DoctorResult.Ok("store", $"embedded, data directory {full} is writable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return DoctorResult.Failed("store", $"embedded, data directory {full} cannot be written: {ex.Message}", "Hub:DataDirectory");
        }
    }

    private static async Task<DoctorResult> RedisAsync(string part, string connection, string key, CancellationToken cancellationToken)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(connection);
        }
        catch (ArgumentException ex)
        {
            return DoctorResult.Failed(part, "the connection string cannot be read: " + ex.Message, key);
        }

        options.AbortOnConnectFail = true;
        options.AllowAdmin = true; // INFO is an admin command to StackExchange.Redis; the doctor only reads it
        options.ConnectTimeout = Math.Min(options.ConnectTimeout, 5000);
        options.ConnectRetry = 1;
        var endpoints = string.Join(", ", options.EndPoints.Select(e => e.ToString()));
        try
        {
            await using var redis = await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            await redis.GetDatabase().PingAsync().ConfigureAwait(false);
            var ping = Stopwatch.GetElapsedTime(started);
            var server = redis.GetServer(redis.GetEndPoints()[0]);
            var info = await server.InfoAsync("server").ConfigureAwait(false);
            var version = info.SelectMany(g => g).FirstOrDefault(p => p.Key == "redis_version").Value ?? server.Version.ToString();
            return DoctorResult.Ok(part, $"Redis {endpoints}, redis_version {version}, PING {ping.TotalMilliseconds:0.0} ms");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return DoctorResult.Failed(part, $"Redis {endpoints}: {FirstLine(ex.Message)}", key);
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
