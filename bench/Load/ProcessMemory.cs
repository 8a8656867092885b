using System.Globalization;

namespace OpenClaw.Channels.Bench.Load;

/// <summary>Reads this process's resident set from /proc/self/status (Linux): <c>VmRSS</c> now, <c>VmHWM</c> peak.</summary>
public static class ProcessMemory
{
    public static double RssMiB() => Read("VmRSS:");

    public static double PeakRssMiB() => Read("VmHWM:");

    private static double Read(string field)
    {
        if (!File.Exists("/proc/self/status"))
        {
            return double.NaN;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                var kb = line[field.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }
}
