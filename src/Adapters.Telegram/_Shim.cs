namespace OpenClaw.Channels.Telegram;
#pragma warning disable CS1591
public static class TelegramShim {
    public static Microsoft.Extensions.DependencyInjection.IServiceCollection AddTelegramChannel(this Microsoft.Extensions.DependencyInjection.IServiceCollection s, Microsoft.Extensions.Configuration.IConfiguration c) => s;
    public static Microsoft.AspNetCore.Routing.IEndpointRouteBuilder MapTelegramWebhook(this Microsoft.AspNetCore.Routing.IEndpointRouteBuilder e) => e;
}
