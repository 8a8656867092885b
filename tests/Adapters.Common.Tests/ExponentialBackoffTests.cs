namespace OpenClaw.Channels.Adapters.Tests;

public sealed class ExponentialBackoffTests
{
    private static readonly ExponentialBackoff Plain = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1000));

    [Theory]
    [InlineData(1, 100)]
    [InlineData(2, 200)]
    [InlineData(3, 400)]
    [InlineData(4, 800)]
    [InlineData(5, 1000)]
    [InlineData(60, 1000)]
    [InlineData(int.MaxValue, 1000)]
    public void DelayDoublesPerFailure_UpToTheMax(int failures, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), Plain.DelayAfter(failures));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void NoFailureYet_WaitsTheInitialDelay(int failures)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(100), Plain.DelayAfter(failures));
    }

    [Fact]
    public void InitialAboveMax_IsCappedAtMax()
    {
        Assert.Equal(TimeSpan.FromSeconds(1), new ExponentialBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)).DelayAfter(1));
    }

    [Fact]
    public void Jitter_TakesOffAtMostItsFraction()
    {
        var backoff = Plain with { Jitter = 0.5 };
        var random = new Random(42);
        var delays = Enumerable.Range(0, 200).Select(_ => backoff.DelayAfter(3, random).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, 200, 400));
        Assert.True(delays.Distinct().Count() > 100, "the jitter spreads the delays");
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    public void JitterOutsideZeroToOne_Throws(double jitter)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => (Plain with { Jitter = jitter }).DelayAfter(1));
    }
}
