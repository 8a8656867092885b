using System.Text.Json;
using OpenClaw.Channels.Agent;
using StackExchange.Redis;

namespace OpenClaw.Channels.Hub.Stores;

/// <summary>Redis <see cref="ITranscriptStore"/>: one list per session of OpenClaw-compatible JSON lines
/// (<c>{"role","content","timestamp"}</c>); <c>/reset</c> renames it to an archive key kept 30 days.</summary>
internal sealed class RedisTranscriptStore(IConnectionMultiplexer redis, RedisKeys keys, TimeProvider time) : ITranscriptStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private IDatabase Db => redis.GetDatabase();

    public async Task<IReadOnlyList<TranscriptEntry>> LoadAsync(string sessionKey, int maxEntries, CancellationToken cancellationToken)
    {
        var values = await Db.ListRangeAsync(keys.Transcript(sessionKey), -Math.Max(1, maxEntries), -1).ConfigureAwait(false);
        return values.Select(v => JsonSerializer.Deserialize<TranscriptEntry>(v.ToString(), Json)!).ToList();
    }

    public Task AppendAsync(string sessionKey, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        var values = entries.Select(e => (RedisValue)JsonSerializer.Serialize(e, Json)).ToArray();
        return Db.ListRightPushAsync(keys.Transcript(sessionKey), values);
    }

    public async Task ResetAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var key = keys.Transcript(sessionKey);
        var archive = (RedisKey)($"{key}:archive:{time.GetUtcNow().ToUnixTimeMilliseconds()}");
        if (await Db.KeyExistsAsync(key).ConfigureAwait(false))
        {
            await Db.KeyRenameAsync(key, archive).ConfigureAwait(false);
            await Db.KeyExpireAsync(archive, TimeSpan.FromDays(30)).ConfigureAwait(false);
        }
    }

    public async Task<int> CountAsync(string sessionKey, CancellationToken cancellationToken)
        => (int)await Db.ListLengthAsync(keys.Transcript(sessionKey)).ConfigureAwait(false);
}
