using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Discord;
using OpenClaw.Channels.Hub.Operations;
using OpenClaw.Channels.Slack;
using OpenClaw.Channels.Telegram;
using OpenClaw.Channels.WebChat;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Hub;

/// <summary>Builds the hub application: the hub's services, the agent, and every channel whose section is configured.
/// <c>Program.cs</c> calls it; tests call it with their own configuration.</summary>
public static class HubHost
{
    /// <summary>The channels the hub knows: configuration section, when it is on, how to register it, and the
    /// endpoints to map (null: none in that configuration). A new platform is one line here.</summary>
    private static readonly ChannelEntry[] Channels =
    [
        new("Channels:Telegram", s => Has(s, "BotToken") && !Is(s, "Enabled", "false"), (services, s) => services.AddTelegramChannel(s),
            (app, s) => { if (Is(s, "Mode", nameof(TelegramMode.Webhook))) { app.MapTelegramWebhook(); } }),
        new("Channels:Slack", s => Has(s, "BotToken"), (services, s) => services.AddSlackChannel(s),
            (app, s) => { if (!Is(s, "Mode", nameof(SlackMode.SocketMode))) { app.MapSlackEvents(); } }),
        new("Channels:Discord", s => Has(s, "BotToken") || Has(s, "PublicKey"), (services, s) => services.AddDiscordChannel(s),
            (app, s) => { if (Has(s, "PublicKey")) { app.MapDiscordInteractions(); } }),
        new("Channels:WeChat", s => Has(s, "AppId"), (services, s) => services.AddWeChatChannel(s), (app, _) => app.MapWeChatWebhook()),
        new("Channels:WeCom", s => Has(s, "CorpId"), (services, s) => services.AddWeComChannel(s), (app, _) => app.MapWeComWebhook()),
        new("Channels:WebChat", s => !Is(s, "Enabled", "false"), (services, s) => services.AddWebChatChannel(s), (app, _) => app.MapWebChat()),
    ];

    /// <summary>Creates the application.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Hub:NodeId=a</c>).</param>
    /// <param name="configure">Optional extra configuration of the builder (tests add settings and bind Kestrel to port 0).</param>
    /// <returns>The built application, not yet started.</returns>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var (app, enabled) = Build(args, configure);
        var config = app.Configuration;
        app.MapHub();
        foreach (var channel in enabled)
        {
            channel.Map(app, config.GetSection(channel.Section));
        }

        return app;
    }

    /// <summary>Builds the application with every service registered but no endpoint mapped and nothing resolved, for
    /// <c>doctor</c>: it validates options without serving.</summary>
    /// <param name="args">Command-line arguments (configuration overrides).</param>
    /// <returns>The built application, not started.</returns>
    internal static WebApplication BuildWithoutEndpoints(string[] args) => Build(args, null).App;

    /// <summary>The configuration sections of the channels that <paramref name="configuration"/> turns on.</summary>
    internal static IReadOnlyList<string> EnabledChannelSections(IConfiguration configuration)
        => Channels.Where(c => c.IsEnabled(configuration.GetSection(c.Section))).Select(c => c.Section).ToList();

    private static (WebApplication App, List<ChannelEntry> Enabled) Build(string[] args, Action<WebApplicationBuilder>? configure)
    {
        // Hangfire and parts of StackExchange.Redis block pool threads on round trips; a warm pool keeps a burst of
        // webhooks from starving them (seredis.dev/Timeouts).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));

        var builder = WebApplication.CreateBuilder(args);
        UserSecrets.Add(builder);
        configure?.Invoke(builder);
        var config = builder.Configuration;
        if (!ListenSettings.AnySet(config))
        {
            builder.WebHost.UseUrls(ListenSettings.DefaultUrl);
        }

        // Under systemd (Type=notify): readiness and stop notifications, journal-formatted console logs; a no-op elsewhere.
        builder.Host.UseSystemd();

        builder.Services.AddHub(config);
        builder.Services.AddAgent(config.GetSection(AgentOptions.SectionName));
        var enabled = Channels.Where(c => c.IsEnabled(config.GetSection(c.Section))).ToList();
        foreach (var channel in enabled)
        {
            channel.Register(builder.Services, config.GetSection(channel.Section));
        }

        return (builder.Build(), enabled);
    }

    private static bool Has(IConfigurationSection section, string key) => !string.IsNullOrWhiteSpace(section[key]);

    private static bool Is(IConfigurationSection section, string key, string value) => string.Equals(section[key], value, StringComparison.OrdinalIgnoreCase);

    private sealed record ChannelEntry(
        string Section,
        Func<IConfigurationSection, bool> IsEnabled,
        Action<IServiceCollection, IConfigurationSection> Register,
        Action<WebApplication, IConfigurationSection> Map);
}
