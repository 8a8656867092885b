using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes;

namespace OpenClaw.Channels.Adapters.Tests;

/// <summary>Model-written media URLs are fetched from public addresses only (server-side request forgery guard).</summary>
public class PublicNetworkGuardTests
{
    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("172.32.0.1", true)]
    [InlineData("2001:4860:4860::8888", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("127.8.9.10", false)]
    [InlineData("10.1.2.3", false)]
    [InlineData("172.16.0.1", false)]
    [InlineData("172.31.255.255", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("224.0.0.1", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::1", false)]
    [InlineData("::", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("ff02::1", false)]
    [InlineData("::ffff:127.0.0.1", false)]
    [InlineData("::ffff:8.8.8.8", true)]
    public void IsPublic_ClassifiesTheAddress(string address, bool expected)
        => Assert.Equal(expected, PublicNetworkGuard.IsPublic(IPAddress.Parse(address)));

    [Fact]
    public async Task AFetchOfALoopbackUrl_IsRefusedBeforeAnyRequest_UnlessPrivateNetworksAreAllowed()
    {
        var requests = 0;
        await using var app = LoopbackKestrel.CreateBuilder().Build();
        app.MapGet("/api/transcripts/secret", () =>
        {
            Interlocked.Increment(ref requests);
            return Results.Text("transcript");
        });
        var baseUrl = await LoopbackKestrel.StartAsync(app);

        var guarded = Client(allowPrivateNetworks: false);
        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync(new Uri(new Uri(baseUrl), "/api/transcripts/secret")));
        Assert.Contains("no public address", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refused.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<HttpRequestException>(() => guarded.GetAsync(new Uri($"http://localhost:{new Uri(baseUrl).Port}/api/transcripts/secret")));
        Assert.Equal(0, requests);

        var open = Client(allowPrivateNetworks: true);
        Assert.Equal("transcript", await open.GetStringAsync(new Uri(new Uri(baseUrl), "/api/transcripts/secret")));
        Assert.Equal(1, requests);
    }

    private static HttpClient Client(bool allowPrivateNetworks)
    {
        var services = new ServiceCollection();
        services.AddPublicMediaHttpClient("slack", allowPrivateNetworks);
        return services.BuildServiceProvider().GetRequiredService<IHttpClientFactory>().CreateClient(PublicNetworkGuard.HttpClientName("slack"));
    }
}
