using System.ComponentModel.DataAnnotations;
using OpenClaw.Channels.Adapters;

namespace OpenClaw.Channels.Discord;

/// <summary>Settings of the Discord adapter, bound from the configuration section <c>Channels:Discord</c>.</summary>
/// <remarks>Follows discord.com/developers/docs/reference, events/gateway and interactions/receiving-and-responding.</remarks>
public sealed class DiscordOptions : ChannelPolicyOptions
{
    /// <summary>The configuration section name, <c>Channels:Discord</c>.</summary>
    public const string SectionName = "Channels:Discord";

    /// <summary>The default REST base URL, <c>https://discord.com/api/v10</c>.</summary>
    public const string DefaultApiBaseUrl = "https://discord.com/api/v10";

    /// <summary>The bot token, sent as <c>Authorization: Bot &lt;token&gt;</c>. Required for the gateway and for
    /// sending to channels; never logged.</summary>
    public string? BotToken { get; set; }

    /// <summary>The application id (snowflake). Used as the account id of messages and in interaction webhook
    /// routes (<c>/webhooks/{application_id}/{token}</c>); when empty, the application or bot user id from READY
    /// (gateway) or <c>application_id</c> of the interaction is used.</summary>
    public string? ApplicationId { get; set; }

    /// <summary>The application's public key as 64 hex characters (Ed25519, 32 bytes), used to verify
    /// <c>X-Signature-Ed25519</c> on the interactions endpoint. Without it the endpoint answers 401 to everything.</summary>
    [RegularExpression("^([0-9a-fA-F]{64})?$", ErrorMessage = "PublicKey must be 64 hex characters.")]
    public string? PublicKey { get; set; }

    /// <summary>REST base URL without a trailing slash. Default <c>https://discord.com/api/v10</c>.</summary>
    [Required]
    [Url]
    public string ApiBaseUrl { get; set; } = DefaultApiBaseUrl;

    /// <summary>Gateway URL override (<c>wss://…</c> or, in tests, <c>ws://127.0.0.1:…</c>); when empty the URL comes
    /// from <c>GET /gateway/bot</c>. <c>?v=10&amp;encoding=json</c> is appended either way.</summary>
    public string? GatewayUrl { get; set; }

    /// <summary>Gateway intents bit set. Default 37377 = GUILDS (1) | GUILD_MESSAGES (512) | DIRECT_MESSAGES (4096)
    /// | MESSAGE_CONTENT (32768, privileged: enable it in the developer portal).</summary>
    [Range(0, int.MaxValue)]
    public int Intents { get; set; } = 37377;

    /// <summary>Connect to the gateway. <see langword="null"/> (default) means: when <see cref="BotToken"/> is set.</summary>
    public bool? EnableGateway { get; set; }

    /// <summary>The <c>allowed_mentions.parse</c> list of outgoing messages: any of <c>users</c>, <c>roles</c>,
    /// <c>everyone</c>. Empty (default) sends <c>{"parse":[]}</c>, which pings nobody.</summary>
    public IList<string> AllowedMentions { get; } = [];

    /// <summary>Ping the author of the message a reply quotes (<c>allowed_mentions.replied_user</c>). Default false.</summary>
    public bool PingRepliedUser { get; set; }

    /// <summary>Lets the sender fetch Markdown image URLs from the model's answer on loopback, private and link-local
    /// networks (an intranet image host). Default false: such URLs are refused before any request (server-side request
    /// forgery guard, see <c>PublicNetworkGuard</c>) and the image is posted as its link.</summary>
    public bool AllowPrivateMediaHosts { get; set; }

    /// <summary>Slash command whose <c>prompt</c> option becomes plain message text. Default <c>ask</c>; other
    /// commands become <see cref="MessageType.Command"/> messages.</summary>
    [Required]
    public string AskCommandName { get; set; } = "ask";

