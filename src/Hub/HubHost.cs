using OpenClaw.Channels.Agent;
using OpenClaw.Channels.Discord;
using OpenClaw.Channels.Slack;
using OpenClaw.Channels.Telegram;
using OpenClaw.Channels.WeChat;

namespace OpenClaw.Channels.Hub;

/// <summary>Builds the hub application: the hub's services, the agent, and every channel whose section is configured.
/// <c>Program.cs</c> calls it; tests call it with their own configuration.</summary>
public static class HubHost
{
    /// <summary>Creates the application.</summary>
    /// <param name="args">Command-line arguments (configuration overrides such as <c>--Hub:NodeId=a</c>).</param>
    /// <param name="configure">Optional extra configuration of the builder (tests add settings and bind Kestrel to port 0).</param>
    /// <returns>The built application, not yet started.</returns>
    public static WebApplication Create(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Hangfire and parts of StackExchange.Redis block pool threads on round trips; a warm pool keeps a burst of
        // webhooks from starving them (seredis.dev/Timeouts).
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));

        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var config = builder.Configuration;

        builder.Services.AddHub(config);
        builder.Services.AddAgent(config.GetSection(AgentOptions.SectionName));

        var telegram = config.GetSection("Channels:Telegram");
        var telegramEnabled = !string.IsNullOrWhiteSpace(telegram["BotToken"]) && !string.Equals(telegram["Enabled"], "false", StringComparison.OrdinalIgnoreCase);
        if (telegramEnabled)
        {
            builder.Services.AddTelegramChannel(telegram);
        }

        var slack = config.GetSection("Channels:Slack");
        var slackEnabled = !string.IsNullOrWhiteSpace(slack["BotToken"]);
        if (slackEnabled)
        {
            builder.Services.AddSlackChannel(slack);
        }

        var discord = config.GetSection("Channels:Discord");
        var discordEnabled = !string.IsNullOrWhiteSpace(discord["BotToken"]) || !string.IsNullOrWhiteSpace(discord["PublicKey"]);
        if (discordEnabled)
        {
            builder.Services.AddDiscordChannel(discord);
        }

        var wechat = config.GetSection("Channels:WeChat");
        var wechatEnabled = !string.IsNullOrWhiteSpace(wechat["AppId"]);
        if (wechatEnabled)
        {
            builder.Services.AddWeChatChannel(wechat);
        }

        var wecom = config.GetSection("Channels:WeCom");
        var wecomEnabled = !string.IsNullOrWhiteSpace(wecom["CorpId"]);
        if (wecomEnabled)
        {
            builder.Services.AddWeComChannel(wecom);
        }

        var app = builder.Build();
        app.MapHub();
        if (telegramEnabled && string.Equals(telegram["Mode"], nameof(TelegramMode.Webhook), StringComparison.OrdinalIgnoreCase))
        {
            app.MapTelegramWebhook();
        }

        if (slackEnabled && !string.Equals(slack["Mode"], nameof(SlackMode.SocketMode), StringComparison.OrdinalIgnoreCase))
        {
            app.MapSlackEvents();
        }

        if (discordEnabled && !string.IsNullOrWhiteSpace(discord["PublicKey"]))
        {
            app.MapDiscordInteractions();
        }

        if (wechatEnabled)
        {
            app.MapWeChatWebhook();
        }

        if (wecomEnabled)
        {
            app.MapWeComWebhook();
        }

        return app;
    }
}
