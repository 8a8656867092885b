using System.Net;
using System.Net.Http.Headers;

namespace OpenClaw.Channels.Tests.Security;

/// <summary><c>/metrics</c> names chats, channels and queue depths: local only by default, like the dashboard, and
/// behind the dashboard's Basic credentials or the admin bearer token once either is configured.</summary>
public class MetricsAccessTests
{
    [Fact]
    public async Task WithoutCredentials_ALocalScrapePasses_AndARelayedOneIsForbidden()
    {
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>());
        Assert.Contains("# TYPE", await hub.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);

        using var relayed = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        relayed.Headers.Add("X-Forwarded-For", "203.0.113.5");
        Assert.Equal(HttpStatusCode.Forbidden, (await hub.Http.SendAsync(relayed)).StatusCode);
    }

    [Fact]
    public async Task WithCredentials_AScrapeNeedsBasicOrTheAdminToken()
    {
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>
        {
            ["Dashboard:Username"] = "ops",
            ["Dashboard:Password"] = "s3cret",
            ["Hub:AdminToken"] = "admin-token-for-tests",
        });
        Assert.Equal(HttpStatusCode.Unauthorized, (await hub.Http.GetAsync("/metrics")).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await ScrapeAsync(hub, new AuthenticationHeaderValue("Bearer", "wrong-token"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ScrapeAsync(hub, new AuthenticationHeaderValue("Basic", Convert.ToBase64String("ops:nope"u8.ToArray())))).StatusCode);

        var bearer = await ScrapeAsync(hub, new AuthenticationHeaderValue("Bearer", "admin-token-for-tests"));
        Assert.Equal(HttpStatusCode.OK, bearer.StatusCode);
        Assert.Contains("# TYPE", await bearer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await ScrapeAsync(hub, new AuthenticationHeaderValue("Basic", Convert.ToBase64String("ops:s3cret"u8.ToArray())))).StatusCode);
    }

    private static async Task<HttpResponseMessage> ScrapeAsync(HubNode hub, AuthenticationHeaderValue authorization)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        request.Headers.Authorization = authorization;
        return await hub.Http.SendAsync(request);
    }
}
