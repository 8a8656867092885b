namespace OpenClaw.Channels.Fakes.OpenAi;

/// <summary>One <c>image_url</c> content part of a recorded user message.</summary>
/// <param name="Url">The <c>image_url.url</c> as sent: a <c>data:{media type};base64,{data}</c> URL or an http(s) URL.</param>
/// <param name="MediaType">For a <c>data:</c> URL, its media type; otherwise null.</param>
/// <param name="Data">For a base64 <c>data:</c> URL, the decoded bytes; otherwise empty.</param>
/// <param name="Detail">The optional <c>detail</c> field (<c>auto</c>, <c>low</c>, <c>high</c>).</param>
public sealed record FakeImagePart(string Url, string? MediaType, byte[] Data, string? Detail)
{
    /// <summary>Parses an <c>image_url.url</c>.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="detail">The <c>detail</c> field.</param>
    /// <returns>The part.</returns>
    public static FakeImagePart Parse(string url, string? detail)
    {
        ArgumentNullException.ThrowIfNull(url);
        const string Base64Marker = ";base64,";
        if (url.StartsWith("data:", StringComparison.Ordinal) && url.IndexOf(Base64Marker, StringComparison.Ordinal) is var at and > 5)
        {
            return new FakeImagePart(url, url[5..at], Convert.FromBase64String(url[(at + Base64Marker.Length)..]), detail);
        }

        return new FakeImagePart(url, null, [], detail);
    }
}
