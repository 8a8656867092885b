using System.Diagnostics;
using System.Globalization;

namespace OpenClaw.Channels.Tests;

/// <summary>Freezing a hub process (a node that hangs: no heartbeat, no I/O, its sockets stay open).</summary>
public sealed partial class HubProcess
{
    /// <summary>SIGSTOP: the process stops running at once, keeping its memory and sockets (a hung node); SIGKILL
    /// (<see cref="Kill"/>) still ends it. POSIX only (<c>kill -STOP</c>).</summary>
    /// <exception cref="InvalidOperationException"><c>kill</c> failed.</exception>
    public void Freeze()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-STOP", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -STOP {_process.Id} exited with {kill.ExitCode}.");
        }
    }
}
