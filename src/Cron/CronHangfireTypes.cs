using Hangfire.Common;

namespace OpenClaw.Channels.Cron;

/// <summary>Hangfire type resolver that still reads cron jobs enqueued before the cron lane moved out of the Hub
/// assembly: <c>OpenClaw.Channels.Hub.Cron.{Type}, OpenClaw.Channels.Hub</c> (the simple-assembly-name form Hangfire
/// stores) resolves to <c>OpenClaw.Channels.Cron.{Type}, OpenClaw.Channels.Cron</c>; every other name goes to
/// Hangfire's default resolver. Register with <c>UseTypeResolver(CronHangfireTypes.Resolve)</c>.</summary>
public static class CronHangfireTypes
{
    private const string LegacyNamespace = "OpenClaw.Channels.Hub.Cron.";
    private const string LegacyAssembly = ", OpenClaw.Channels.Hub";

    /// <summary>Resolves a type name stored with a Hangfire job.</summary>
    /// <param name="typeName">Assembly-qualified type name (full or simple assembly name).</param>
    /// <returns>The type.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="typeName"/> is null.</exception>
    /// <exception cref="TypeLoadException">No such type (Hangfire's default resolver throws it).</exception>
    public static Type Resolve(string typeName)
    {
        ArgumentNullException.ThrowIfNull(typeName);
        if (typeName.StartsWith(LegacyNamespace, StringComparison.Ordinal) && typeName.EndsWith(LegacyAssembly, StringComparison.Ordinal))
        {
            typeName = typeof(CronHangfireTypes).Namespace + "." + typeName[LegacyNamespace.Length..^LegacyAssembly.Length] + ", " + typeof(CronHangfireTypes).Assembly.GetName().Name;
        }

        return TypeHelper.DefaultTypeResolver(typeName);
    }
}
