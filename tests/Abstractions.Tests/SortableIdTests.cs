namespace OpenClaw.Channels.Tests;

public class SortableIdTests
{
    [Fact]
    public void Ids_AreUnique_SortByTime_AndCarryTheirTime()
    {
        var t0 = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 1000).Select(i => SortableId.NewId(t0.AddMilliseconds(i))).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
        Assert.All(ids, id => Assert.Equal(26, id.Length));
        Assert.Equal(t0.AddMilliseconds(999), SortableId.TryGetTime(ids[^1]));
        Assert.Null(SortableId.TryGetTime("not-an-id"));
    }
}
