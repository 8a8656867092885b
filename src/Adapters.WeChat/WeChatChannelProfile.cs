namespace OpenClaw.Channels.WeChat;

/// <summary>What differs between the Official Account (<c>wechat</c>) and the WeCom app (<c>wecom</c>), resolved from options.</summary>
internal sealed record WeChatChannelProfile
{
    public const string HttpClientName = "OpenClaw.Channels.WeChat";

    public required string Channel { get; init; }

    public required bool IsWeCom { get; init; }

    public required string Token { get; init; }

    public string? EncodingAesKey { get; init; }

    /// <summary>AppId (公众号) or CorpId (WeCom): the trailing id of every plaintext.</summary>
    public required string ReceiveId { get; init; }

    public required string AccountId { get; init; }

    public required Uri ApiBaseUrl { get; init; }

    public required string Secret { get; init; }

    public int AgentId { get; init; }

    public bool UseStableToken { get; init; }

    public required int PassiveReplyWindowMs { get; init; }

    public string? WelcomeText { get; init; }

    public required int MaxTextBytes { get; init; }

    public required int MaxMessagesPerAnswer { get; init; }

    public required string ShortenedNote { get; init; }

    public required IReadOnlyCollection<string> AllowFrom { get; init; }

    public required int TokenRefreshMarginSeconds { get; init; }

    /// <summary>State-store key of the shared access token.</summary>
    public string TokenCacheKey => IsWeCom
        ? string.Concat("wecom:", ReceiveId, ":", AgentId.ToString(System.Globalization.CultureInfo.InvariantCulture), ":access_token")
        : string.Concat("wechat:", ReceiveId, ":access_token");

    public WeChatCrypto? CreateCrypto()
        => string.IsNullOrEmpty(EncodingAesKey) ? null : new WeChatCrypto(Token, EncodingAesKey, ReceiveId);

    public static WeChatChannelProfile From(WeChatOptions o) => Shared(
        o,
        channel: "wechat",
        encodingAesKey: string.IsNullOrEmpty(o.EncodingAESKey) ? null : o.EncodingAESKey,
        receiveId: o.AppId,
        accountId: o.AppId,
        secret: o.AppSecret,
        maxMessagesPerAnswer: o.MaxMessagesPerAnswer) with
    {
        UseStableToken = o.UseStableToken,
    };

    public static WeChatChannelProfile From(WeComOptions o) => Shared(
        o,
        channel: "wecom",
        encodingAesKey: o.EncodingAESKey,
        receiveId: o.CorpId,
        accountId: string.Concat(o.CorpId, ":", o.AgentId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        secret: o.CorpSecret,
        maxMessagesPerAnswer: o.MaxMessagesPerAnswer) with
    {
        IsWeCom = true,
        AgentId = o.AgentId,
    };

    private static WeChatChannelProfile Shared(
        WeChatOptionsBase o, string channel, string? encodingAesKey, string receiveId, string accountId, string secret, int maxMessagesPerAnswer) => new()
        {
            Channel = channel,
            IsWeCom = false,
            Token = o.Token,
            EncodingAesKey = encodingAesKey,
            ReceiveId = receiveId,
            AccountId = accountId,
            ApiBaseUrl = new Uri(o.ApiBaseUrl.TrimEnd('/') + "/"),
            Secret = secret,
            PassiveReplyWindowMs = o.PassiveReplyWindowMs,
            WelcomeText = o.WelcomeText,
            MaxTextBytes = o.MaxTextBytes,
            MaxMessagesPerAnswer = maxMessagesPerAnswer,
            ShortenedNote = o.ShortenedNote,
            AllowFrom = [.. o.AllowFrom],
            TokenRefreshMarginSeconds = o.TokenRefreshMarginSeconds,
        };
}