    /// <summary>Register the slash commands at start (<see cref="AskCommandName"/> with a required <c>prompt</c> option,
    /// plus the hub's <c>/help</c>, <c>/reset</c>, <c>/status</c>) with <c>PUT /applications/{ApplicationId}/commands</c>
    /// (global), or per guild of <see cref="GuildIds"/>. Needs <see cref="ApplicationId"/> and <see cref="BotToken"/>.
    /// Default true. The PUT replaces every command of the application in that scope.</summary>
    public bool RegisterCommands { get; set; } = true;

    /// <summary>Guild ids (snowflakes) to register the slash commands in (guild commands show up at once); empty
    /// (default) registers them globally.</summary>
    public IList<string> GuildIds { get; } = [];

    /// <summary>Requests per second toward the bot-authenticated REST API (Discord's global limit is 50). Default 50.</summary>
    [Range(1, 1000)]
    public int GlobalRequestsPerSecond { get; set; } = 50;

    /// <summary>Retries of one REST call after a 429 or a 5xx before giving up. Default 3.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Longest 429 <c>retry_after</c> that is waited out, in ms; longer ones fail the call with
    /// <see cref="ChannelDeliveryException.RetryAfter"/> set. Default 60,000.</summary>
    [Range(0, 3_600_000)]
    public int MaxRetryAfterMs { get; set; } = 60_000;

    /// <summary>Delay before reconnecting after a dropped connection, in ms; doubled per consecutive failure up to
    /// <see cref="MaxReconnectDelayMs"/>. Default 1,000.</summary>
    [Range(0, 600_000)]
    public int ReconnectDelayMs { get; set; } = 1_000;

    /// <summary>Upper bound of the reconnect backoff, in ms. Default 60,000.</summary>
    [Range(0, 3_600_000)]
    public int MaxReconnectDelayMs { get; set; } = 60_000;

    /// <summary>Lower bound of the random wait after Invalid Session (op 9), in ms. Discord asks for 1–5 s. Default 1,000.</summary>
    [Range(0, 600_000)]
    public int InvalidSessionMinDelayMs { get; set; } = 1_000;

    /// <summary>Upper bound of the random wait after Invalid Session (op 9), in ms. Default 5,000.</summary>
    [Range(0, 600_000)]
    public int InvalidSessionMaxDelayMs { get; set; } = 5_000;

    /// <summary>Identify rate-limit window, in ms: one Identify per window per rate-limit bucket, the bucket of shard
    /// <c>i</c> being <c>i % max_concurrency</c>, counted across the cluster. Default 5,000
    /// (discord.com/developers/docs/events/gateway#rate-limiting, #sharding-max-concurrency).</summary>
    [Range(0, 600_000)]
    public int IdentifyWindowMs { get; set; } = 5_000;

    /// <summary>Number of gateway shards (discord.com/developers/docs/events/gateway#sharding). <see langword="null"/>
    /// (default): the <c>shards</c> that <c>GET /gateway/bot</c> recommends (1 when <see cref="GatewayUrl"/> is set).
    /// Each shard is one connection held by one node of the cluster; a close with 4011 (sharding required) re-reads
    /// <c>/gateway/bot</c> and re-shards.</summary>
    [Range(1, 4096)]
    public int? ShardCount { get; set; }

    /// <summary>How long to wait for Hello after connecting, and for a close handshake, in ms. Default 10,000.</summary>
    [Range(100, 600_000)]
    public int GatewayHandshakeTimeoutMs { get; set; } = 10_000;

    /// <summary>How often the typing indicator must be refreshed, in ms (it lasts 10 s). Default 8,000.</summary>
    [Range(1_000, 10_000)]
    public int TypingIntervalMs { get; set; } = 8_000;

    /// <summary>True when the gateway worker should run: <see cref="EnableGateway"/>, or a bot token when unset.</summary>
    internal bool GatewayEnabled => EnableGateway ?? !string.IsNullOrEmpty(BotToken);
}
