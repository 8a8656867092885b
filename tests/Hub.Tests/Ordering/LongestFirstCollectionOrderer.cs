using System.Reflection;
using Xunit.Abstractions;

[assembly: TestCollectionOrderer(OpenClaw.Channels.Tests.Ordering.LongestFirstCollectionOrderer.TypeName, "OpenClaw.Channels.Hub.Tests")]

namespace OpenClaw.Channels.Tests.Ordering;

/// <summary>Runs the test collections longest first (by <see cref="TypicalDurationAttribute"/>, unmarked ones count 0 s,
/// ties by name), so the long fault collections start at once in parallel with the short ones instead of ending the run
/// alone. xunit's conservative parallel algorithm starts collections in this order as threads free up.</summary>
public sealed class LongestFirstCollectionOrderer : ITestCollectionOrderer
{
    /// <summary>The full type name, for <see cref="TestCollectionOrdererAttribute"/>.</summary>
    public const string TypeName = "OpenClaw.Channels.Tests.Ordering.LongestFirstCollectionOrderer";

    private const string PerClassPrefix = "Test collection for ";

    /// <inheritdoc />
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
        => testCollections.OrderByDescending(TypicalSeconds).ThenBy(c => c.DisplayName, StringComparer.Ordinal);

    /// <summary>The <see cref="TypicalDurationAttribute"/> seconds of <paramref name="collection"/>'s definition class, or
    /// of its test class when it is a collection per class; 0 when unmarked.</summary>
    internal static double TypicalSeconds(ITestCollection collection)
    {
        var type = collection.CollectionDefinition is IReflectionTypeInfo definition
            ? definition.Type
            : collection.DisplayName.StartsWith(PerClassPrefix, StringComparison.Ordinal)
                ? typeof(LongestFirstCollectionOrderer).Assembly.GetType(collection.DisplayName[PerClassPrefix.Length..])
                : null;
        return type?.GetCustomAttribute<TypicalDurationAttribute>()?.Seconds ?? 0;
    }
}
