using System.Net;

namespace OpenClaw.Channels.Tests.Security;

/// <summary>Behind a reverse proxy every request reaches the hub from loopback: a relayed request must not pass as
/// local, and with <c>Hub:KnownProxies</c> the client's own address decides.</summary>
public class ForwardedRequestTests
{
    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.5")]
    [InlineData("Forwarded", "for=203.0.113.5;proto=https")]
    [InlineData("X-Real-IP", "203.0.113.5")]
    public async Task Dashboard_WithoutCredentials_ForbidsARelayedRequest(string header, string value)
    {
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?>());
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.GetAsync("/hangfire")).StatusCode);

        using var relayed = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
        relayed.Headers.TryAddWithoutValidation(header, value);
        Assert.Equal(HttpStatusCode.Forbidden, (await hub.Http.SendAsync(relayed)).StatusCode);
    }

    [Fact]
    public async Task KnownProxy_ForwardedClientAddressDecides()
    {
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?> { ["Hub:KnownProxies:0"] = "127.0.0.1" });

        using var remoteClient = new HttpRequestMessage(HttpMethod.Get, "/api/cron/jobs");
        remoteClient.Headers.Add("X-Forwarded-For", "203.0.113.5");
        Assert.Equal(HttpStatusCode.Forbidden, (await hub.Http.SendAsync(remoteClient)).StatusCode);

        using var localClient = new HttpRequestMessage(HttpMethod.Get, "/api/cron/jobs");
        localClient.Headers.Add("X-Forwarded-For", "127.0.0.1");
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.SendAsync(localClient)).StatusCode);
    }

    [Fact]
    public async Task UnknownProxy_ForwardedHeaderIsNotApplied_AndTheRequestIsNotLocal()
    {
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?> { ["Hub:KnownProxies:0"] = "10.9.9.9" });
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "/api/cron/jobs");
        spoofed.Headers.Add("X-Forwarded-For", "127.0.0.1");
        Assert.Equal(HttpStatusCode.Forbidden, (await hub.Http.SendAsync(spoofed)).StatusCode);
    }

    [Fact]
    public async Task AdminToken_IsABearerScheme_EvenForLocalRequests()
    {
        await using var hub = await HubNode.StartAsync(new Dictionary<string, string?> { ["Hub:AdminToken"] = "t0ken" });
        var anonymous = await hub.Http.GetAsync("/api/cron/jobs");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Bearer", anonymous.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var authorized = new HttpRequestMessage(HttpMethod.Get, "/api/cron/jobs");
        authorized.Headers.Authorization = new("Bearer", "t0ken");
        authorized.Headers.Add("X-Forwarded-For", "203.0.113.5");
        Assert.Equal(HttpStatusCode.OK, (await hub.Http.SendAsync(authorized)).StatusCode);
    }
}
