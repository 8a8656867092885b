using System.Collections;

namespace OpenClaw.Channels.Tests;

/// <summary>A snapshot of the lines a test hub wrote (<see cref="ITestHub.Output"/>: a process's standard output and
/// error, or an in-process hub's log, in arrival order).
/// Enumerates line by line; <see cref="ToString"/> joins the lines with <c>\n</c> (for failure messages).</summary>
public sealed class HubOutput(IReadOnlyList<string> lines) : IReadOnlyList<string>
{
    public int Count => lines.Count;

    public string this[int index] => lines[index];

    public IEnumerator<string> GetEnumerator() => lines.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join('\n', lines);
}
