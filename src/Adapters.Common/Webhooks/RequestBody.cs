using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace OpenClaw.Channels.Adapters;

/// <summary>Reads a webhook's raw body within the limit the endpoint declares as metadata
/// (<c>.WithMetadata(new RequestSizeLimitAttribute(bytes))</c>, an <see cref="IRequestSizeLimitMetadata"/>). The server
/// enforces that limit while the body is read (Kestrel, IIS and HTTP.sys apply it through
/// <c>IHttpMaxRequestBodySizeFeature</c> when routing selects the endpoint): a <c>Content-Length</c> above it fails
/// before any byte is read, a chunked body once it passes the limit.</summary>
public static class RequestBody
{
    /// <summary>Reads the whole body of <paramref name="request"/>.</summary>
    /// <param name="request">The request of an endpoint with a request size limit.</param>
    /// <param name="cancellationToken">Cancels the read (normally <c>HttpContext.RequestAborted</c>).</param>
    /// <returns>The body's bytes; <see langword="null"/> when it is larger than the endpoint's limit (answer
    /// <c>413 Payload Too Large</c>).</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var limit = request.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize;
        if (request.ContentLength > limit)
        {
            return null;
        }

        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }
}
