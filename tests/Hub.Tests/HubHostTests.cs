namespace OpenClaw.Channels.Tests;

public class HubHostTests(TestRedis redis) : IClassFixture<TestRedis>
{
    [Fact]
    public async Task Embedded_WithNoConfiguration_ServesHealthReadinessDashboardAndMetrics()
    {
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>());
        Assert.Equal("Healthy", await hub.Http.GetStringAsync("/healthz"));
        Assert.Equal("Healthy", await hub.WaitReadyAsync());
        var dashboard = await hub.Http.GetAsync("/hangfire");
        Assert.Equal(System.Net.HttpStatusCode.OK, dashboard.StatusCode);
        Assert.Contains("OpenClaw.Channels jobs", await dashboard.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("# TYPE", await hub.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Redis_IsReady_WhenTheStoreAnswers()
    {
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = redis.ConnectionString,
            ["Hub:KeyPrefix"] = TestRedis.NewPrefix(),
        });
        Assert.Equal("Healthy", await hub.WaitReadyAsync());
    }

    [Fact]
    public async Task Dashboard_WithCredentials_RequiresBasicAuth()
    {
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["Dashboard:Username"] = "ops",
            ["Dashboard:Password"] = "s3cret",
        });
        var anonymous = await hub.Http.GetAsync("/hangfire");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        wrong.Headers.Authorization = new("Basic", Convert.ToBase64String("ops:nope"u8.ToArray()));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await hub.Http.SendAsync(wrong)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        right.Headers.Authorization = new("Basic", Convert.ToBase64String("ops:s3cret"u8.ToArray()));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await hub.Http.SendAsync(right)).StatusCode);
    }
}
