namespace OpenClaw.Channels.WeChat;

/// <summary>The outcome of <see cref="WeChatCrypto.TryDecrypt"/>.</summary>
public enum WeChatDecryptStatus
{
    /// <summary>Decrypted, and the trailing receive id matched.</summary>
    Ok,

    /// <summary>Not Base64, not whole AES blocks, bad PKCS#7 padding or a length field out of range.</summary>
    Malformed,

    /// <summary>Decrypted, but the trailing AppId / CorpId is not the configured one.</summary>
    WrongReceiveId,
}
