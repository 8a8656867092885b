using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using OpenClaw.Channels.Fakes;

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

    [Fact]
    public async Task ChannelWebhook_WithoutTheChannelsHandler_FailsNamingTheCallToAdd()
    {
        await using var app = WebApplication.CreateSlimBuilder().Build();

        var e = Assert.Throws<InvalidOperationException>(() => app.MapChannelWebhook<AcmeHandler>(
            "/webhooks/acme", "AcmeWebhook", 2048, "AddAcmeChannel(section)", "MapAcmeWebhook", static (h, c) => h.HandleAsync(c)));

        Assert.Equal("Call services.AddAcmeChannel(section) before MapAcmeWebhook().", e.Message);
        Assert.Empty(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints));
    }

    [Fact]
    public async Task ChannelWebhook_IsAWebhookPost_AnsweredByTheRegisteredHandler()
    {
        var builder = LoopbackKestrel.CreateBuilder();
        builder.Services.AddSingleton<AcmeHandler>();
        await using var app = builder.Build();
        app.MapChannelWebhook<AcmeHandler>("/webhooks/acme", "AcmeWebhook", 2048, "AddAcmeChannel(section)", "MapAcmeWebhook", static (h, c) => h.HandleAsync(c));
        var baseUrl = await LoopbackKestrel.StartAsync(app);
        using var http = new HttpClient();

        using var ok = await http.PostAsync(baseUrl + "/webhooks/acme", new StringContent("hello"));
        using var tooLarge = await http.PostAsync(baseUrl + "/webhooks/acme", new ByteArrayContent(new byte[2049]));

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("5 bytes", await ok.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal(1, app.Services.GetRequiredService<AcmeHandler>().Handled);
        var endpoint = Assert.Single(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints));
        Assert.Equal("AcmeWebhook", endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName);
        await app.StopAsync();
    }

    private sealed class AcmeHandler
    {
        private int _handled;

        public int Handled => Volatile.Read(ref _handled);

        public async Task<IResult> HandleAsync(HttpContext context)
        {
            var body = await RequestBody.ReadAsync(context.Request, context.RequestAborted);
            if (body is null)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }

            Interlocked.Increment(ref _handled);
            return Results.Text(body.Length + " bytes");
        }
    }
}
