namespace OpenClaw.Channels.Tests.Ordering;

/// <summary>About how long a test collection takes on a quiet machine, in seconds: on a collection definition (a class
/// with <see cref="CollectionDefinitionAttribute"/>) or on a test class that is its own collection.
/// <see cref="LongestFirstCollectionOrderer"/> starts the longest collections first.</summary>
/// <param name="seconds">The typical wall time of the whole collection, in seconds.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TypicalDurationAttribute(double seconds) : Attribute
{
    /// <summary>The typical wall time, in seconds.</summary>
    public double Seconds { get; } = seconds;
}
