using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenClaw.Channels.Agent;

/// <summary>
/// The embedded <see cref="ITranscriptStore"/>: one OpenClaw-compatible JSONL file per session under
/// <see cref="JsonlTranscriptOptions.Directory"/>, one <c>{"role":"user","content":"…","timestamp":"2026-11-23T10:00:00.000Z"}</c>
/// object per line (camelCase, UTF-8, <c>\n</c> line ends). The file name is a safe encoding of the session key
/// (<c>agent%3Amain%3Atelegram%3Adirect%3A123.jsonl</c>). <see cref="ResetAsync"/> archives the current file by renaming it to
/// <c>{name}.jsonl.reset.{yyyyMMddTHHmmssfffZ}</c>. Calls for the same session are serialized inside the process; calls for
/// different sessions run in parallel. Appends are flushed to the operating system before the call returns.
/// </summary>
/// <remarks>Reading tolerates OpenClaw-style lines whose <c>content</c> is an array of <c>{"type":"text","text":"…"}</c>
/// parts and whose <c>timestamp</c> is epoch milliseconds; lines that cannot be parsed are skipped with a warning.
/// On case-insensitive file systems (Windows, macOS defaults) session keys differing only in letter case share a file.</remarks>
public sealed partial class JsonlTranscriptStore : ITranscriptStore, IDisposable
{
    private const int LockStripes = 64;
    private static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly string _directory;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<JsonlTranscriptStore> _logger;
    private readonly SemaphoreSlim[] _locks;

    /// <summary>Creates the store.</summary>
    /// <param name="options">The directory.</param>
    /// <param name="timeProvider">Clock for archive names.</param>
    /// <param name="logger">Logger.</param>
    public JsonlTranscriptStore(IOptions<JsonlTranscriptOptions> options, TimeProvider timeProvider, ILogger<JsonlTranscriptStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _directory = Path.GetFullPath(options.Value.Directory);
        _timeProvider = timeProvider;
        _logger = logger;
        _locks = new SemaphoreSlim[LockStripes];
        for (var i = 0; i < _locks.Length; i++)
        {
            _locks[i] = new SemaphoreSlim(1, 1);
        }
    }

    /// <summary>Full path of the current transcript file of <paramref name="sessionKey"/> (it may not exist yet).</summary>
    /// <param name="sessionKey">The session key.</param>
    /// <exception cref="ArgumentException"><paramref name="sessionKey"/> is empty.</exception>
    public string GetFilePath(string sessionKey) => Path.Combine(_directory, TranscriptFileName.Encode(sessionKey) + ".jsonl");

    /// <inheritdoc />
    public async Task<IReadOnlyList<TranscriptEntry>> LoadAsync(string sessionKey, int maxEntries, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntries, 1);
        var path = GetFilePath(sessionKey);
        var gate = LockFor(sessionKey);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(path))
            {
                return [];
            }

            // Keep a window of the last N non-empty lines while streaming through the file.
            var window = new Queue<string>(Math.Min(maxEntries, 1024));
            using (var reader = new StreamReader(OpenRead(path), Utf8))
            {
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    if (string.IsNullOrWhiteSpace(line))
                    {
                        continue;
                    }

                    if (window.Count == maxEntries)
                    {
                        window.Dequeue();
                    }

                    window.Enqueue(line);
                }
            }

            var entries = new List<TranscriptEntry>(window.Count);
            foreach (var line in window)
            {
                if (TryParse(line, out var entry))
                {
                    entries.Add(entry);
                }
                else
                {
                    LogMalformedLine(_logger, Path.GetFileName(path));
                }
            }

            return entries;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task AppendAsync(string sessionKey, IReadOnlyList<TranscriptEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var path = GetFilePath(sessionKey);
        var buffer = new MemoryStream();
        foreach (var entry in entries)
        {
            WriteLine(buffer, entry);
        }

        var gate = LockFor(sessionKey);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(_directory);
            var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Append,
                Access = FileAccess.Write,
                Share = FileShare.Read,
                Options = FileOptions.Asynchronous,
            });
            await using (stream.ConfigureAwait(false))
            {
                buffer.Position = 0;
                await buffer.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task ResetAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var path = GetFilePath(sessionKey);
        var gate = LockFor(sessionKey);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(path))
            {
                return;
            }

            var stamp = _timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture);
            var archive = string.Concat(path, ".reset.", stamp);
            for (var n = 1; File.Exists(archive); n++)
            {
                archive = string.Concat(path, ".reset.", stamp, "-", n.ToString(CultureInfo.InvariantCulture));
            }

            File.Move(path, archive);
            LogArchived(_logger, Path.GetFileName(archive));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public async Task<int> CountAsync(string sessionKey, CancellationToken cancellationToken)
    {
        var path = GetFilePath(sessionKey);
        var gate = LockFor(sessionKey);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!File.Exists(path))
            {
                return 0;
            }

            var count = 0;
            using var reader = new StreamReader(OpenRead(path), Utf8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (!string.IsNullOrWhiteSpace(line))
                {
                    count++;
                }
            }

            return count;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var gate in _locks)
        {
            gate.Dispose();
        }
    }

    private static FileStream OpenRead(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite | FileShare.Delete,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
    });

    private SemaphoreSlim LockFor(string sessionKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionKey);
        var hash = (uint)StringComparer.Ordinal.GetHashCode(sessionKey);
        return _locks[hash % LockStripes];
    }

    private static void WriteLine(Stream stream, TranscriptEntry entry)
    {
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writer.WriteString("role", entry.Role);
            writer.WriteString("content", entry.Content);
            writer.WriteString("timestamp", FormatTimestamp(entry.Timestamp));
            writer.WriteEndObject();
        }

        stream.WriteByte((byte)'\n');
    }

    private static string FormatTimestamp(DateTimeOffset timestamp)
        => timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static bool TryParse(string line, out TranscriptEntry entry)
    {
        entry = null!;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            // OpenClaw also writes {"type":"message","message":{"role":…,"content":…},"timestamp":…}.
            var message = root.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
            if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            var content = message.TryGetProperty("content", out var c) ? ReadContent(c) : null;
            if (content is null)
            {
                return false;
            }

            var timestamp = ReadTimestamp(root) ?? ReadTimestamp(message) ?? DateTimeOffset.UnixEpoch;
            entry = new TranscriptEntry(role.GetString()!, content, timestamp);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? ReadContent(JsonElement content)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                return content.GetString();
            case JsonValueKind.Array:
                var sb = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        if (sb.Length > 0)
                        {
                            sb.Append('\n');
                        }

                        sb.Append(text.GetString());
                    }
                }

                return sb.ToString();
            case JsonValueKind.Null:
                return string.Empty;
            default:
                return null;
        }
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement element)
    {
        if (!element.TryGetProperty("timestamp", out var ts))
        {
            return null;
        }

        if (ts.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(ts.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        if (ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var ms))
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        return null;
    }

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Skipped a malformed transcript line in {File}")]
    private static partial void LogMalformedLine(ILogger logger, string file);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Transcript archived as {File}")]
    private static partial void LogArchived(ILogger logger, string file);
}
