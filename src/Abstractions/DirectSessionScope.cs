namespace OpenClaw.Channels;

/// <summary>How direct chats map to sessions (OpenClaw's <c>session.dmScope</c>).</summary>
public enum DirectSessionScope
{
    /// <summary>One session per direct chat: <c>agent:main:telegram:direct:123456</c> (default).</summary>
    PerPeer,

    /// <summary>All direct chats of the agent collapse into one main session: <c>agent:main:main</c>.</summary>
    Main,
}
