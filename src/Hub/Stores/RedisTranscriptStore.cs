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
        var entries = new TranscriptEntry[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            // Straight from the UTF-8 bytes: no string of the whole line first (the history is read on every turn).
            entries[i] = JsonSerializer.Deserialize<TranscriptEntry>(((ReadOnlyMemory<byte>)values[i]).Span, Json)!;
        }

        return entries;
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

    /// <summary>Writes the current transcript of <paramref name="sessionKey"/> as OpenClaw JSONL (one stored line per entry,
    /// oldest first, <c>\n</c> after each) to <paramref name="output"/>, reading <paramref name="batch"/> entries per round trip.</summary>
    /// <returns>The number of lines written (0: no transcript).</returns>
    public async Task<long> ExportAsync(string sessionKey, Stream output, CancellationToken cancellationToken, int batch = 500)
    {
        var key = keys.Transcript(sessionKey);
        var newline = "\n"u8.ToArray();
        long written = 0;
        while (true)
        {
            var values = await Db.ListRangeAsync(key, written, written + batch - 1).ConfigureAwait(false);
            foreach (var value in values)
            {
                await output.WriteAsync((byte[])value!, cancellationToken).ConfigureAwait(false);
                await output.WriteAsync(newline, cancellationToken).ConfigureAwait(false);
            }

            written += values.Length;
            if (values.Length < batch)
            {
                return written;
            }
        }
    }

    public async Task<int> CountAsync(string sessionKey, CancellationToken cancellationToken)
        => (int)await Db.ListLengthAsync(keys.Transcript(sessionKey)).ConfigureAwait(false);
}
