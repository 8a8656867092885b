using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;

namespace OpenClaw.Channels.Fakes;

/// <summary>Files a fake platform serves for download, and what it actually served: the body is written in 64 KiB
/// pieces with a flush each (so the transport's backpressure applies) and <see cref="BytesServed"/> counts what was written
/// until the client left, so a test can tell a capped download (the client stopped reading; socket buffers still take some
/// megabytes on loopback) or no download from a full one. Thread-safe.</summary>
public sealed class FakeFileStore
{
    private readonly ConcurrentDictionary<string, FakeFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _downloads = new();
    private long _bytesServed;
    private int _finished;

    /// <summary>Download responses that are over (fully written, or abandoned by the client), so far.</summary>
    public int FinishedDownloads => Volatile.Read(ref _finished);

    /// <summary>Bytes written to download responses so far, over all files.</summary>
    public long BytesServed => Interlocked.Read(ref _bytesServed);

    /// <summary>Keys of the files requested for download, in order (also failed or abandoned ones).</summary>
    public IReadOnlyCollection<string> Downloads => _downloads;

    /// <summary>Adds or replaces a file.</summary>
    /// <param name="key">The fake's key for it (a Telegram <c>file_id</c>, a Slack file id, a Discord attachment id).</param>
    /// <param name="data">Its bytes.</param>
    /// <param name="mediaType">Its MIME type, sent as <c>Content-Type</c>.</param>
    /// <param name="name">Its file name.</param>
    /// <returns>The stored file.</returns>
    public FakeFile Add(string key, byte[] data, string mediaType = "application/octet-stream", string name = "file.bin")
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(data);
        var file = new FakeFile(key, data, mediaType, name);
        _files[key] = file;
        return file;
    }

    /// <summary>The file stored under <paramref name="key"/>, or null.</summary>
    public FakeFile? Get(string key) => _files.GetValueOrDefault(key);

    /// <summary>Writes the file as the response (200 with <c>Content-Type</c> and <c>Content-Length</c>), or 404.</summary>
    /// <param name="context">The request.</param>
    /// <param name="key">The file's key.</param>
    public async Task ServeAsync(HttpContext context, string key)
    {
        ArgumentNullException.ThrowIfNull(context);
        _downloads.Enqueue(key);
        if (!_files.TryGetValue(key, out var file))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = file.MediaType;
        context.Response.ContentLength = file.Data.Length;
        const int Piece = 64 * 1024;
        try
        {
            for (var offset = 0; offset < file.Data.Length; offset += Piece)
            {
                var count = Math.Min(Piece, file.Data.Length - offset);
                await context.Response.Body.WriteAsync(file.Data.AsMemory(offset, count), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                if (context.RequestAborted.IsCancellationRequested)
                {
                    break; // Kestrel discards writes after the client left: they were not served
                }

                Interlocked.Add(ref _bytesServed, count);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // the client stopped reading (a capped download): what was written is counted
        }
        finally
        {
            Interlocked.Increment(ref _finished);
        }
    }
}
