using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OpenClaw.Channels.Adapters.Tests;

public sealed class WebhookEndpointTests
{
    [Fact]
    public async Task MissingChannelServices_FailNamingTheCallToAdd()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var e = Assert.Throws<InvalidOperationException>(() => app.RequireChannelService<AcmeHandler>("AddAcmeChannel(section)", "MapAcmeWebhook"));

        Assert.Equal("Call services.AddAcmeChannel(section) before MapAcmeWebhook().", e.Message);
    }

    [Fact]
    public async Task RegisteredChannelServices_Pass()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddSingleton<AcmeHandler>();
        await using var app = builder.Build();

        app.RequireChannelService<AcmeHandler>("AddAcmeChannel(section)", "MapAcmeWebhook");
    }

    [Fact]
    public async Task MappedWebhook_IsAPostWithItsNameAndBodyLimit()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        app.MapWebhookPost("/webhooks/acme", static (HttpContext _) => Results.Ok(), "AcmeWebhook", 2048);

        var endpoint = Assert.Single(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints));
        Assert.Equal(2048, endpoint.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize);
        Assert.Equal("AcmeWebhook", endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName);
        Assert.Equal(["POST"], endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods);
        Assert.False(endpoint.Metadata.GetMetadata<IAntiforgeryMetadata>()?.RequiresValidation ?? true);
    }

    private sealed class AcmeHandler
    {
    }
}
