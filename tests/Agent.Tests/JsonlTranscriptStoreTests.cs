using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenClaw.Channels.Agent;

namespace OpenClaw.Channels.Tests;

public sealed class JsonlTranscriptStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "openclaw-transcripts-tests", Guid.NewGuid().ToString("N"));
    private readonly JsonlTranscriptStore _store;

    public JsonlTranscriptStoreTests()
    {
        _store = new JsonlTranscriptStore(
            Options.Create(new JsonlTranscriptOptions { Directory = _directory }),
            TimeProvider.System,
            NullLogger<JsonlTranscriptStore>.Instance);
    }

    public void Dispose()
    {
        _store.Dispose();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public async Task ConcurrentAppends_ToManySessions_KeepEveryLineWhole()
    {
        var sessions = Enumerable.Range(0, 8).Select(i => $"agent:main:slack:group:C{i}").ToList();

        await Task.WhenAll(sessions.SelectMany(s => Enumerable.Range(0, 25).Select(n =>
            _store.AppendAsync(s, [Entry("user", $"{s} message {n} " + new string('x', 2000)), Entry("assistant", "ok")], CancellationToken.None))));

        foreach (var session in sessions)
        {
            var lines = await File.ReadAllLinesAsync(_store.GetFilePath(session));
            Assert.Equal(50, lines.Length);
            Assert.All(lines, l => JsonDocument.Parse(l).Dispose());
            Assert.Equal(50, await _store.CountAsync(session, CancellationToken.None));
        }
    }

    [Fact]
    public async Task Load_ReturnsTheLastEntries_OldestFirst()
    {
        const string session = "agent:main:telegram:direct:1";
        for (var i = 0; i < 10; i++)
        {
            await _store.AppendAsync(session, [Entry("user", $"m{i}")], CancellationToken.None);
        }

        var last = await _store.LoadAsync(session, 3, CancellationToken.None);

        Assert.Equal(["m7", "m8", "m9"], last.Select(e => e.Content));
    }

    [Fact]
    public async Task Load_ReadsOpenClawStyleLines_AndSkipsMalformedOnes()
    {
        const string session = "agent:main:telegram:direct:2";
        Directory.CreateDirectory(_directory);
        await File.WriteAllLinesAsync(_store.GetFilePath(session),
        [
            """{"role":"user","content":[{"type":"text","text":"part one"},{"type":"text","text":"part two"}],"timestamp":1763892000000}""",
            "not json at all",
            """{"type":"message","message":{"role":"assistant","content":"nested"},"timestamp":"2026-11-23T10:00:00Z"}""",
        ]);

        var entries = await _store.LoadAsync(session, 10, CancellationToken.None);

        Assert.Equal(2, entries.Count);
        Assert.Equal(("user", "part one\npart two"), (entries[0].Role, entries[0].Content));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1763892000000), entries[0].Timestamp);
        Assert.Equal(("assistant", "nested"), (entries[1].Role, entries[1].Content));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), entries[1].Timestamp);
    }

    [Fact]
    public async Task Reset_ArchivesWithTimestampSuffix_AndCountStartsAtZero()
    {
        const string session = "agent:main:discord:group:99";
        await _store.AppendAsync(session, [Entry("user", "old")], CancellationToken.None);

        await _store.ResetAsync(session, CancellationToken.None);
        await _store.ResetAsync(session, CancellationToken.None); // nothing to archive: no error

        Assert.Equal(0, await _store.CountAsync(session, CancellationToken.None));
        Assert.Empty(await _store.LoadAsync(session, 5, CancellationToken.None));
        var archive = Assert.Single(Directory.GetFiles(_directory, "*.reset.*"));
        Assert.Matches(@"\.jsonl\.reset\.\d{8}T\d{9}Z$", archive);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("agent:main:wechat:direct:oAbC/dE+f==")]
    [InlineData("agent:main:x:direct:名字")]
    public async Task HostileOrUnusualSessionKeys_StayInsideTheDirectory(string session)
    {
        await _store.AppendAsync(session, [Entry("user", "hi")], CancellationToken.None);

        var path = _store.GetFilePath(session);
        Assert.Equal(Path.GetFullPath(_directory), Path.GetDirectoryName(path));
        Assert.True(File.Exists(path));
        Assert.Equal("hi", (await _store.LoadAsync(session, 1, CancellationToken.None)).Single().Content);
    }

    [Fact]
    public void VeryLongSessionKeys_GetDistinctBoundedFileNames()
    {
        var a = _store.GetFilePath("agent:main:slack:group:" + new string('a', 400) + ":1");
        var b = _store.GetFilePath("agent:main:slack:group:" + new string('a', 400) + ":2");

        Assert.NotEqual(a, b);
        Assert.True(Path.GetFileName(a).Length <= 200);
    }

    private static TranscriptEntry Entry(string role, string content) => new(role, content, DateTimeOffset.UtcNow);
}
